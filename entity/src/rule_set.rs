//! A rule set (考核办法): the scoring rules, caps, grade bands and minimum requirements of the
//! yearly assessment, as data. Versioned by name; optionally tied to a term or a year.

use sea_orm::entity::prelude::*;

use crate::enums::AssessmentScale;

/// A row of `rule_set`; unique per (name, version).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "rule_set")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Name, e.g. "桐城市政协委员履职考核办法".
    pub name: String,
    /// Version within the name: 1, 2, … (a changed rule set is a new version).
    pub version: i32,
    /// What the rule set is, where it comes from.
    pub description: Option<String>,
    /// The term it applies to (any year of it), if tied to one.
    pub term_id: Option<i64>,
    /// The one year it applies to, if tied to one.
    pub year: Option<i32>,
    /// How points turn into a total.
    pub scale: AssessmentScale,
    /// The validated definition (rules, categories, grade bands, minimums) as JSON text;
    /// points in it are decimal strings.
    pub definition: String,
    /// The account that created it (none for the command line).
    pub created_by: Option<i64>,
    /// When it was created.
    pub created_at: DateTimeUtc,
}

/// Relations of `rule_set`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
