//! An exit case (委员退出): a member's seat under review, opened from an assessment flag or by
//! hand, taken through its steps to the standing committee's decision.

use sea_orm::entity::prelude::*;

use crate::enums::{ConsequenceFlag, ExitCaseSource, ExitCaseStatus, ExitOutcome, ExitStep};

/// A row of `exit_case`; a member has at most one OPEN case at a time.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "exit_case")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The member.
    pub member_id: i64,
    /// The seat the case is about (its status is set by the decision).
    pub seat_id: i64,
    /// How the case was opened.
    pub source: ExitCaseSource,
    /// The assessment result whose flag opened it, if one did.
    pub member_assessment_id: Option<i64>,
    /// The flag that opened it (REMINDER_TALK or PERSUADE_RESIGN), if one did.
    pub flag: Option<ConsequenceFlag>,
    /// Why the case was opened.
    pub reason: String,
    /// The day it was opened.
    pub opened_on: Date,
    /// OPEN or DECIDED.
    pub status: ExitCaseStatus,
    /// The latest step taken; none before the first.
    pub stage: Option<ExitStep>,
    /// The decision, once taken.
    pub outcome: Option<ExitOutcome>,
    /// The day of the decision.
    pub decided_on: Option<Date>,
    /// The account that opened it (none for the system).
    pub opened_by_account_id: Option<i64>,
    /// The name of who opened it.
    pub opened_by: String,
    /// When the row was written.
    pub created_at: DateTimeUtc,
}

/// Relations of `exit_case`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The member.
    #[sea_orm(belongs_to = "super::member::Entity", from = "Column::MemberId", to = "super::member::Column::Id")]
    Member,
    /// The seat.
    #[sea_orm(belongs_to = "super::seat::Entity", from = "Column::SeatId", to = "super::seat::Column::Id")]
    Seat,
}

impl ActiveModelBehavior for ActiveModel {}
