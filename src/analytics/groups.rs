//! A run's results grouped by one dimension: per group the member count, mean, median, lowest
//! and highest total, pass rate, grade counts and each category's mean. Three statements,
//! whatever the size of the run: the rule set (for its categories), the totals (the median by
//! `ROW_NUMBER` over each group's ordered totals, picking its middle row or rows, which SQLite
//! and PostgreSQL compute alike) and the category subtotals, read from each result's JSON.
//!
//! Figures are exact: the database sums integer hundredths, and the mean and median are divided
//! here to the cent (half away from zero), so both databases give the same answer.

use std::collections::HashMap;

use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, QueryResult, Statement};

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

/// The SQL of a dimension: the key columns `k_id` (a unit's id, or 1/0) and `k_text` (a party),
/// the label column, and the joins they need.
struct Dimension {
    id: &'static str,
    text: &'static str,
    label: &'static str,
    joins: &'static str,
}

fn dimension(by: AssessmentGroupBy) -> Dimension {
    let unit = |id, label, joins| Dimension { id, text: "CAST(NULL AS TEXT)", label, joins };
    match by {
        AssessmentGroupBy::Sector => unit("ma.sector_id", "u.name", "LEFT JOIN sector u ON u.id = ma.sector_id"),
        AssessmentGroupBy::SpecialCommittee => {
            unit("ma.committee_id", "u.name", "LEFT JOIN special_committee u ON u.id = ma.committee_id")
        }
        AssessmentGroupBy::Studio => unit("ma.studio_id", "u.name", "LEFT JOIN studio u ON u.id = ma.studio_id"),
        AssessmentGroupBy::Town => unit("ma.town_id", "u.name", "LEFT JOIN region u ON u.id = ma.town_id"),
        AssessmentGroupBy::Party => Dimension {
            id: "CAST(NULL AS BIGINT)",
            text: "s.party",
            label: "CAST(NULL AS TEXT)",
            joins: "JOIN seat s ON s.id = ma.seat_id",
        },
        AssessmentGroupBy::Standing => {
            unit("CAST(CASE WHEN ma.standing THEN 1 ELSE 0 END AS BIGINT)", "CAST(NULL AS TEXT)", "")
        }
        AssessmentGroupBy::NewMember => {
            unit("CAST(CASE WHEN ma.new_member THEN 1 ELSE 0 END AS BIGINT)", "CAST(NULL AS TEXT)", "")
        }
    }
}

/// The placeholder of the statement's one parameter, the run.
fn run_param(backend: DbBackend) -> &'static str {
    if backend == DbBackend::Postgres { "$1" } else { "?" }
}

/// The statement of the totals: count, sum, min, max, passes, the middle row(s) and the grade
/// counts of every group, with its label.
fn totals_sql(backend: DbBackend, by: AssessmentGroupBy) -> String {
    let d = dimension(by);
    let grades: String = Grade::ALL
        .iter()
        .map(|g| {
            let value = grade_value(*g);
            let alias = value.to_lowercase();
            format!(", CAST(SUM(CASE WHEN grade = '{value}' THEN 1 ELSE 0 END) AS BIGINT) AS g_{alias}")
        })
        .collect();
    format!(
        "WITH r AS (
           SELECT {id} AS k_id, {text} AS k_text, {label} AS label, ma.total_cents AS t, ma.passed AS p, ma.grade AS grade,
                  ROW_NUMBER() OVER (PARTITION BY {id}, {text} ORDER BY ma.total_cents, ma.id) AS rn,
                  COUNT(*) OVER (PARTITION BY {id}, {text}) AS n
           FROM member_assessment ma {joins}
           WHERE ma.run_id = {param})
         SELECT k_id, k_text, MIN(label) AS label, CAST(COUNT(*) AS BIGINT) AS members,
                CAST(SUM(t) AS BIGINT) AS total, CAST(MIN(t) AS BIGINT) AS lowest, CAST(MAX(t) AS BIGINT) AS highest,
                CAST(SUM(CASE WHEN p THEN 1 ELSE 0 END) AS BIGINT) AS passes,
                CAST(SUM(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN t ELSE 0 END) AS BIGINT) AS middle,
                CAST(SUM(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN 1 ELSE 0 END) AS BIGINT) AS middle_rows
                {grades}
         FROM r GROUP BY k_id, k_text",
        id = d.id,
        text = d.text,
        label = d.label,
        joins = d.joins,
        param = run_param(backend),
    )
}

/// The stored value of a grade (the enum's string value).
fn grade_value(grade: Grade) -> String {
    use sea_orm::ActiveEnum;
    grade.to_value()
}

/// The statement of the category subtotals per group, from each result's JSON subtotals
/// (`[{"category", "label", "cents", "records"}]`).
fn categories_sql(backend: DbBackend, by: AssessmentGroupBy) -> String {
    let d = dimension(by);
    let (elements, category, cents) = if backend == DbBackend::Postgres {
        (
            "CROSS JOIN LATERAL json_array_elements(CAST(ma.subtotals AS json)) j",
            "j.value ->> 'category'",
            "CAST(j.value ->> 'cents' AS BIGINT)",
        )
    } else {
        (
            "JOIN json_each(ma.subtotals) j",
            "json_extract(j.value, '$.category')",
            "CAST(json_extract(j.value, '$.cents') AS BIGINT)",
        )
    };
    format!(
        "SELECT k_id, k_text, category, CAST(SUM(cents) AS BIGINT) AS cents FROM (
           SELECT {id} AS k_id, {text} AS k_text, {category} AS category, {cents} AS cents
           FROM member_assessment ma {joins} {elements}
           WHERE ma.run_id = {param}) c
         GROUP BY k_id, k_text, category",
        id = d.id,
        text = d.text,
        joins = d.joins,
        param = run_param(backend),
    )
}

fn key_of(by: AssessmentGroupBy, row: &QueryResult) -> AppResult<GroupKey> {
    let id: Option<i64> = row.try_get("", "k_id")?;
    Ok(match by {
        AssessmentGroupBy::Party => {
            let text: Option<String> = row.try_get("", "k_text")?;
            let party = Party::ALL
                .iter()
                .copied()
                .find(|p| text.as_deref() == Some(sea_orm::ActiveEnum::to_value(p).as_str()))
                .ok_or_else(|| AppError::Internal(format!("a seat has an unknown party {text:?}")))?;
            GroupKey::Party(party)
        }
        AssessmentGroupBy::Standing | AssessmentGroupBy::NewMember => GroupKey::Flag(id == Some(1)),
        _ => GroupKey::Unit(id),
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
    let run_id = run.id;
    let set = rule_set::Entity::find_by_id(run.rule_set_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("rule set", run.rule_set_id))?;
    let def = Definition::from_json(&set.definition)?;
    let backend = db.get_database_backend();

    let totals =
        db.query_all_raw(Statement::from_sql_and_values(backend, totals_sql(backend, by), [run_id.into()])).await?;
    let categories =
        db.query_all_raw(Statement::from_sql_and_values(backend, categories_sql(backend, by), [run_id.into()])).await?;
    let mut category_cents: HashMap<(GroupKey, String), i64> = HashMap::new();
    for row in &categories {
        let category: Option<String> = row.try_get("", "category")?;
        let cents: Option<i64> = row.try_get("", "cents")?;
        if let Some(category) = category {
            category_cents.insert((key_of(by, row)?, category), cents.unwrap_or(0));
        }
    }

    let mut out = Vec::with_capacity(totals.len());
    for row in &totals {
        let key = key_of(by, row)?;
        let members: i64 = row.try_get("", "members")?;
        if members < scope.smallest_group() {
            continue;
        }
        let get = |column: &str| -> AppResult<i64> { Ok(row.try_get::<Option<i64>>("", column)?.unwrap_or(0)) };
        let label = match &key {
            GroupKey::Unit(None) => none_label(by).to_owned(),
            GroupKey::Unit(Some(id)) => row.try_get::<Option<String>>("", "label")?.unwrap_or_else(|| format!("#{id}")),
            GroupKey::Party(party) => party.label().to_owned(),
            GroupKey::Flag(yes) => flag_label(by, *yes).to_owned(),
        };
        let mut grade_counts = Vec::with_capacity(Grade::ALL.len());
        for grade in Grade::ALL {
            // Lower case: PostgreSQL folds unquoted aliases.
            grade_counts.push((*grade, get(&format!("g_{}", grade_value(*grade).to_lowercase()))?));
        }
        grade_counts.sort_by_key(|(g, _)| g.order());
        let category_means = def
            .categories
            .iter()
            .map(|c| CategoryMean {
                category: c.code.clone(),
                label: c.label.clone(),
                mean: divide(category_cents.get(&(key.clone(), c.code.clone())).copied().unwrap_or(0), members),
            })
            .collect();
        out.push(Group {
            label,
            member_count: members,
            mean: divide(get("total")?, members),
            median: divide(get("middle")?, get("middle_rows")?),
            min: points(get("lowest")?),
            max: points(get("highest")?),
            pass_rate: (Decimal::from(get("passes")?) / Decimal::from(members.max(1)))
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
