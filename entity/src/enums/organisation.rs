//! The organisation: people, seats, committees, regions, studios, groups, accounts.

use sea_orm::entity::prelude::*;

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
        /// 界别召集人: activities of their own sector.
        SectorConvener = "SECTOR_CONVENER" => "界别召集人",
        /// 活动组组长: activities of their own group.
        GroupLead = "GROUP_LEAD" => "活动组组长",
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
            Self::SectorConvener => "sector convener",
            Self::GroupLead => "group lead",
            Self::HandlingUnit => "handling unit",
            Self::Member => "member",
            Self::Viewer => "viewer",
        }
    }
}
