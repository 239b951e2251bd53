//! Duty records: activities, attendance, training, duty items.

use sea_orm::entity::prelude::*;

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
    /// Where a request for leave (请假) stands.
    LeaveStatus {
        /// 待审批
        Pending = "PENDING" => "待审批",
        /// 已批准: the invitee is excused.
        Approved = "APPROVED" => "已批准",
        /// 未批准: the invitee is still expected.
        Refused = "REFUSED" => "未批准",
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
