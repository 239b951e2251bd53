//! The score lines of one member's result — one per counted record: date, description, rule and
//! points — kept together as one JSON document beside the result.
//!
//! Lines are written once per run, about ten per member, and always read as a whole with their
//! result (a member's assessment, the Excel export). One row per result instead of one per line
//! spares the database a key check and three index entries per line: at 10,000 members, 10,000
//! rows instead of 94,000 (see migration 13).

use sea_orm::entity::prelude::*;

use crate::enums::RuleSource;

/// A row of `assessment_lines`: the lines of one `member_assessment`, deleted with it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessment_lines")]
pub struct Model {
    /// The result the lines belong to (primary key, and a key to `member_assessment`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub assessment_id: i64,
    /// The lines in order (by date, then record), as a JSON array of [`ScoreLine`].
    pub lines: String,
}

/// One counted record in a member's assessment, as stored in [`Model::lines`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScoreLine {
    /// The record's date.
    pub date: Date,
    /// What was counted, e.g. "常委会议 缺席".
    pub description: String,
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
    /// The points (hundredths), after splits and caps.
    pub points_cents: i64,
    /// Why the points differ from the rule's (a share of joint work, a cap reached).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Relations of `assessment_lines`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
