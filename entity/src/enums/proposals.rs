//! Proposals (提案) and public-opinion reports (社情民意).

use sea_orm::entity::prelude::*;

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
        /// 已撤回: withdrawn by its author or the office before a decision; it counts nowhere.
        Withdrawn = "WITHDRAWN" => "已撤回",
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
