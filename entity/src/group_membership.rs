//! A member's place in a group, with a role, between dates.

use sea_orm::entity::prelude::*;

use crate::enums::GroupRole;

/// A row of `group_membership`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "group_membership")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The member.
    pub member_id: i64,
    /// The group.
    pub group_id: i64,
    /// The member's role.
    pub role: GroupRole,
    /// First day.
    pub start_date: Date,
    /// Last day; open while current.
    pub end_date: Option<Date>,
    /// When the record was voided (作废); null while it counts.
    pub voided_at: Option<DateTimeUtc>,
    /// The account that voided it.
    pub voided_by: Option<i64>,
    /// Why it was voided.
    pub void_reason: Option<String>,
}

/// Relations of `group_membership`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The member.
    #[sea_orm(belongs_to = "super::member::Entity", from = "Column::MemberId", to = "super::member::Column::Id")]
    Member,
}

impl ActiveModelBehavior for ActiveModel {}
