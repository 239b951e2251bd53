//! An assessment run: one rule set applied to one year's records for every seated member.

use sea_orm::entity::prelude::*;

use crate::enums::RunStatus;

/// A row of `assessment_run`; at most one per (rule set, year).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "assessment_run")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The rule set applied.
    pub rule_set_id: i64,
    /// The year assessed.
    pub year: i32,
    /// Draft, confirmed or published.
    pub status: RunStatus,
    /// How many members were assessed.
    pub member_count: i32,
    /// How many score lines the run holds.
    pub line_count: i64,
    /// When the results were (last) computed.
    pub computed_at: DateTimeUtc,
    /// When it was confirmed.
    pub confirmed_at: Option<DateTimeUtc>,
    /// When it was published.
    pub published_at: Option<DateTimeUtc>,
    /// The account that started it (none for the command line).
    pub created_by: Option<i64>,
    /// When it was started.
    pub created_at: DateTimeUtc,
    /// Counts the writes that changed the results (recomputations, adjustments): the key of
    /// the group figures kept for the run.
    pub revision: i64,
}

/// Relations of `assessment_run`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
