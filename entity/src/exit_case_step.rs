//! One step of an exit case: the day it was taken, who took it, a note, and for the decision
//! its outcome.

use sea_orm::entity::prelude::*;

use crate::enums::{ExitOutcome, ExitStep};

/// A row of `exit_case_step`; a case's steps in the order they were taken.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "exit_case_step")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The case.
    pub case_id: i64,
    /// The step.
    pub step: ExitStep,
    /// The day it was taken.
    pub taken_on: Date,
    /// Who took it (e.g. "张主席、办公室李主任"; for the decision, the meeting).
    pub taken_by: String,
    /// What was said or decided.
    pub note: Option<String>,
    /// DECISION: what was decided.
    pub outcome: Option<ExitOutcome>,
    /// The account that recorded it (none for the system).
    pub recorded_by_account_id: Option<i64>,
    /// The name of who recorded it.
    pub recorded_by: String,
    /// When the row was written.
    pub created_at: DateTimeUtc,
}

/// Relations of `exit_case_step`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The case.
    #[sea_orm(belongs_to = "super::exit_case::Entity", from = "Column::CaseId", to = "super::exit_case::Column::Id")]
    Case,
}

impl ActiveModelBehavior for ActiveModel {}
