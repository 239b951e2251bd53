//! A member who wrote a public-opinion report: the first author or a co-author.

use sea_orm::entity::prelude::*;

use crate::enums::SignerRole;

/// A row of `opinion_author`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "opinion_author")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The report.
    pub report_id: i64,
    /// The member.
    pub member_id: i64,
    /// First author or co-author.
    pub role: SignerRole,
}

/// Relations of `opinion_author`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
