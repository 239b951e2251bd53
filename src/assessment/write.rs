//! The bulk writer of a run: its results and their score lines in a few multi-row INSERTs
//! (arrays through `unnest` on PostgreSQL, ranked by the same statement), the figures that
//! depend on other runs (the year before, the adjustments) and the ranks' windows.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, IdenStatic, IntoActiveModel, Iterable,
    ModelTrait, QueryFilter, QuerySelect, Statement, Value,
};

use super::{
    engine,
    rules::{self, Definition},
    service::official_run,
};
use crate::error::{AppError, AppResult};
use entity::{assessment_adjustment, assessment_lines::ScoreLine, assessment_run, member_assessment};

/// Results' line documents per INSERT (two values each).
const LINES_CHUNK: usize = 1000;
/// Results per multi-row INSERT: 36 columns × 500.
const RESULT_CHUNK: usize = 500;

/// Deletes a run's results; their lines go with them (`ON DELETE CASCADE`).
pub(super) async fn clear(txn: &DatabaseTransaction, run_id: i64) -> AppResult<()> {
    member_assessment::Entity::delete_many().filter(member_assessment::Column::RunId.eq(run_id)).exec(txn).await?;
    Ok(())
}

/// The official result of each member for `year - 1` failed the pass mark.
async fn previous_failures(db: &impl ConnectionTrait, year: i32) -> AppResult<HashMap<i64, bool>> {
    let Some(run) = official_run(db, year - 1).await? else { return Ok(HashMap::new()) };
    let rows: Vec<(i64, bool)> = member_assessment::Entity::find()
        .select_only()
        .column(member_assessment::Column::MemberId)
        .column(member_assessment::Column::Passed)
        .filter(member_assessment::Column::RunId.eq(run.id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(m, passed)| (m, !passed)).collect())
}

async fn adjustments_of(db: &impl ConnectionTrait, run_id: i64) -> AppResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = assessment_adjustment::Entity::find()
        .select_only()
        .column(assessment_adjustment::Column::MemberId)
        .column(assessment_adjustment::Column::PointsCents)
        .filter(assessment_adjustment::Column::RunId.eq(run_id))
        .into_tuple()
        .all(db)
        .await?;
    let mut sums = HashMap::new();
    for (member, points) in rows {
        *sums.entry(member).or_insert(0) += points;
    }
    Ok(sums)
}

fn json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(format!("result does not serialise: {e}")))
}

/// Writes the computed outcomes of a run into its (empty) result tables, with the figures that
/// depend on the run (adjustments) and on other years (absences, the previous result); returns
/// (members, lines).
pub(super) async fn results(
    txn: &DatabaseTransaction,
    def: &Definition,
    run: &assessment_run::Model,
    outcomes: Vec<engine::Outcome>,
) -> AppResult<(usize, usize)> {
    let started = std::time::Instant::now();
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(engine::POSTGRES_RUN_SETTINGS).await?;
    }
    let seated: Vec<engine::Seated> = outcomes.iter().map(|o| o.seated.clone()).collect();
    let absences = engine::plenary_absences(txn, &seated, run.year).await?;
    let limits_reached = super::absence::reached(txn, &def.absence_limits, &seated, run.year).await?;
    let previous = previous_failures(txn, run.year).await?;
    let adjustments = adjustments_of(txn, run.id).await?;

    let mut rows = Vec::with_capacity(outcomes.len());
    for o in &outcomes {
        let s = &o.seated;
        let previous_failed = previous.get(&s.member_id).copied().unwrap_or(false);
        let absent = absences.get(&s.member_id).copied().unwrap_or(0);
        let adjustment = adjustments.get(&s.member_id).copied().unwrap_or(0);
        let mut f = engine::finish(def, o.computed_cents, adjustment, o.grade_cap, previous_failed, absent);
        let reached = limits_reached.get(&s.member_id).map_or(&[][..], Vec::as_slice);
        let (reminder, resign) = super::absence::flags(reached);
        (f.reminder, f.resign) = (f.reminder || reminder, f.resign || resign);
        rows.push(member_assessment::Model {
            id: 0,
            run_id: run.id,
            member_id: s.member_id,
            year: run.year,
            name_pinyin: s.name_pinyin.clone(),
            seat_id: s.seat_id,
            sector_id: s.sector_id,
            committee_id: s.committee_id,
            studio_id: s.studio_id,
            town_id: s.town_id,
            standing: s.standing,
            new_member: s.new_member,
            computed_cents: o.computed_cents,
            adjustment_cents: adjustment,
            total_cents: f.total_cents,
            subtotals: json(&o.subtotals)?,
            grade: f.grade,
            grade_cap: o.grade_cap,
            unmet_minimums: json(&o.unmet_minimums)?,
            passed: f.passed,
            previous_failed,
            plenary_absences: absent,
            rank: 0,
            sector_rank: 0,
            committee_rank: 0,
            studio_rank: 0,
            town_rank: 0,
            standing_rank: 0,
            newness_rank: 0,
            flag_commend: f.commend,
            flag_reminder: f.reminder,
            flag_resign: f.resign,
            flag_minimum: !o.unmet_minimums.is_empty(),
            absence_flags: super::absence::to_json(reached)?,
        });
    }
    let members = rows.len();
    tracing::debug!(ms = started.elapsed().as_millis(), "assessment finished in memory");
    // The lines' documents are serialised on a thread of their own while the results are sent
    // and inserted (on the same thread, the 5 MB of results would wait in the socket's buffer).
    let rules = def.rules.clone();
    let documents = tokio::task::spawn_blocking(move || line_documents(&rules, &outcomes));
    let ranked = insert_results(txn, rows).await?;
    let documents = documents.await.map_err(|e| AppError::Internal(format!("serialising score lines: {e}")))??;
    let ids: Vec<(i64, i64)> = member_assessment::Entity::find()
        .select_only()
        .column(member_assessment::Column::MemberId)
        .column(member_assessment::Column::Id)
        .filter(member_assessment::Column::RunId.eq(run.id))
        .into_tuple()
        .all(txn)
        .await?;
    let ids: HashMap<i64, i64> = ids.into_iter().collect();
    tracing::debug!(ms = started.elapsed().as_millis(), "assessment results written");

    let documents: Vec<(i64, LineDocument)> =
        documents.into_iter().filter_map(|d| ids.get(&d.member_id).map(|&assessment_id| (assessment_id, d))).collect();
    let line_count = documents.iter().map(|(_, d)| d.lines).sum();
    let mut values = documents.into_iter().map(|(assessment_id, d)| [Value::from(assessment_id), Value::from(d.json)]);
    let backend = txn.get_database_backend();
    while let Some(insert) = insert_lines(backend, &mut values) {
        txn.execute_raw(insert).await?;
    }
    tracing::debug!(ms = started.elapsed().as_millis(), "assessment lines written");
    if !ranked {
        rank(txn, run.id).await?;
        tracing::debug!(ms = started.elapsed().as_millis(), "assessment ranked");
    }
    Ok((members, line_count))
}

/// A member's score lines serialised for `assessment_lines`.
struct LineDocument {
    member_id: i64,
    /// How many lines.
    lines: usize,
    json: String,
}

/// The documents of the members with lines (see [`assessment_lines`]).
fn line_documents(rules: &[rules::Rule], outcomes: &[engine::Outcome]) -> AppResult<Vec<LineDocument>> {
    let with_lines = outcomes.iter().filter(|o| !o.lines.is_empty());
    with_lines
        .map(|o| {
            let lines: Vec<ScoreLine> = o
                .lines
                .iter()
                .map(|line| {
                    let rule = &rules[line.rule];
                    ScoreLine {
                        date: line.date,
                        description: line.description.clone(),
                        rule_code: rule.code.clone(),
                        rule_label: rule.label.clone(),
                        category: rule.category.clone(),
                        source: line.source,
                        source_id: line.source_id,
                        points_cents: line.cents,
                        note: line.note.clone(),
                    }
                })
                .collect();
            Ok(LineDocument { member_id: o.seated.member_id, lines: lines.len(), json: json(&lines)? })
        })
        .collect()
}

/// One multi-row INSERT of the next [`LINES_CHUNK`] documents (`[assessment_id, json]` each), if
/// any are left.
fn insert_lines(backend: DbBackend, values: &mut impl Iterator<Item = [Value; 2]>) -> Option<Statement> {
    let chunk: Vec<Value> = values.take(LINES_CHUNK).flatten().collect();
    if chunk.is_empty() {
        return None;
    }
    let rows = vec!["(?, ?)"; chunk.len() / 2].join(", ");
    Some(engine::statement(
        backend,
        &format!("INSERT INTO assessment_lines (assessment_id, lines) VALUES {rows}"),
        chunk,
    ))
}

/// The rank columns of a result, each with the window that computes it over a run's results:
/// overall and within each cohort, best first, equal totals sharing a rank.
const RANKS: [(&str, &str); 7] = [
    ("rank", ""),
    ("sector_rank", "sector_id"),
    ("committee_rank", "committee_id"),
    ("studio_rank", "studio_id"),
    ("town_rank", "town_id"),
    ("standing_rank", "standing"),
    ("newness_rank", "new_member"),
];

fn rank_window(partition: &str) -> String {
    let by = if partition.is_empty() { String::new() } else { format!("PARTITION BY {partition} ") };
    format!("RANK() OVER ({by}ORDER BY total_cents DESC)")
}

/// Writes a run's results; whether their ranks were set too.
///
/// On PostgreSQL the results go in as one array parameter per column, turned back into rows by
/// `unnest`, with every rank computed by the same INSERT: a run's separate ranking UPDATE
/// rewrote all ten indexes of `member_assessment` for every row, and arrays cross in binary,
/// where a JSON document of the rows had to be parsed and checked as it was bound (figures in
/// BENCHMARKS.md). SQLite takes multi-row INSERTs of the rows, ranked afterwards by
/// [`rank`].
async fn insert_results(txn: &DatabaseTransaction, rows: Vec<member_assessment::Model>) -> AppResult<bool> {
    let backend = txn.get_database_backend();
    if backend != DbBackend::Postgres {
        let mut rows = rows.into_iter().map(|row| {
            let mut active = row.into_active_model();
            active.id = sea_orm::ActiveValue::NotSet;
            active
        });
        loop {
            let chunk: Vec<_> = rows.by_ref().take(RESULT_CHUNK).collect();
            if chunk.is_empty() {
                return Ok(false);
            }
            member_assessment::Entity::insert_many(chunk).exec_without_returning(txn).await?;
        }
    }
    if rows.is_empty() {
        return Ok(true);
    }
    let mut names = Vec::new();
    let mut fields = Vec::new();
    let mut arrays = Vec::new();
    let columns: Vec<member_assessment::Column> = member_assessment::Column::iter()
        .filter(|c| c.as_str() != "id" && !RANKS.iter().any(|(rank, _)| *rank == c.as_str()))
        .collect();
    for &column in &columns {
        let name = column.as_str();
        let (values, nulls) = column_array(rows.iter().map(|row| row.get(column)).collect())?;
        arrays.push(values);
        names.push(name.to_owned());
        match nulls {
            None => fields.push(name.to_owned()),
            Some(nulls) => {
                arrays.push(nulls);
                names.push(format!("{name}_null"));
                fields.push(format!("CASE WHEN {name}_null THEN NULL ELSE {name} END"));
            }
        }
    }
    let columns = columns.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
    let rank_names = RANKS.map(|(name, _)| name).join(", ");
    let windows = RANKS.map(|(_, partition)| rank_window(partition)).join(", ");
    let sql = format!(
        "INSERT INTO member_assessment ({columns}, {rank_names}) SELECT {}, {windows} \
         FROM unnest({}) AS r({})",
        fields.join(", "),
        engine::marks(arrays.len()),
        names.join(", "),
    );
    txn.execute_raw(engine::statement(backend, &sql, arrays)).await?;
    Ok(true)
}

/// A column's values as one PostgreSQL array parameter, and when some are NULL a `bool[]` that
/// says which: SeaORM binds an array as a `Vec` of its element type, which holds no NULLs, so
/// each NULL is sent as its type's zero.
fn column_array(values: Vec<Value>) -> AppResult<(Value, Option<Value>)> {
    let Some(first) = values.first() else {
        return Err(AppError::Internal("an empty column has no array type".into()));
    };
    let kind = first.array_type();
    let nulls: Vec<bool> = values.iter().map(|v| !v.is_some()).collect();
    let any_null = nulls.iter().any(|&null| null);
    let values = values.into_iter().map(|v| if v.is_some() { v } else { v.dummy_value() }).collect();
    let array = Value::Array(kind, Some(Box::new(values)));
    Ok((array, any_null.then(|| Value::from(nulls))))
}

/// Sets every rank of a run in one statement (see [`RANKS`]).
pub(super) async fn rank(db: &impl ConnectionTrait, run_id: i64) -> AppResult<()> {
    let sets = RANKS.iter().enumerate().map(|(i, (name, _))| format!("{name} = r.r{i}")).collect::<Vec<_>>();
    let windows = RANKS
        .iter()
        .enumerate()
        .map(|(i, (_, partition))| format!("{} AS r{i}", rank_window(partition)))
        .collect::<Vec<_>>();
    let sql = format!(
        "UPDATE member_assessment SET {} FROM (SELECT id, {} FROM member_assessment WHERE run_id = ?) r \
         WHERE member_assessment.id = r.id",
        sets.join(", "),
        windows.join(", "),
    );
    db.execute_raw(engine::statement(db.get_database_backend(), &sql, vec![run_id.into()])).await?;
    Ok(())
}
