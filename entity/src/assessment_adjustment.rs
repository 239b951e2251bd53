//! A manual adjustment of a member's result in a run: signed points with a reason and author.
//! Kept by (run, member), so it survives recomputation of the run.

use sea_orm::entity::prelude::*;

/// A row of `assessment_adjustment`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "assessment_adjustment")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The run.
    pub run_id: i64,
    /// The member.
    pub member_id: i64,
    /// Signed points (hundredths).
    pub points_cents: i64,
    /// Why.
    pub reason: String,
    /// The account that made it (none for the command line).
    pub account_id: Option<i64>,
    /// Who made it (the account's name, or "system").
    pub author: String,
    /// When.
    pub created_at: DateTimeUtc,
}

/// Relations of `assessment_adjustment`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
