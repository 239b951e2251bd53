//! One counted record in a member's assessment: date, description, rule and points.

use sea_orm::entity::prelude::*;

use crate::enums::RuleSource;

/// A row of `score_line`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "score_line")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The run.
    pub run_id: i64,
    /// The member's result the line belongs to.
    pub assessment_id: i64,
    /// The member.
    pub member_id: i64,
    /// Position among the member's lines (date order).
    pub seq: i32,
    /// The rule's code within its rule set.
    pub rule_code: String,
    /// The rule's label.
    pub rule_label: String,
    /// The rule's category code.
    pub category: String,
    /// The kind of record counted.
    pub source: RuleSource,
    /// The record counted (participation, training attendance, proposal, report, duty item).
    pub source_id: i64,
    /// The record's date.
    pub date: Date,
    /// What was counted, e.g. "常委会议 缺席".
    pub description: String,
    /// The points (hundredths), after splits and caps.
    pub points_cents: i64,
    /// Why the points differ from the rule's (a share of joint work, a cap reached).
    pub note: Option<String>,
}

/// Relations of `score_line`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
