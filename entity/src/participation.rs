//! A participation (出席记录): one member at one activity, with attendance and role.

use sea_orm::entity::prelude::*;

use crate::enums::{Attendance, ParticipationRole};

/// A row of `participation`; unique per (activity, member).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "participation")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The activity.
    pub activity_id: i64,
    /// The member.
    pub member_id: i64,
    /// The activity's first day, copied here so a member's participations page by date in
    /// one table (kept in step when the activity's date changes).
    pub activity_date: Date,
    /// Attendance; none while an invitee is not marked yet (pending until the activity closes).
    pub attendance: Option<Attendance>,
    /// Role at the activity.
    pub role: ParticipationRole,
    /// A note (e.g. the reason for an excused absence).
    pub note: Option<String>,
    /// Whether the member was expected (应出席, counted); false for 列席 (attending without being
    /// expected: recorded, never counted).
    pub invited: bool,
}

/// Relations of `participation`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The activity.
    #[sea_orm(belongs_to = "super::activity::Entity", from = "Column::ActivityId", to = "super::activity::Column::Id")]
    Activity,
    /// The member.
    #[sea_orm(belongs_to = "super::member::Entity", from = "Column::MemberId", to = "super::member::Column::Id")]
    Member,
}

impl Related<super::activity::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Activity.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
