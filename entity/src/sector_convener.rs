//! A member serving as convener (召集人) of a sector, between dates.

use sea_orm::entity::prelude::*;

/// A row of `sector_convener`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "sector_convener")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The member.
    pub member_id: i64,
    /// The sector.
    pub sector_id: i64,

    /// First day.
    pub start_date: Date,
    /// Last day; open while current.
    pub end_date: Option<Date>,
}

/// Relations of `sector_convener`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The member.
    #[sea_orm(belongs_to = "super::member::Entity", from = "Column::MemberId", to = "super::member::Column::Id")]
    Member,
}

impl ActiveModelBehavior for ActiveModel {}
