//! A voided record (作废) counts nowhere. The helpers every read of a voidable table uses: the
//! ids of voided parents, for reads of child rows that do not join their parent (participations,
//! training attendance, signers, authors), and the rule for single lookups (the office still
//! finds a voided record, so that it can be restored; every other role is told it does not exist).
//!
//! Reads that join or select the voidable table itself filter on its `voided_at IS NULL` inline.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, EntityTrait,
    sea_query::{Query, SelectStatement},
};

use crate::{
    auth::{Actor, policy},
    error::{AppError, AppResult},
};
use entity::{activity, opinion_report, proposal, training_session};

/// The ids of voided rows of `E` (its `id` and `voided_at` columns given).
fn voided<E: EntityTrait>(entity: E, id: E::Column, voided_at: E::Column) -> SelectStatement {
    Query::select().column(id).from(entity).and_where(voided_at.is_not_null()).to_owned()
}

/// The ids of voided activities: `participation::Column::ActivityId.not_in_subquery(…)`.
pub fn voided_activities() -> SelectStatement {
    voided(activity::Entity, activity::Column::Id, activity::Column::VoidedAt)
}

/// The ids of voided training sessions.
pub fn voided_training_sessions() -> SelectStatement {
    voided(training_session::Entity, training_session::Column::Id, training_session::Column::VoidedAt)
}

/// The ids of voided proposals.
pub fn voided_proposals() -> SelectStatement {
    voided(proposal::Entity, proposal::Column::Id, proposal::Column::VoidedAt)
}

/// The ids of voided public-opinion reports.
pub fn voided_opinion_reports() -> SelectStatement {
    voided(opinion_report::Entity, opinion_report::Column::Id, opinion_report::Column::VoidedAt)
}

/// A row found by a single lookup: itself while it counts, or when the actor may see voided
/// records ([`policy::sees_voided`]); NOT_FOUND otherwise, as if it did not exist.
pub fn found<T>(actor: &Actor, row: T, voided_at: Option<DateTime<Utc>>, noun: &'static str, id: i64) -> AppResult<T> {
    if voided_at.is_none() || policy::sees_voided(actor) { Ok(row) } else { Err(AppError::not_found(noun, id)) }
}

/// Whether a list asked for voided rows too may have them: only for a role that sees voided
/// records; for any other the filter is ignored and voided rows stay hidden.
pub fn include_voided(actor: &Actor, asked: Option<bool>) -> bool {
    asked == Some(true) && policy::sees_voided(actor)
}
