//! A special committee (专门委员会, 专委会).

use sea_orm::entity::prelude::*;

/// A row of `special_committee`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "special_committee")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The name, e.g. "提案委员会"; unique.
    #[sea_orm(unique)]
    pub name: String,
    /// Position in the committee's published list.
    pub sort_order: i32,
}

/// Relations of `special_committee`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
