//! A region: a town or street (镇、街道), or a village or community (村、社区) under one.

use sea_orm::entity::prelude::*;

use crate::enums::RegionLevel;

/// A row of `region`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "region")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The name, e.g. "城关街道"; unique under its parent.
    pub name: String,
    /// Town, street, village or community.
    pub level: RegionLevel,
    /// The town or street a village or community lies in; none for towns and streets.
    pub parent_id: Option<i64>,
    /// Position in lists.
    pub sort_order: i32,
}

/// Relations of `region`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The town or street above.
    #[sea_orm(belongs_to = "Entity", from = "Column::ParentId", to = "Column::Id")]
    Parent,
}

impl ActiveModelBehavior for ActiveModel {}
