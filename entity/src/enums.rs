//! Enumerations stored as short upper-case strings, each with the Chinese label users see.

use sea_orm::entity::prelude::*;

/// Declares a string-backed enum that is at once a SeaORM active enum and a GraphQL enum, with a
/// Chinese label per value.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal => $label:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, async_graphql::Enum, serde::Serialize, serde::Deserialize)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[sea_orm(string_value = $value)]
                // Serialised (into the audit log and stored score lines) as stored and as the API
                // spells it: PRESENT, not Present.
                #[serde(rename = $value)]
                $variant,
            )+
        }

        impl $name {
            /// The Chinese label shown to users.
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }

            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];
        }
    };
}

labelled_enum! {
    /// Gender (性别).
    Gender {
        /// 男
        Male = "MALE" => "男",
        /// 女
        Female = "FEMALE" => "女",
    }
}

labelled_enum! {
    /// Political affiliation (党派): the CPC, the eight democratic parties, non-party people and
    /// the masses.
    Party {
        /// 中国共产党
        Cpc = "CPC" => "中共",
        /// 中国国民党革命委员会
        Rcck = "RCCK" => "民革",
        /// 中国民主同盟
        Cdl = "CDL" => "民盟",
        /// 中国民主建国会
        Cndca = "CNDCA" => "民建",
        /// 中国民主促进会
        Capd = "CAPD" => "民进",
        /// 中国农工民主党
        Cpwdp = "CPWDP" => "农工党",
        /// 中国致公党
        Czgp = "CZGP" => "致公党",
        /// 九三学社
        Jiusan = "JIUSAN" => "九三学社",
        /// 台湾民主自治同盟
        Tdsl = "TDSL" => "台盟",
        /// 无党派人士
        NonParty = "NON_PARTY" => "无党派人士",
        /// 群众
        Masses = "MASSES" => "群众",
    }
}

labelled_enum! {
    /// The state of a seat (任职状态).
    SeatStatus {
        /// 在任
        Serving = "SERVING" => "在任",
        /// 辞去
        Resigned = "RESIGNED" => "辞去",
        /// 劝辞
        PersuadedToResign = "PERSUADED_TO_RESIGN" => "劝辞",
        /// 撤销委员资格
        Revoked = "REVOKED" => "撤销",
        /// 去世
        Deceased = "DECEASED" => "去世",
        /// 届满
        TermEnded = "TERM_ENDED" => "届满",
    }
}

labelled_enum! {
    /// A leadership post held in the committee (领导职务).
    LeadershipPost {
        /// 主席
        Chair = "CHAIR" => "主席",
        /// 副主席
        ViceChair = "VICE_CHAIR" => "副主席",
        /// 秘书长
        SecretaryGeneral = "SECRETARY_GENERAL" => "秘书长",
    }
}

labelled_enum! {
    /// A member's role in a special committee.
    CommitteeRole {
        /// 主任
        Director = "DIRECTOR" => "主任",
        /// 副主任
        DeputyDirector = "DEPUTY_DIRECTOR" => "副主任",
        /// 委员
        Member = "MEMBER" => "委员",
    }
}

labelled_enum! {
    /// The level of a region: towns and streets, and the villages and communities under them.
    RegionLevel {
        /// 镇
        Town = "TOWN" => "镇",
        /// 街道
        Street = "STREET" => "街道",
        /// 村
        Village = "VILLAGE" => "村",
        /// 社区
        Community = "COMMUNITY" => "社区",
    }
}

impl RegionLevel {
    /// Whether this level sits at the top (a town or a street) rather than under one.
    pub fn is_top(self) -> bool {
        matches!(self, Self::Town | Self::Street)
    }
}

labelled_enum! {
    /// The kind of a member studio (委员工作室).
    StudioKind {
        /// 镇街委员工作室
        Town = "TOWN" => "镇街委员工作室",
        /// 村(社区)委员工作室
        Village = "VILLAGE" => "村(社区)委员工作室",
        /// 界别委员工作室
        Sector = "SECTOR" => "界别委员工作室",
    }
}

labelled_enum! {
    /// A member's role in a studio.
    StudioRole {
        /// 负责人
        Lead = "LEAD" => "负责人",
        /// 成员
        Member = "MEMBER" => "成员",
    }
}

labelled_enum! {
    /// The kind of a standing group of members.
    GroupKind {
        /// 活动组
        ActivityGroup = "ACTIVITY_GROUP" => "活动组",
        /// 民主监督小组
        SupervisionGroup = "SUPERVISION_GROUP" => "民主监督小组",
        /// 志愿服务队
        ServiceTeam = "SERVICE_TEAM" => "志愿服务队",
        /// 法律服务队
        LegalAidTeam = "LEGAL_AID_TEAM" => "法律服务队",
        /// 读书小组
        ReadingGroup = "READING_GROUP" => "读书小组",
    }
}

labelled_enum! {
    /// A member's role in a group.
    GroupRole {
        /// 组长
        Lead = "LEAD" => "组长",
        /// 成员
        Member = "MEMBER" => "成员",
    }
}

labelled_enum! {
    /// What an account may do.
    Role {
        /// 系统管理员: everything, including accounts.
        Admin = "ADMIN" => "系统管理员",
        /// 办公室工作人员: all records, assessments, imports and exports.
        Office = "OFFICE" => "办公室",
        /// 专委会工作人员: activities of their own committee.
        CommitteeStaff = "COMMITTEE_STAFF" => "专委会工作人员",
        /// 工作室负责人: activities of their own studio.
        StudioLead = "STUDIO_LEAD" => "工作室负责人",
        /// 承办单位: proposals assigned to their unit.
        HandlingUnit = "HANDLING_UNIT" => "承办单位",
        /// 委员: their own duty file.
        Member = "MEMBER" => "委员",
        /// 查询用户: aggregate statistics only.
        Viewer = "VIEWER" => "查询用户",
    }
}

impl Role {
    /// The role's code in lower-case English, for messages.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Office => "office",
            Self::CommitteeStaff => "committee staff",
            Self::StudioLead => "studio lead",
            Self::HandlingUnit => "handling unit",
            Self::Member => "member",
            Self::Viewer => "viewer",
        }
    }
}

// ----- proposals (提案) and public-opinion reports (社情民意) -----

labelled_enum! {
    /// When a proposal was made: during the plenary session or between sessions.
    ProposalKind {
        /// 大会提案: submitted during the plenary session.
        Plenary = "PLENARY" => "大会提案",
        /// 平时提案: submitted between sessions.
        Regular = "REGULAR" => "平时提案",
    }
}

labelled_enum! {
    /// Who proposes (提案者类型).
    ProposerType {
        /// 委员个人提案
        Individual = "INDIVIDUAL" => "个人提案",
        /// 委员联名提案
        Joint = "JOINT" => "联名提案",
        /// 党派提案
        Party = "PARTY" => "党派提案",
        /// 界别提案
        Sector = "SECTOR" => "界别提案",
        /// 专委会提案
        SpecialCommittee = "SPECIAL_COMMITTEE" => "专委会提案",
        /// 人民团体提案
        Organisation = "ORGANISATION" => "团体提案",
    }
}

impl ProposerType {
    /// Whether a collective (party, sector, committee, organisation) proposes rather than members.
    pub fn is_collective(self) -> bool {
        !matches!(self, Self::Individual | Self::Joint)
    }
}

labelled_enum! {
    /// A signer's role on a proposal or an author's on an opinion report.
    SignerRole {
        /// 第一提案人 / 第一作者
        First = "FIRST" => "第一提案人",
        /// 联名提案人 / 合作者
        Co = "CO" => "联名提案人",
    }
}

labelled_enum! {
    /// Where a proposal stands in its lifecycle.
    ProposalStatus {
        /// 已提交, awaiting review (审查).
        Submitted = "SUBMITTED" => "待审查",
        /// 立案: accepted, awaiting assignment.
        Accepted = "ACCEPTED" => "已立案",
        /// 不予立案
        NotAccepted = "NOT_ACCEPTED" => "不予立案",
        /// 并案: merged into another proposal.
        Merged = "MERGED" => "已并案",
        /// 退回修改: returned to the proposer for changes.
        Returned = "RETURNED" => "退回修改",
        /// 交办: with one or more handling units.
        Assigned = "ASSIGNED" => "已交办",
        /// 已答复: every handling unit has answered.
        Answered = "ANSWERED" => "已答复",
        /// 委员已反馈
        Feedback = "FEEDBACK" => "已反馈",
        /// 办结
        Closed = "CLOSED" => "已办结",
        /// 转社情民意: converted to a public-opinion report, counted only as that.
        Converted = "CONVERTED" => "转社情民意",
    }
}

labelled_enum! {
    /// Why a proposal is not accepted (不予立案理由).
    NotAcceptedReason {
        /// 不属于政协职能范围
        OutOfScope = "OUT_OF_SCOPE" => "不属于政协履职范围",
        /// 已经解决或正在解决
        AlreadyAddressed = "ALREADY_ADDRESSED" => "已经解决或正在解决",
        /// 内容空泛，无具体建议
        NoConcreteSuggestion = "NO_CONCRETE_SUGGESTION" => "内容空泛，无具体建议",
        /// 涉及党和国家秘密
        Confidential = "CONFIDENTIAL" => "涉及秘密",
        /// 涉及司法诉讼或个人事务
        LegalOrPersonal = "LEGAL_OR_PERSONAL" => "涉及司法诉讼或个人事务",
        /// 其他
        Other = "OTHER" => "其他",
    }
}

labelled_enum! {
    /// A handling unit's part in answering a proposal.
    HandlingRole {
        /// 主办
        Lead = "LEAD" => "主办",
        /// 会办
        Co = "CO" => "会办",
        /// 单独承办
        Sole = "SOLE" => "单独承办",
    }
}

labelled_enum! {
    /// Where one handling unit's assignment stands.
    AssignmentStatus {
        /// 办理中
        Pending = "PENDING" => "办理中",
        /// 已退回(申请调整承办单位)
        Refused = "REFUSED" => "已退回",
        /// 已答复
        Answered = "ANSWERED" => "已答复",
        /// 已重新办理: superseded by a new round after dissatisfied feedback.
        Superseded = "SUPERSEDED" => "已重新办理",
    }
}

labelled_enum! {
    /// The outcome class of an answer (办理结果分类). The labels here are the defaults; the office
    /// may configure its own.
    ResultClass {
        /// A 类: 已解决或采纳
        A = "A" => "A类（已解决或采纳）",
        /// B 类: 列入计划拟解决
        B = "B" => "B类（列入计划拟解决）",
        /// C 类: 留作参考
        C = "C" => "C类（留作参考）",
        /// D 类: 因条件限制无法解决
        D = "D" => "D类（因条件限制无法解决）",
    }
}

labelled_enum! {
    /// The proposer's verdict on an answer (委员反馈).
    FeedbackRating {
        /// 满意
        Satisfied = "SATISFIED" => "满意",
        /// 基本满意
        BasicallySatisfied = "BASICALLY_SATISFIED" => "基本满意",
        /// 不满意
        Dissatisfied = "DISSATISFIED" => "不满意",
    }
}

labelled_enum! {
    /// What a logged step of a proposal did.
    ProposalActionKind {
        /// 提交
        Submit = "SUBMIT" => "提交",
        /// 修改后重新提交
        Resubmit = "RESUBMIT" => "重新提交",
        /// 立案
        Accept = "ACCEPT" => "立案",
        /// 不予立案
        Reject = "REJECT" => "不予立案",
        /// 并案
        Merge = "MERGE" => "并案",
        /// 退回修改
        Return = "RETURN" => "退回修改",
        /// 交办
        Assign = "ASSIGN" => "交办",
        /// 承办单位退回
        RefuseAssignment = "REFUSE_ASSIGNMENT" => "承办单位退回",
        /// 答复
        Answer = "ANSWER" => "答复",
        /// 委员反馈
        Feedback = "FEEDBACK" => "委员反馈",
        /// 重新办理
        Reopen = "REOPEN" => "重新办理",
        /// 办结
        Close = "CLOSE" => "办结",
        /// 标记重点提案/优秀提案
        Flag = "FLAG" => "标记",
        /// 转为社情民意信息
        Convert = "CONVERT" => "转社情民意",
    }
}

labelled_enum! {
    /// Where a public-opinion report stands.
    OpinionStatus {
        /// 已报送
        Submitted = "SUBMITTED" => "已报送",
        /// 已采用
        Adopted = "ADOPTED" => "已采用",
        /// 未采用
        NotAdopted = "NOT_ADOPTED" => "未采用",
    }
}

labelled_enum! {
    /// Who adopted a public-opinion report (采用层级).
    AdoptionLevel {
        /// 本级政协
        Local = "LOCAL" => "本级政协",
        /// 市政协
        City = "CITY" => "市政协",
        /// 省政协
        Province = "PROVINCE" => "省政协",
        /// 全国政协
        National = "NATIONAL" => "全国政协",
        /// 党派中央
        PartyCentral = "PARTY_CENTRAL" => "党派中央",
    }
}

labelled_enum! {
    /// The level of the leader who gave an instruction (领导批示层级).
    InstructionLevel {
        /// 区(县)领导
        District = "DISTRICT" => "区级领导",
        /// 市领导
        City = "CITY" => "市级领导",
        /// 省领导
        Province = "PROVINCE" => "省级领导",
        /// 中央领导
        National = "NATIONAL" => "中央领导",
    }
}

// ----- duty records -----

labelled_enum! {
    /// The kind of an activity (履职活动类型).
    ActivityKind {
        /// 全体会议
        PlenarySession = "PLENARY_SESSION" => "全体会议",
        /// 常委会议
        StandingCommitteeMeeting = "STANDING_COMMITTEE_MEETING" => "常委会议",
        /// 主席会议
        ChairsMeeting = "CHAIRS_MEETING" => "主席会议",
        /// 专委会会议
        SpecialCommitteeMeeting = "SPECIAL_COMMITTEE_MEETING" => "专委会会议",
        /// 协商
        Consultation = "CONSULTATION" => "协商",
        /// 视察
        Inspection = "INSPECTION" => "视察",
        /// 调研
        Research = "RESEARCH" => "调研",
        /// 民主监督
        DemocraticSupervision = "DEMOCRATIC_SUPERVISION" => "民主监督",
        /// 学习/讲座
        Study = "STUDY" => "学习/讲座",
        /// 读书活动
        Reading = "READING" => "读书活动",
        /// 志愿服务/公益
        VolunteerService = "VOLUNTEER_SERVICE" => "志愿服务/公益",
        /// 工作室接待
        StudioReception = "STUDIO_RECEPTION" => "工作室接待",
        /// 其他
        Other = "OTHER" => "其他",
    }
}

labelled_enum! {
    /// The subkind of a consultation or a study activity.
    ActivitySubkind {
        /// 专题协商 (consultation)
        ThematicConsultation = "THEMATIC_CONSULTATION" => "专题协商",
        /// 双月协商 (consultation)
        BimonthlyConsultation = "BIMONTHLY_CONSULTATION" => "双月协商",
        /// 界别协商 (consultation)
        SectorConsultation = "SECTOR_CONSULTATION" => "界别协商",
        /// 提案办理协商 (consultation)
        ProposalConsultation = "PROPOSAL_CONSULTATION" => "提案办理协商",
        /// 民生议事堂 (consultation held by a studio)
        PeoplesLivelihoodHall = "PEOPLES_LIVELIHOOD_HALL" => "民生议事堂",
        /// 政协讲坛 (study)
        CppccForum = "CPPCC_FORUM" => "政协讲坛",
        /// 委员大讲堂 (study)
        MembersLecture = "MEMBERS_LECTURE" => "委员大讲堂",
        /// 理论学习 (study)
        TheoryStudy = "THEORY_STUDY" => "理论学习",
    }
}

impl ActivitySubkind {
    /// The kind this subkind belongs to.
    pub fn kind(self) -> ActivityKind {
        match self {
            Self::ThematicConsultation
            | Self::BimonthlyConsultation
            | Self::SectorConsultation
            | Self::ProposalConsultation
            | Self::PeoplesLivelihoodHall => ActivityKind::Consultation,
            Self::CppccForum | Self::MembersLecture | Self::TheoryStudy => ActivityKind::Study,
        }
    }
}

labelled_enum! {
    /// The state of an activity.
    ActivityStatus {
        /// 计划
        Planned = "PLANNED" => "计划",
        /// 已举办
        Done = "DONE" => "已举办",
        /// 已取消
        Cancelled = "CANCELLED" => "已取消",
    }
}

labelled_enum! {
    /// Who organised an activity or a training session ("谁组织谁记录").
    OrganiserKind {
        /// 政协办公室
        Office = "OFFICE" => "办公室",
        /// 专门委员会
        SpecialCommittee = "SPECIAL_COMMITTEE" => "专门委员会",
        /// 界别
        Sector = "SECTOR" => "界别",
        /// 委员工作室
        Studio = "STUDIO" => "委员工作室",
        /// 活动组 / 小组 / 服务队
        Group = "GROUP" => "活动组",
    }
}

labelled_enum! {
    /// A member's attendance at an activity (出席情况).
    Attendance {
        /// 出席
        Present = "PRESENT" => "出席",
        /// 迟到
        Late = "LATE" => "迟到",
        /// 早退
        LeftEarly = "LEFT_EARLY" => "早退",
        /// 请假(已批准)
        Excused = "EXCUSED" => "请假",
        /// 缺席(无故或请假未批)
        Absent = "ABSENT" => "缺席",
    }
}

impl Attendance {
    /// Whether the member was there (present, late or leaving early).
    pub fn attended(self) -> bool {
        matches!(self, Self::Present | Self::Late | Self::LeftEarly)
    }
}

labelled_enum! {
    /// A member's role at an activity.
    ParticipationRole {
        /// 参加
        Participant = "PARTICIPANT" => "参加",
        /// 发言
        Speaker = "SPEAKER" => "发言",
        /// 书面发言
        WrittenSpeech = "WRITTEN_SPEECH" => "书面发言",
        /// 牵头/组长
        Lead = "LEAD" => "牵头",
        /// 主讲
        Lecturer = "LECTURER" => "主讲",
    }
}

labelled_enum! {
    /// The kind of a training session (培训).
    TrainingKind {
        /// 委员培训班
        Class = "CLASS" => "委员培训班",
        /// 政协讲坛
        Forum = "FORUM" => "政协讲坛",
        /// 线上学习
        Online = "ONLINE" => "线上学习",
    }
}

labelled_enum! {
    /// The type of another duty item (其他履职事项).
    DutyItemKind {
        /// 大会发言
        Speech = "SPEECH" => "大会发言",
        /// 调研报告
        ResearchReport = "RESEARCH_REPORT" => "调研报告",
        /// 文章
        Article = "ARTICLE" => "文章",
        /// 文史资料
        HistoricalMaterial = "HISTORICAL_MATERIAL" => "文史资料",
        /// 获奖
        Award = "AWARD" => "获奖",
        /// 公益
        PublicWelfare = "PUBLIC_WELFARE" => "公益",
    }
}

labelled_enum! {
    /// The confirmation state of a duty item.
    DutyItemStatus {
        /// 已提交
        Submitted = "SUBMITTED" => "已提交",
        /// 已确认
        Confirmed = "CONFIRMED" => "已确认",
        /// 未通过
        Rejected = "REJECTED" => "未通过",
    }
}

// ----- assessment (履职考核) -----

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
