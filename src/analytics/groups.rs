//! A run's results grouped by one dimension: per group the member count, mean, median, lowest
//! and highest total, pass rate, grade counts and each category's mean. Whatever the size of
//! the run: the rule set (for its categories), the figures kept for the run's revision (computed
//! and kept on the first read: two statements more, see [`figures`]) and, for a dimension of
//! units, the units' names.
//!
//! Figures are exact: the database sums integer hundredths, and the mean and median are divided
//! here to the cent (half away from zero), so both databases give the same answer.

use std::collections::HashMap;

use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};

use super::figures::{self, Figures};

use crate::{
    assessment::rules::{Definition, points},
    auth::{Actor, policy},
    error::{AppError, AppResult},
};
use entity::{
    assessment_run,
    enums::{AssessmentGroupBy, Grade, Party, RunStatus},
    rule_set,
};

/// What identifies a group: the id of its sector, committee, studio or town (none: members
/// without one), a party, or a yes/no cohort (standing, new).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum GroupKey {
    /// A sector, special committee, studio or town; `None` for members without one.
    Unit(Option<i64>),
    /// A party.
    Party(Party),
    /// Standing members / new members (true) or the others (false).
    Flag(bool),
}

/// One category's mean within a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryMean {
    /// The category code.
    pub category: String,
    /// Its label.
    pub label: String,
    /// The mean subtotal over the group's members (a member without lines in it counts 0).
    pub mean: Decimal,
}

/// The figures of one group of a run's results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// What the group is.
    pub key: GroupKey,
    /// Its Chinese label (the sector's name, 中共, 常委 …).
    pub label: String,
    /// How many members.
    pub member_count: i64,
    /// The mean total, to the cent.
    pub mean: Decimal,
    /// The median total, to the cent.
    pub median: Decimal,
    /// The lowest total.
    pub min: Decimal,
    /// The highest total.
    pub max: Decimal,
    /// The share of members who passed, 0..1 (four places).
    pub pass_rate: Decimal,
    /// How many members got each grade, best first (every grade, zero included).
    pub grade_counts: Vec<(Grade, i64)>,
    /// Each category's mean, in the rule set's order.
    pub category_means: Vec<CategoryMean>,
}

/// The label of members without a unit in a dimension.
pub(super) fn none_label(by: AssessmentGroupBy) -> &'static str {
    match by {
        AssessmentGroupBy::Sector => "未定界别",
        AssessmentGroupBy::SpecialCommittee => "未入专委会",
        AssessmentGroupBy::Studio => "未入工作室",
        AssessmentGroupBy::Town => "未定镇街",
        _ => "未定",
    }
}

/// The label of a yes/no group.
pub(super) fn flag_label(by: AssessmentGroupBy, yes: bool) -> &'static str {
    match (by, yes) {
        (AssessmentGroupBy::Standing, true) => "常委",
        (AssessmentGroupBy::Standing, false) => "非常委",
        (_, true) => "新任",
        (_, false) => "连任",
    }
}

/// The unit table of a dimension whose groups are units.
fn unit_table(by: AssessmentGroupBy) -> Option<&'static str> {
    match by {
        AssessmentGroupBy::Sector => Some("sector"),
        AssessmentGroupBy::SpecialCommittee => Some("special_committee"),
        AssessmentGroupBy::Studio => Some("studio"),
        AssessmentGroupBy::Town => Some("region"),
        _ => None,
    }
}

/// The names of the units among `figures` (one statement for a dimension of units, none
/// otherwise): read now, not kept with the figures, so a renamed unit shows its new name.
async fn unit_names(
    db: &impl ConnectionTrait,
    by: AssessmentGroupBy,
    figures: &[Figures],
) -> AppResult<HashMap<i64, String>> {
    let Some(table) = unit_table(by) else { return Ok(HashMap::new()) };
    // The ids are integers read from the database: written into the SQL as numbers.
    let ids: Vec<String> = figures.iter().filter_map(|f| f.k_id).map(|id| id.to_string()).collect();
    let condition = if ids.is_empty() { "1 = 0".to_owned() } else { format!("id IN ({})", ids.join(", ")) };
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(backend, format!("SELECT id, name FROM {table} WHERE {condition}")))
        .await?;
    rows.iter().map(|row| Ok((row.try_get("", "id")?, row.try_get("", "name")?))).collect()
}

fn key_of(by: AssessmentGroupBy, figures: &Figures) -> AppResult<GroupKey> {
    Ok(match by {
        AssessmentGroupBy::Party => {
            let text = figures.k_text.as_deref();
            let party = Party::ALL
                .iter()
                .copied()
                .find(|p| text == Some(sea_orm::ActiveEnum::to_value(p).as_str()))
                .ok_or_else(|| AppError::Internal(format!("a seat has an unknown party {text:?}")))?;
            GroupKey::Party(party)
        }
        AssessmentGroupBy::Standing | AssessmentGroupBy::NewMember => GroupKey::Flag(figures.k_id == Some(1)),
        _ => GroupKey::Unit(figures.k_id),
    })
}

/// `cents / n` hundredths as points, to the cent (half away from zero).
fn divide(cents: i64, n: i64) -> Decimal {
    if n == 0 {
        return Decimal::ZERO;
    }
    (Decimal::from(cents) / Decimal::from(n) / Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// The groups of run `run_id` by `by`, as the actor may see them: office staff every run and
/// every group; a VIEWER only a published run's groups of at least
/// [`policy::SMALLEST_VISIBLE_GROUP`] members (smaller ones are omitted). Ordered by the
/// unit's id (members without a unit last), the party's order, yes before no.
///
/// `run` is a run the caller found (through `assessment::service::find_run`); access is asked
/// again here, so a run found otherwise is no way around it.
pub async fn groups(
    db: &impl ConnectionTrait,
    actor: &Actor,
    run: &assessment_run::Model,
    by: AssessmentGroupBy,
) -> AppResult<Vec<Group>> {
    let scope = policy::read_assessment_runs(actor)?;
    if scope.published_only() && run.status != RunStatus::Published {
        return Err(AppError::not_found("assessment run", run.id));
    }
    let set = rule_set::Entity::find_by_id(run.rule_set_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("rule set", run.rule_set_id))?;
    let def = Definition::from_json(&set.definition)?;
    let figures = figures::of_run(db, run, by).await?;
    let names = unit_names(db, by, &figures).await?;

    let mut out = Vec::with_capacity(figures.len());
    for f in &figures {
        let key = key_of(by, f)?;
        let members = f.members;
        if members < scope.smallest_group() {
            continue;
        }
        let label = match &key {
            GroupKey::Unit(None) => none_label(by).to_owned(),
            GroupKey::Unit(Some(id)) => names.get(id).cloned().unwrap_or_else(|| format!("#{id}")),
            GroupKey::Party(party) => party.label().to_owned(),
            GroupKey::Flag(yes) => flag_label(by, *yes).to_owned(),
        };
        let mut grade_counts: Vec<(Grade, i64)> =
            Grade::ALL.iter().copied().zip(f.grades.iter().copied().chain(std::iter::repeat(0))).collect();
        grade_counts.sort_by_key(|(g, _)| g.order());
        let category_means = def
            .categories
            .iter()
            .map(|c| CategoryMean {
                category: c.code.clone(),
                label: c.label.clone(),
                mean: divide(
                    f.categories.iter().find(|(code, _)| *code == c.code).map_or(0, |(_, cents)| *cents),
                    members,
                ),
            })
            .collect();
        out.push(Group {
            label,
            member_count: members,
            mean: divide(f.total, members),
            median: divide(f.middle, f.middle_rows),
            min: points(f.lowest),
            max: points(f.highest),
            pass_rate: (Decimal::from(f.passes) / Decimal::from(members.max(1)))
                .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
                .normalize(),
            grade_counts,
            category_means,
            key,
        });
    }
    out.sort_by_key(|g| order(&g.key));
    Ok(out)
}

/// The order groups are listed in.
pub(super) fn order(key: &GroupKey) -> (u8, i64) {
    match key {
        GroupKey::Unit(Some(id)) => (0, *id),
        GroupKey::Unit(None) => (1, 0),
        GroupKey::Party(p) => {
            (0, Party::ALL.iter().position(|q| q == p).map_or(i64::MAX, |i| i64::try_from(i).unwrap_or(i64::MAX)))
        }
        GroupKey::Flag(yes) => (u8::from(!yes), 0),
    }
}
