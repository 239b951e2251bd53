//! A sector (界别): the group a member represents. Per-committee data, not an enum.

use sea_orm::entity::prelude::*;

/// A row of `sector`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "sector")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The name, e.g. "经济界"; unique.
    #[sea_orm(unique)]
    pub name: String,
    /// Position in the committee's published list.
    pub sort_order: i32,
}

/// Relations of `sector`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
