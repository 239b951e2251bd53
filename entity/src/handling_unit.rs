//! A handling unit (承办单位): a government body that answers proposals.

use sea_orm::entity::prelude::*;

/// A row of `handling_unit`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "handling_unit")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The name, e.g. "区教育局"; unique.
    #[sea_orm(unique)]
    pub name: String,
    /// Contact person.
    pub contact: Option<String>,
}

/// Relations of `handling_unit`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
