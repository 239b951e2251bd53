//! The office's own label for a result class, overriding the default.

use sea_orm::entity::prelude::*;

use crate::enums::ResultClass;

/// A row of `proposal_result_label`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "proposal_result_label")]
pub struct Model {
    /// The class.
    #[sea_orm(primary_key, auto_increment = false)]
    pub result_class: ResultClass,
    /// The label shown.
    pub label: String,
}

/// Relations of `proposal_result_label`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
