//! A member assigned to a studio (就地就近), with a role, between dates.

use sea_orm::entity::prelude::*;

use crate::enums::StudioRole;

/// A row of `studio_assignment`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "studio_assignment")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The member.
    pub member_id: i64,
    /// The studio.
    pub studio_id: i64,
    /// The member's role.
    pub role: StudioRole,
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

/// Relations of `studio_assignment`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The member.
    #[sea_orm(belongs_to = "super::member::Entity", from = "Column::MemberId", to = "super::member::Column::Id")]
    Member,
}

impl ActiveModelBehavior for ActiveModel {}
