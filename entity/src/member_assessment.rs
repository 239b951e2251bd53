//! One member's result in an assessment run: total, grade, ranks, cohort keys and flags.
//! Points are stored as integer hundredths (`*_cents`), exact on every database.

use sea_orm::entity::prelude::*;

use crate::enums::Grade;

/// A row of `member_assessment`; unique per (run, member).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "member_assessment")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The run.
    pub run_id: i64,
    /// The member.
    pub member_id: i64,
    /// The year assessed (copied from the run for look-ups by member and year).
    pub year: i32,
    /// The member's name in pinyin when computed: the name sort key.
    pub name_pinyin: String,
    /// The seat the member held that year.
    pub seat_id: i64,
    /// Cohort: the seat's sector.
    pub sector_id: Option<i64>,
    /// Cohort: the special committee the member belonged to at the end of the year.
    pub committee_id: Option<i64>,
    /// Cohort: the studio the member was assigned to at the end of the year.
    pub studio_id: Option<i64>,
    /// Cohort: the town or street of that studio.
    pub town_id: Option<i64>,
    /// Cohort: a standing-committee member (常委).
    pub standing: bool,
    /// Cohort: first seated in this term (新任) rather than returning (连任).
    pub new_member: bool,
    /// Base plus every counted line, before adjustments, floors and the ceiling (hundredths).
    pub computed_cents: i64,
    /// The sum of manual adjustments (hundredths).
    pub adjustment_cents: i64,
    /// The total (hundredths).
    pub total_cents: i64,
    /// The per-category subtotals as JSON text: `[{"category","label","points","records"}]`.
    pub subtotals: String,
    /// The grade.
    pub grade: Grade,
    /// The best grade allowed by unmet minimum requirements, if any is unmet.
    pub grade_cap: Option<Grade>,
    /// The labels of unmet minimum requirements, as a JSON array of strings.
    pub unmet_minimums: String,
    /// Whether the total reaches the pass mark.
    pub passed: bool,
    /// Whether the member's assessment of the previous year failed the pass mark.
    pub previous_failed: bool,
    /// Unexcused plenary absences in the term up to the end of the year.
    pub plenary_absences: i32,
    /// Rank in the run (1 = best; equal totals share a rank).
    pub rank: i32,
    /// Rank within the sector.
    pub sector_rank: i32,
    /// Rank within the special committee.
    pub committee_rank: i32,
    /// Rank within the studio.
    pub studio_rank: i32,
    /// Rank within the town or street.
    pub town_rank: i32,
    /// Rank among standing members, or among the others.
    pub standing_rank: i32,
    /// Rank among new members, or among returning ones.
    pub newness_rank: i32,
    /// Flag: 通报表彰.
    pub flag_commend: bool,
    /// Flag: 提醒谈话.
    pub flag_reminder: bool,
    /// Flag: 劝辞.
    pub flag_resign: bool,
    /// Flag: a minimum requirement is not met.
    pub flag_minimum: bool,
    /// The absence limits reached, as JSON text: `[{"code","label","flag","span","count","limit"}]`.
    pub absence_flags: String,
}

/// Relations of `member_assessment`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
