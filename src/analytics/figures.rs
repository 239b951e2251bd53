//! What the database computes for a run's groups by one dimension, and keeping it: the figures
//! scan every result of the run and every category subtotal in it (hundreds of milliseconds at
//! 10,000 members), while an appraisal view asks for them on every visit, so they are computed
//! once per revision of the run's results and kept in `assessment_group_figures`.
//!
//! A run's `revision` counts the writes that change its results (a recomputation, an
//! adjustment), each in the transaction of the write, so figures are always read for the
//! revision the reader found: a reader that computed them while a write went on stores them
//! under the older revision, which nobody reads again. Labels are not kept (a renamed sector
//! shows its new name); deleting a run deletes its figures.
//!
//! The figures' SQL: the median by `ROW_NUMBER` over each group's ordered totals, picking its
//! middle row or rows (SQLite and PostgreSQL compute it alike), and the category subtotals read
//! from each result's JSON. Every sum is of integer hundredths, so both databases agree exactly.

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement};
use serde::{Deserialize, Serialize};

use super::duty::params;
use crate::error::{AppError, AppResult};
use entity::{
    assessment_run,
    enums::{AssessmentGroupBy, Grade},
};

/// One group's figures, as the database computed them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// A unit's id (none: members without one), or 1/0 for a yes/no dimension.
    pub k_id: Option<i64>,
    /// A party's stored value.
    pub k_text: Option<String>,
    /// Members in the group.
    pub members: i64,
    /// Sum of the totals, in hundredths.
    pub total: i64,
    /// The lowest total, in hundredths.
    pub lowest: i64,
    /// The highest total, in hundredths.
    pub highest: i64,
    /// Members who passed.
    pub passes: i64,
    /// Sum of the middle row(s) by total: the median times `middle_rows`.
    pub middle: i64,
    /// How many middle rows (one or two; none in an empty group).
    pub middle_rows: i64,
    /// Members per grade, in [`Grade::ALL`]'s order.
    pub grades: Vec<i64>,
    /// Sum of each category's subtotals, in hundredths, by category code.
    pub categories: Vec<(String, i64)>,
}

/// The SQL of a dimension: the key columns `k_id` (a unit's id, or 1/0) and `k_text` (a
/// party), and the joins they need.
fn dimension(by: AssessmentGroupBy) -> (&'static str, &'static str, &'static str) {
    const NO_TEXT: &str = "CAST(NULL AS TEXT)";
    match by {
        AssessmentGroupBy::Sector => ("ma.sector_id", NO_TEXT, ""),
        AssessmentGroupBy::SpecialCommittee => ("ma.committee_id", NO_TEXT, ""),
        AssessmentGroupBy::Studio => ("ma.studio_id", NO_TEXT, ""),
        AssessmentGroupBy::Town => ("ma.town_id", NO_TEXT, ""),
        AssessmentGroupBy::Party => ("CAST(NULL AS BIGINT)", "s.party", "JOIN seat s ON s.id = ma.seat_id"),
        AssessmentGroupBy::Standing => ("CAST(CASE WHEN ma.standing THEN 1 ELSE 0 END AS BIGINT)", NO_TEXT, ""),
        AssessmentGroupBy::NewMember => ("CAST(CASE WHEN ma.new_member THEN 1 ELSE 0 END AS BIGINT)", NO_TEXT, ""),
    }
}

/// The stored value of a grade (the enum's string value).
fn grade_value(grade: Grade) -> String {
    use sea_orm::ActiveEnum;
    grade.to_value()
}

/// The statement of the totals: count, sum, min, max, passes, the middle row(s) and the grade
/// counts of every group.
fn totals_sql(backend: DbBackend, by: AssessmentGroupBy) -> String {
    let (id, text, joins) = dimension(by);
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
           SELECT {id} AS k_id, {text} AS k_text, ma.total_cents AS t, ma.passed AS p, ma.grade AS grade,
                  ROW_NUMBER() OVER (PARTITION BY {id}, {text} ORDER BY ma.total_cents, ma.id) AS rn,
                  COUNT(*) OVER (PARTITION BY {id}, {text}) AS n
           FROM member_assessment ma {joins}
           WHERE ma.run_id = {run})
         SELECT k_id, k_text, CAST(COUNT(*) AS BIGINT) AS members,
                CAST(SUM(t) AS BIGINT) AS total, CAST(MIN(t) AS BIGINT) AS lowest, CAST(MAX(t) AS BIGINT) AS highest,
                CAST(SUM(CASE WHEN p THEN 1 ELSE 0 END) AS BIGINT) AS passes,
                CAST(SUM(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN t ELSE 0 END) AS BIGINT) AS middle,
                CAST(SUM(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN 1 ELSE 0 END) AS BIGINT) AS middle_rows
                {grades}
         FROM r GROUP BY k_id, k_text",
        run = params(backend, 1, 1)[0],
    )
}

/// The statement of the category subtotals per group, from each result's JSON subtotals
/// (`[{"category", "label", "cents", "records"}]`).
fn categories_sql(backend: DbBackend, by: AssessmentGroupBy) -> String {
    let (id, text, joins) = dimension(by);
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
           WHERE ma.run_id = {run}) c
         GROUP BY k_id, k_text, category",
        run = params(backend, 1, 1)[0],
    )
}

fn key(row: &QueryResult) -> AppResult<(Option<i64>, Option<String>)> {
    Ok((row.try_get("", "k_id")?, row.try_get("", "k_text")?))
}

/// Computes the figures of run `run_id` by `by`: two statements.
async fn compute(db: &impl ConnectionTrait, run_id: i64, by: AssessmentGroupBy) -> AppResult<Vec<Figures>> {
    let backend = db.get_database_backend();
    let totals =
        db.query_all_raw(Statement::from_sql_and_values(backend, totals_sql(backend, by), [run_id.into()])).await?;
    let categories =
        db.query_all_raw(Statement::from_sql_and_values(backend, categories_sql(backend, by), [run_id.into()])).await?;
    let mut out = Vec::with_capacity(totals.len());
    for row in &totals {
        let get = |column: &str| -> AppResult<i64> { Ok(row.try_get::<Option<i64>>("", column)?.unwrap_or(0)) };
        let (k_id, k_text) = key(row)?;
        let mut grades = Vec::with_capacity(Grade::ALL.len());
        for grade in Grade::ALL {
            // Lower case: PostgreSQL folds unquoted aliases.
            grades.push(get(&format!("g_{}", grade_value(*grade).to_lowercase()))?);
        }
        out.push(Figures {
            k_id,
            k_text,
            members: get("members")?,
            total: get("total")?,
            lowest: get("lowest")?,
            highest: get("highest")?,
            passes: get("passes")?,
            middle: get("middle")?,
            middle_rows: get("middle_rows")?,
            grades,
            categories: Vec::new(),
        });
    }
    for row in &categories {
        let (k_id, k_text) = key(row)?;
        let category: Option<String> = row.try_get("", "category")?;
        let cents: Option<i64> = row.try_get("", "cents")?;
        if let Some(category) = category
            && let Some(group) = out.iter_mut().find(|f| f.k_id == k_id && f.k_text == k_text)
        {
            group.categories.push((category, cents.unwrap_or(0)));
        }
    }
    Ok(out)
}

/// The figures of `run`'s groups by `by` at the run's revision: read from those kept (one
/// statement), else computed (two more) and kept (one more).
pub async fn of_run(
    db: &impl ConnectionTrait,
    run: &assessment_run::Model,
    by: AssessmentGroupBy,
) -> AppResult<Vec<Figures>> {
    let backend = db.get_database_backend();
    let p = params(backend, 1, 5);
    let [p1, p2, p3, p4, p5] = [&p[0], &p[1], &p[2], &p[3], &p[4]];
    // Kept under the dimension's stored value (SECTOR, PARTY …).
    let dimension = sea_orm::ActiveEnum::to_value(&by);
    let kept = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT figures FROM assessment_group_figures WHERE run_id = {p1} AND dimension = {p2} AND revision = {p3}"
            ),
            [run.id.into(), dimension.clone().into(), run.revision.into()],
        ))
        .await?;
    if let Some(row) = kept {
        let text: String = row.try_get("", "figures")?;
        return serde_json::from_str(&text)
            .map_err(|e| AppError::Internal(format!("kept group figures of run {}: {e}", run.id)));
    }
    let figures = compute(db, run.id, by).await?;
    let text = serde_json::to_string(&figures)
        .map_err(|e| AppError::Internal(format!("group figures of run {}: {e}", run.id)))?;
    // Another reader may have kept the same figures meanwhile; the run may have been deleted
    // (the reference refuses the row): either way these figures are still the answer.
    let kept = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "INSERT INTO assessment_group_figures (run_id, dimension, revision, figures) \
                 SELECT {p1}, {p2}, {p3}, {p4} WHERE EXISTS (SELECT 1 FROM assessment_run WHERE id = {p5}) \
                 ON CONFLICT DO NOTHING"
            ),
            [run.id.into(), dimension.into(), run.revision.into(), text.into(), run.id.into()],
        ))
        .await;
    if let Err(e) = kept {
        tracing::warn!(run = run.id, error = %e, "group figures not kept");
    }
    Ok(figures)
}
