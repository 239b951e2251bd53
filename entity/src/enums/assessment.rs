//! The assessment (履职考核), annual plans (三亮) and personal targets.

use sea_orm::entity::prelude::*;

labelled_enum! {
    /// How a rule set turns points into a total (计分方式).
    AssessmentScale {
        /// 百分制: points add up from the base and the total is capped at the maximum.
        Capped = "CAPPED" => "百分制",
        /// 累加计分: points add up from zero without a ceiling (unless one is set).
        Additive = "ADDITIVE" => "累加计分",
        /// 基础分加奖励分: a base, plus bonus points up to a bonus cap, minus deductions.
        BasePlusBonus = "BASE_PLUS_BONUS" => "基础分+奖励分",
    }
}

labelled_enum! {
    /// Which records a scoring rule counts.
    RuleSource {
        /// 履职活动出席记录
        Activity = "ACTIVITY" => "履职活动",
        /// 培训
        Training = "TRAINING" => "培训",
        /// 提案
        Proposal = "PROPOSAL" => "提案",
        /// 社情民意信息
        OpinionReport = "OPINION_REPORT" => "社情民意信息",
        /// 其他履职事项
        DutyItem = "DUTY_ITEM" => "其他履职事项",
    }
}

labelled_enum! {
    /// What a training rule counts.
    TrainingMeasure {
        /// Points per credit hour earned (按学时).
        Hours = "HOURS" => "按学时",
        /// Points per session completed (结业).
        Completed = "COMPLETED" => "结业",
        /// Points per session attended at all (参训).
        Attended = "ATTENDED" => "参训",
    }
}

labelled_enum! {
    /// The proposal milestone a rule counts.
    ProposalMilestone {
        /// 提交 (every proposal submitted in the year, except those converted to opinion reports)
        Submitted = "SUBMITTED" => "提交提案",
        /// 立案
        Accepted = "ACCEPTED" => "立案",
        /// 重点提案
        Key = "KEY" => "重点提案",
        /// 优秀提案
        Excellent = "EXCELLENT" => "优秀提案",
    }
}

labelled_enum! {
    /// The public-opinion report milestone a rule counts.
    OpinionMilestone {
        /// 报送
        Submitted = "SUBMITTED" => "报送",
        /// 采用 (at one of the rule's levels, or any)
        Adopted = "ADOPTED" => "采用",
        /// 领导批示 (at one of the rule's levels, or any)
        Instructed = "INSTRUCTED" => "领导批示",
    }
}

labelled_enum! {
    /// How often a rule scores.
    RulePer {
        /// 每件(次)计分
        Record = "RECORD" => "每件(次)",
        /// 每年一次
        Year = "YEAR" => "每年一次",
    }
}

labelled_enum! {
    /// How a rule splits the points of joint work (联名/合作) between its members.
    SplitMode {
        /// 每人全额
        Full = "FULL" => "每人全额",
        /// 仅第一提案人(作者)
        FirstOnly = "FIRST_ONLY" => "仅第一提案人",
        /// 第一提案人得一半，其余人平分另一半
        HalfToFirstRestShared = "HALF_TO_FIRST_REST_SHARED" => "第一提案人一半、其余平分",
        /// 全体平分
        EqualShare = "EQUAL_SHARE" => "平均分配",
    }
}

labelled_enum! {
    /// Whom a rule applies to.
    AppliesTo {
        /// 全体委员
        All = "ALL" => "全体委员",
        /// 仅常委
        Standing = "STANDING" => "常委",
        /// 非常委委员
        Others = "OTHERS" => "非常委委员",
    }
}

labelled_enum! {
    /// An assessment grade (考核等次), best first.
    Grade {
        /// 优秀
        Excellent = "EXCELLENT" => "优秀",
        /// 良好
        Good = "GOOD" => "良好",
        /// 称职 / 合格
        Competent = "COMPETENT" => "称职",
        /// 基本称职
        Basic = "BASIC" => "基本称职",
        /// 不称职 / 不合格
        Incompetent = "INCOMPETENT" => "不称职",
    }
}

impl Grade {
    /// 0 for the best grade, 4 for the worst: lower is better.
    pub fn order(self) -> u8 {
        match self {
            Self::Excellent => 0,
            Self::Good => 1,
            Self::Competent => 2,
            Self::Basic => 3,
            Self::Incompetent => 4,
        }
    }
}

labelled_enum! {
    /// Where an assessment run stands.
    RunStatus {
        /// 草稿: may be recomputed and adjusted.
        Draft = "DRAFT" => "草稿",
        /// 已确认: checked by the office, awaiting publication.
        Confirmed = "CONFIRMED" => "已确认",
        /// 已公布: locked.
        Published = "PUBLISHED" => "已公布",
    }
}

labelled_enum! {
    /// A consequence the rules attach to a result; the system flags, people decide.
    ConsequenceFlag {
        /// 通报表彰 (the top grade)
        Commend = "COMMEND" => "通报表彰",
        /// 提醒谈话 (the lowest grade)
        ReminderTalk = "REMINDER_TALK" => "提醒谈话",
        /// 劝辞 (two consecutive years below the pass mark, or too many unexcused plenary absences)
        PersuadeResign = "PERSUADE_RESIGN" => "劝辞",
        /// 未达基本要求 (a minimum requirement is not met)
        MinimumNotMet = "MINIMUM_NOT_MET" => "未达基本要求",
    }
}

labelled_enum! {
    /// A cohort members are ranked within.
    Cohort {
        /// 同界别
        Sector = "SECTOR" => "同界别",
        /// 同专委会
        SpecialCommittee = "SPECIAL_COMMITTEE" => "同专委会",
        /// 同委员工作室
        Studio = "STUDIO" => "同工作室",
        /// 同镇街
        Town = "TOWN" => "同镇街",
        /// 常委或非常委
        Standing = "STANDING" => "常委/非常委",
        /// 新任或连任委员
        NewMembers = "NEW_MEMBERS" => "新任/连任",
    }
}

labelled_enum! {
    /// A dimension the results of a run are grouped by (appraisal analytics).
    AssessmentGroupBy {
        /// 按界别
        Sector = "SECTOR" => "按界别",
        /// 按专委会
        SpecialCommittee = "SPECIAL_COMMITTEE" => "按专委会",
        /// 按委员工作室
        Studio = "STUDIO" => "按工作室",
        /// 按镇街
        Town = "TOWN" => "按镇街",
        /// 按党派
        Party = "PARTY" => "按党派",
        /// 常委与非常委
        Standing = "STANDING" => "常委/非常委",
        /// 新任与连任
        NewMember = "NEW_MEMBER" => "新任/连任",
    }
}

labelled_enum! {
    /// The type of an annual-plan item (年度计划事项类型).
    PlanItemType {
        /// 专题议政性常委会议
        ThematicStandingMeeting = "THEMATIC_STANDING_MEETING" => "专题议政性常委会议",
        /// 专题协商
        ThematicConsultation = "THEMATIC_CONSULTATION" => "专题协商",
        /// 双月协商
        BimonthlyConsultation = "BIMONTHLY_CONSULTATION" => "双月协商",
        /// 民主监督
        DemocraticSupervision = "DEMOCRATIC_SUPERVISION" => "民主监督",
        /// 视察
        Inspection = "INSPECTION" => "视察",
        /// 调研
        Research = "RESEARCH" => "调研",
    }
}

labelled_enum! {
    /// Where a plan item stands, as the office records it.
    PlanItemStatus {
        /// 未启动
        NotStarted = "NOT_STARTED" => "未启动",
        /// 推进中
        InProgress = "IN_PROGRESS" => "推进中",
        /// 已完成
        Done = "DONE" => "已完成",
    }
}

labelled_enum! {
    /// The three stages of a plan item ("三亮").
    PlanStage {
        /// 年初亮目标
        Goal = "GOAL" => "年初亮目标",
        /// 年中亮进度
        Progress = "PROGRESS" => "年中亮进度",
        /// 年底亮结果
        Result = "RESULT" => "年底亮结果",
    }
}

labelled_enum! {
    /// How a plan item stands on a given day, derived from its stages, status and target date.
    PlanItemState {
        /// 已完成: a result is recorded (or the office marked it done).
        Done = "DONE" => "已完成",
        /// 按期推进: in progress, the target date not yet passed.
        OnTrack = "ON_TRACK" => "按期推进",
        /// 已逾期: the target date passed without a result.
        Late = "LATE" => "已逾期",
        /// 未启动: not started, the target date not yet passed.
        NotStarted = "NOT_STARTED" => "未启动",
    }
}

labelled_enum! {
    /// What a member's personal yearly target counts (个人履职目标).
    TargetKind {
        /// 提案: proposals signed as first proposer or co-signer.
        Proposals = "PROPOSALS" => "提案",
        /// 社情民意信息: public-opinion reports written as first or co-author.
        OpinionReports = "OPINION_REPORTS" => "社情民意信息",
        /// 出席率: attendance rate at compulsory activities, 0..1.
        AttendanceRate = "ATTENDANCE_RATE" => "出席率",
        /// 参加活动: activities attended.
        Activities = "ACTIVITIES" => "参加活动",
        /// 培训学时: training hours.
        TrainingHours = "TRAINING_HOURS" => "培训学时",
    }
}
