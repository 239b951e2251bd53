//! A request for leave (请假): an invited member asks to be excused from an activity, and the
//! office or the organiser decides.

use sea_orm::entity::prelude::*;

use crate::enums::LeaveStatus;

/// A row of `leave_request`; one per (activity, member).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "leave_request")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The activity.
    pub activity_id: i64,
    /// The member asking.
    pub member_id: i64,
    /// Why.
    pub reason: String,
    /// When it was asked.
    pub requested_at: DateTimeUtc,
    /// Asked after the deadline (kept, and flagged).
    pub late: bool,
    /// Pending, approved or refused.
    pub status: LeaveStatus,
    /// The account that decided; none while pending or when the system decided.
    pub decided_by: Option<i64>,
    /// When it was decided.
    pub decided_at: Option<DateTimeUtc>,
    /// The decider's note.
    pub note: Option<String>,
}

/// Relations of `leave_request`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The activity.
    #[sea_orm(belongs_to = "super::activity::Entity", from = "Column::ActivityId", to = "super::activity::Column::Id")]
    Activity,
    /// The member.
    #[sea_orm(belongs_to = "super::member::Entity", from = "Column::MemberId", to = "super::member::Column::Id")]
    Member,
}

impl ActiveModelBehavior for ActiveModel {}
