//! The exit mechanism (委员退出): how a case began, its steps and the standing committee's
//! decision.

use sea_orm::entity::prelude::*;

labelled_enum! {
    /// How an exit case was opened.
    ExitCaseSource {
        /// From a 提醒谈话 or 劝辞 flag on an assessment result.
        AssessmentFlag = "ASSESSMENT_FLAG" => "考核结果",
        /// By the office, by hand.
        ByHand = "BY_HAND" => "办公室提出",
    }
}

labelled_enum! {
    /// A step of an exit case, in the order they are taken: 提醒谈话 → 约谈 → 劝辞 or 责令辞职 →
    /// the standing committee's decision.
    ExitStep {
        /// 提醒谈话
        ReminderTalk = "REMINDER_TALK" => "提醒谈话",
        /// 约谈
        Interview = "INTERVIEW" => "约谈",
        /// 劝辞
        PersuadeResign = "PERSUADE_RESIGN" => "劝辞",
        /// 责令辞职
        OrderResign = "ORDER_RESIGN" => "责令辞职",
        /// 常委会决定
        Decision = "DECISION" => "常委会决定",
    }
}

labelled_enum! {
    /// What the standing committee decided, closing an exit case.
    ExitOutcome {
        /// 不再处理: the case is closed and the seat stays as it is.
        Dismissed = "DISMISSED" => "不再处理",
        /// 辞去: the member resigned (their seat ends as RESIGNED).
        Resigned = "RESIGNED" => "辞去",
        /// 劝辞: the member resigned when persuaded (their seat ends as PERSUADED_TO_RESIGN).
        PersuadedToResign = "PERSUADED_TO_RESIGN" => "劝辞",
        /// 撤销委员资格: the seat is revoked (REVOKED).
        Revoked = "REVOKED" => "撤销委员资格",
    }
}

labelled_enum! {
    /// Whether an exit case is still under way.
    ExitCaseStatus {
        /// 办理中
        Open = "OPEN" => "办理中",
        /// 已决定
        Decided = "DECIDED" => "已决定",
    }
}
