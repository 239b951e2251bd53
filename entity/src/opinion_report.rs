//! A public-opinion report (社情民意信息) and where it stands.

use sea_orm::entity::prelude::*;

use crate::enums::OpinionStatus;

/// A row of `opinion_report`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "opinion_report")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The year of the submission date.
    pub year: i32,
    /// The day it was submitted.
    pub submitted_on: Date,
    /// Title.
    pub title: String,
    /// Body text.
    pub body: String,
    /// Where it stands.
    pub status: OpinionStatus,
    /// The proposal it was converted from; unique.
    #[sea_orm(unique)]
    pub source_proposal_id: Option<i64>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row last changed.
    pub updated_at: DateTimeUtc,
    /// When the record was voided (作废); null while it counts.
    pub voided_at: Option<DateTimeUtc>,
    /// The account that voided it.
    pub voided_by: Option<i64>,
    /// Why it was voided.
    pub void_reason: Option<String>,
}

/// Relations of `opinion_report`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
