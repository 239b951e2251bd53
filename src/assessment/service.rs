//! Rule sets, assessment runs and their lifecycle (DRAFT → CONFIRMED → PUBLISHED), manual
//! adjustments, and the queries over results. Access: `policy::read_rule_sets`,
//! `policy::manage_assessments`, `policy::read_assessments`, `policy::member_assessment_scope`.

use std::collections::HashMap;

use chrono::{Datelike, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait,
    IdenStatic, IntoActiveModel, Iterable, ModelTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
    TransactionTrait, Value,
    sea_query::{Query, SimpleExpr},
};

use super::{
    engine::{self, Finish, Subtotal},
    rules::{self, Definition, cents},
};
use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    db::Readers,
    error::{AppError, AppResult},
    pagination::{Ordering, Page, PageArgs, SortKey, paginate},
    validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{
    assessment_adjustment,
    assessment_lines::{self, ScoreLine},
    assessment_run,
    enums::{ConsequenceFlag, Grade, RunStatus},
    member_assessment, rule_set, term,
};

/// Results' line documents per INSERT (two values each).
const LINES_CHUNK: usize = 1000;
/// Results per multi-row INSERT: 36 columns × 500.
const RESULT_CHUNK: usize = 500;

fn account_of(actor: &Actor) -> Option<i64> {
    actor.session().map(|s| s.account_id)
}

// ----- rule sets -----

/// A rule set to create.
#[derive(Clone, Debug)]
pub struct NewRuleSet {
    /// Name; a name already used gets the next version.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// The term it applies to.
    pub term_id: Option<i64>,
    /// The one year it applies to.
    pub year: Option<i32>,
    /// The definition.
    pub definition: Definition,
}

/// Every rule set, by name and newest version first.
pub async fn rule_sets(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<rule_set::Model>> {
    policy::read_rule_sets(actor)?;
    Ok(rule_set::Entity::find()
        .order_by_asc(rule_set::Column::Name)
        .order_by_desc(rule_set::Column::Version)
        .all(db)
        .await?)
}

/// One rule set.
pub async fn rule_set(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<rule_set::Model> {
    policy::read_rule_sets(actor)?;
    rule_set::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found("rule set", id))
}

/// Validates and stores a rule set (as the next version of its name).
pub async fn create_rule_set(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    new: NewRuleSet,
) -> AppResult<rule_set::Model> {
    policy::manage_assessments(actor)?;
    let name = validate::required("input.name", &new.name, MAX_NAME_CHARS)?;
    let description = validate::optional("input.description", new.description.as_deref(), MAX_TEXT_CHARS)?;
    if let Some(year) = new.year
        && !(2000..=2100).contains(&year)
    {
        return Err(AppError::bad_field("input.year", "input.year must be between 2000 and 2100"));
    }
    rules::validate("input", &new.definition)?;
    let definition = new.definition.to_json()?;
    crate::db::atomically(db, async |txn| {
        if let Some(term_id) = new.term_id {
            let term = term::Entity::find_by_id(term_id).one(txn).await?;
            let term =
                term.ok_or_else(|| AppError::bad_field("input.termId", format!("term {term_id} does not exist")))?;
            if let Some(year) = new.year
                && !(term.start_date.year() <= year && year <= term.end_date.year())
            {
                return Err(AppError::bad_field("input.year", format!("input.year {year} is outside {}", term.name)));
            }
        }
        let latest = rule_set::Entity::find()
            .filter(rule_set::Column::Name.eq(name.as_str()))
            .order_by_desc(rule_set::Column::Version)
            .one(txn)
            .await?;
        let row = rule_set::ActiveModel {
            name: Set(name.clone()),
            version: Set(latest.map_or(1, |r| r.version + 1)),
            description: Set(description.clone()),
            term_id: Set(new.term_id),
            year: Set(new.year),
            scale: Set(new.definition.scale),
            definition: Set(definition.clone()),
            created_by: Set(account_of(actor)),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "createRuleSet", "rule_set", row.id, &row).await?;
        Ok(row)
    })
    .await
}

/// Stores the preset named `name` (see `rules/`), tied to a term or year when given.
pub async fn load_preset(
    db: &(impl TransactionTrait<Transaction = DatabaseTransaction> + ConnectionTrait),
    actor: &Actor,
    name: &str,
    term_id: Option<i64>,
    year: Option<i32>,
) -> AppResult<rule_set::Model> {
    let file = rules::preset(name)?;
    let new = NewRuleSet { name: file.name, description: file.description, term_id, year, definition: file.definition };
    create_rule_set(db, actor, new).await
}

// ----- runs -----

/// Runs `rule_set_id` over `year`: a new DRAFT run, or the recomputation of the DRAFT run of
/// that rule set and year. Confirmed and published runs are locked (CONFLICT).
///
/// The records are read and scored first (on more than one connection when `db` is a pool, see
/// [`engine::compute_with`]); the results are then written in one transaction that locks the
/// run, checks again that it may be recomputed and replaces its results whole.
pub async fn run(
    db: &(impl TransactionTrait<Transaction = DatabaseTransaction> + ConnectionTrait + Readers),
    actor: &Actor,
    rule_set_id: i64,
    year: i32,
) -> AppResult<assessment_run::Model> {
    policy::manage_assessments(actor)?;
    if !(2000..=2100).contains(&year) {
        return Err(AppError::bad_field("input.year", "input.year must be between 2000 and 2100"));
    }
    let set = rule_set::Entity::find_by_id(rule_set_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_field("input.ruleSetId", format!("rule set {rule_set_id} does not exist")))?;
    check_scope(db, &set, year).await?;
    let def = Definition::from_json(&set.definition)?;
    if let Some(run) = run_of(rule_set_id, year).one(db).await?
        && run.status != RunStatus::Draft
    {
        return Err(locked(&run));
    }
    let now = Utc::now();
    let started = std::time::Instant::now();
    let outcomes = engine::compute(db, &def, year).await?;
    tracing::debug!(ms = started.elapsed().as_millis(), "assessment computed");
    crate::db::atomically(db, async |txn| {
        let existing = run_of(rule_set_id, year).lock_exclusive().one(txn).await?;
        let run = match existing {
            Some(run) if run.status != RunStatus::Draft => return Err(locked(&run)),
            Some(run) => {
                clear(txn, run.id).await?;
                run
            }
            None => {
                let row = assessment_run::ActiveModel {
                    rule_set_id: Set(rule_set_id),
                    year: Set(year),
                    status: Set(RunStatus::Draft),
                    member_count: Set(0),
                    line_count: Set(0),
                    computed_at: Set(now),
                    confirmed_at: Set(None),
                    published_at: Set(None),
                    created_by: Set(account_of(actor)),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                audit::created(txn, actor, "runAssessment", "assessment_run", row.id, &row).await?;
                row
            }
        };
        let (members, lines) = write_results(txn, &def, &run, outcomes).await?;
        let before = run.clone();
        let mut active = run.into_active_model();
        active.member_count = Set(i32::try_from(members).unwrap_or(i32::MAX));
        active.line_count = Set(i64::try_from(lines).unwrap_or(i64::MAX));
        active.computed_at = Set(now);
        let after = active.update(txn).await?;
        audit::changed(txn, actor, "runAssessment", "assessment_run", after.id, &before, &after).await?;
        Ok(after)
    })
    .await
}

/// The run of a rule set for a year (at most one).
fn run_of(rule_set_id: i64, year: i32) -> sea_orm::Select<assessment_run::Entity> {
    assessment_run::Entity::find()
        .filter(assessment_run::Column::RuleSetId.eq(rule_set_id))
        .filter(assessment_run::Column::Year.eq(year))
}

/// Why a confirmed or published run cannot be recomputed.
fn locked(run: &assessment_run::Model) -> AppError {
    AppError::Conflict(format!(
        "the {} run of this rule set is {} and can no longer be recomputed",
        run.year,
        run.status.to_value_en()
    ))
}

trait StatusEn {
    fn to_value_en(self) -> &'static str;
}

impl StatusEn for RunStatus {
    fn to_value_en(self) -> &'static str {
        match self {
            RunStatus::Draft => "a draft",
            RunStatus::Confirmed => "confirmed",
            RunStatus::Published => "published",
        }
    }
}

async fn check_scope(db: &impl ConnectionTrait, set: &rule_set::Model, year: i32) -> AppResult<()> {
    if let Some(only) = set.year
        && only != year
    {
        return Err(AppError::bad_field("input.year", format!("this rule set applies to {only} only")));
    }
    if let Some(term_id) = set.term_id
        && let Some(term) = term::Entity::find_by_id(term_id).one(db).await?
    {
        let (first, last) = (term.start_date.year(), term.end_date.year());
        if !(first <= year && year <= last) {
            return Err(AppError::bad_field(
                "input.year",
                format!("this rule set applies to {} ({first}–{last})", term.name),
            ));
        }
    }
    Ok(())
}

/// Deletes a run's results; their lines go with them (`ON DELETE CASCADE`).
async fn clear(txn: &DatabaseTransaction, run_id: i64) -> AppResult<()> {
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
async fn write_results(
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
    let previous = previous_failures(txn, run.year).await?;
    let adjustments = adjustments_of(txn, run.id).await?;

    let mut rows = Vec::with_capacity(outcomes.len());
    for o in &outcomes {
        let s = &o.seated;
        let previous_failed = previous.get(&s.member_id).copied().unwrap_or(false);
        let absent = absences.get(&s.member_id).copied().unwrap_or(0);
        let adjustment = adjustments.get(&s.member_id).copied().unwrap_or(0);
        let f = engine::finish(def, o.computed_cents, adjustment, o.grade_cap, previous_failed, absent);
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
/// rewrote all ten indexes of `member_assessment` for every row (0.9 s at 10,000 members), and
/// arrays cross in binary, where a JSON document of the rows took 0.16 s to parse and 0.06 s to
/// check as it was bound. SQLite takes multi-row INSERTs of the rows, ranked afterwards by
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
async fn rank(db: &impl ConnectionTrait, run_id: i64) -> AppResult<()> {
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

/// One run.
pub async fn find_run(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<assessment_run::Model> {
    policy::read_assessments(actor)?;
    assessment_run::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found("assessment run", id))
}

/// The runs of a year (every year when none), newest first.
pub async fn runs(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: Option<i32>,
) -> AppResult<Vec<assessment_run::Model>> {
    policy::read_assessments(actor)?;
    let mut select = assessment_run::Entity::find().order_by_desc(assessment_run::Column::Id);
    if let Some(year) = year {
        select = select.filter(assessment_run::Column::Year.eq(year));
    }
    Ok(select.all(db).await?)
}

/// The run that speaks for a year: the published one, else the latest.
pub async fn official_run(db: &impl ConnectionTrait, year: i32) -> AppResult<Option<assessment_run::Model>> {
    // One statement: published runs sort first, then the newest.
    let published = assessment_run::Column::Status.eq(RunStatus::Published);
    Ok(assessment_run::Entity::find()
        .filter(assessment_run::Column::Year.eq(year))
        .order_by_desc(published)
        .order_by_desc(assessment_run::Column::Id)
        .one(db)
        .await?)
}

async fn transition(
    db: &(impl TransactionTrait<Transaction = DatabaseTransaction> + ConnectionTrait),
    actor: &Actor,
    id: i64,
    from: RunStatus,
    to: RunStatus,
    operation: &str,
) -> AppResult<assessment_run::Model> {
    policy::manage_assessments(actor)?;
    crate::db::atomically(db, async |txn| {
        let run = assessment_run::Entity::find_by_id(id)
            .lock_exclusive()
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("assessment run", id))?;
        if run.status != from {
            return Err(AppError::Conflict(format!(
                "assessment run {id} is {}; only {} runs can be {}",
                run.status.to_value_en(),
                from.to_value_en().trim_start_matches("a "),
                if to == RunStatus::Confirmed { "confirmed" } else { "published" }
            )));
        }
        if to == RunStatus::Published {
            let other = assessment_run::Entity::find()
                .filter(assessment_run::Column::Year.eq(run.year))
                .filter(assessment_run::Column::Status.eq(RunStatus::Published))
                .one(txn)
                .await?;
            if let Some(other) = other {
                return Err(AppError::Conflict(format!(
                    "assessment run {} already speaks for {}; a year has one published run",
                    other.id, run.year
                )));
            }
        }
        let before = run.clone();
        let mut active = run.into_active_model();
        active.status = Set(to);
        if to == RunStatus::Confirmed {
            active.confirmed_at = Set(Some(Utc::now()));
        } else {
            active.published_at = Set(Some(Utc::now()));
        }
        let after = active.update(txn).await?;
        audit::changed(txn, actor, operation, "assessment_run", id, &before, &after).await?;
        Ok(after)
    })
    .await
}

/// DRAFT → CONFIRMED.
pub async fn confirm(
    db: &(impl TransactionTrait<Transaction = DatabaseTransaction> + ConnectionTrait),
    actor: &Actor,
    id: i64,
) -> AppResult<assessment_run::Model> {
    transition(db, actor, id, RunStatus::Draft, RunStatus::Confirmed, "confirmAssessmentRun").await
}

/// CONFIRMED → PUBLISHED (locked); a year has at most one published run.
pub async fn publish(
    db: &(impl TransactionTrait<Transaction = DatabaseTransaction> + ConnectionTrait),
    actor: &Actor,
    id: i64,
) -> AppResult<assessment_run::Model> {
    transition(db, actor, id, RunStatus::Confirmed, RunStatus::Published, "publishAssessmentRun").await
}

/// Adds signed points with a reason to a member's result in a DRAFT run; total, grade, flags
/// and ranks follow at once, and the adjustment survives recomputation.
pub async fn adjust(
    db: &DatabaseConnection,
    actor: &Actor,
    assessment_id: i64,
    points: Decimal,
    reason: &str,
) -> AppResult<member_assessment::Model> {
    policy::manage_assessments(actor)?;
    let reason = validate::required("input.reason", reason, MAX_TEXT_CHARS)?;
    if points.is_zero() || points.normalize().scale() > 2 || points.abs() > Decimal::from(rules::MAX_POINTS) {
        return Err(AppError::bad_field(
            "input.points",
            format!("input.points must be non-zero, within ±{}, with at most two decimal places", rules::MAX_POINTS),
        ));
    }
    crate::db::atomically(db, async |txn| {
        let row = member_assessment::Entity::find_by_id(assessment_id)
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("member assessment", assessment_id))?;
        let run = assessment_run::Entity::find_by_id(row.run_id)
            .lock_exclusive()
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("assessment run", row.run_id))?;
        if run.status != RunStatus::Draft {
            return Err(AppError::Conflict(format!(
                "assessment run {} is {}; only draft runs can be adjusted",
                run.id,
                run.status.to_value_en()
            )));
        }
        let set = rule_set::Entity::find_by_id(run.rule_set_id)
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("rule set", run.rule_set_id))?;
        let def = Definition::from_json(&set.definition)?;
        let (account_id, author) = match actor {
            Actor::Account(s) => (Some(s.account_id), s.username.clone()),
            _ => (None, "system".to_owned()),
        };
        let adjustment = assessment_adjustment::ActiveModel {
            run_id: Set(run.id),
            member_id: Set(row.member_id),
            points_cents: Set(cents(points)),
            reason: Set(reason.clone()),
            account_id: Set(account_id),
            author: Set(author),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "adjustAssessment", "assessment_adjustment", adjustment.id, &adjustment).await?;
        let before = row.clone();
        let adjustment_cents = row.adjustment_cents + adjustment.points_cents;
        let f = engine::finish(
            &def,
            row.computed_cents,
            adjustment_cents,
            row.grade_cap,
            row.previous_failed,
            row.plenary_absences,
        );
        let mut active = row.into_active_model();
        apply(&mut active, adjustment_cents, f);
        let updated = active.update(txn).await?;
        audit::changed(txn, actor, "adjustAssessment", "member_assessment", updated.id, &before, &updated).await?;
        rank(txn, run.id).await?;
        Ok(member_assessment::Entity::find_by_id(updated.id).one(txn).await?.unwrap_or(updated))
    })
    .await
}

fn apply(active: &mut member_assessment::ActiveModel, adjustment_cents: i64, f: Finish) {
    active.adjustment_cents = Set(adjustment_cents);
    active.total_cents = Set(f.total_cents);
    active.grade = Set(f.grade);
    active.passed = Set(f.passed);
    active.flag_commend = Set(f.commend);
    active.flag_reminder = Set(f.reminder);
    active.flag_resign = Set(f.resign);
}

// ----- results -----

/// Which results to list.
#[derive(Clone, Debug, Default)]
pub struct AssessmentFilter {
    /// Results of this run (default: the run that speaks for the year).
    pub run_id: Option<i64>,
    /// With this grade.
    pub grade: Option<Grade>,
    /// In this sector.
    pub sector_id: Option<i64>,
    /// In this special committee.
    pub committee_id: Option<i64>,
    /// In this studio.
    pub studio_id: Option<i64>,
    /// In this town or street.
    pub town_id: Option<i64>,
    /// Standing members (true) or the others (false).
    pub standing: Option<bool>,
    /// New members (true) or returning ones (false).
    pub new_member: Option<bool>,
    /// Carrying this flag.
    pub flag: Option<ConsequenceFlag>,
}

/// How results are sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AssessmentSort {
    /// By rank (then name).
    #[default]
    Rank,
    /// By total (then name).
    Total,
    /// By name (pinyin).
    Name,
}

/// The function that counts a list on demand.
pub type Counter = crate::pagination::Counter;

/// A page of the results of a year (the run that speaks for it, or `filter.run_id`'s).
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    year: i32,
    filter: AssessmentFilter,
    sort: (AssessmentSort, bool),
    args: &PageArgs,
) -> AppResult<(Page<member_assessment::Model>, Counter)> {
    policy::read_assessments(actor)?;
    use member_assessment::Column as C;
    let run_id = match filter.run_id {
        Some(id) => Some(id),
        None => official_run(db, year).await?.map(|r| r.id),
    };
    let mut cond = Condition::all().add(C::Year.eq(year)).add(C::RunId.eq(run_id.unwrap_or(-1)));
    if let Some(g) = filter.grade {
        cond = cond.add(C::Grade.eq(g));
    }
    for (column, value) in [
        (C::SectorId, filter.sector_id),
        (C::CommitteeId, filter.committee_id),
        (C::StudioId, filter.studio_id),
        (C::TownId, filter.town_id),
    ] {
        if let Some(v) = value {
            cond = cond.add(column.eq(v));
        }
    }
    if let Some(v) = filter.standing {
        cond = cond.add(C::Standing.eq(v));
    }
    if let Some(v) = filter.new_member {
        cond = cond.add(C::NewMember.eq(v));
    }
    if let Some(flag) = filter.flag {
        let column = match flag {
            ConsequenceFlag::Commend => C::FlagCommend,
            ConsequenceFlag::ReminderTalk => C::FlagReminder,
            ConsequenceFlag::PersuadeResign => C::FlagResign,
            ConsequenceFlag::MinimumNotMet => C::FlagMinimum,
        };
        cond = cond.add(column.eq(true));
    }
    let base = member_assessment::Entity::find().filter(cond);
    let (sort, descending) = sort;
    let key = |column, descending| SortKey { column, descending };
    let ordering = match sort {
        AssessmentSort::Rank => Ordering::new(
            if descending { "rank-desc" } else { "rank" },
            vec![key(C::Rank, descending), key(C::NamePinyin, false), key(C::Id, false)],
        ),
        AssessmentSort::Total => Ordering::new(
            if descending { "total-desc" } else { "total" },
            vec![key(C::TotalCents, descending), key(C::NamePinyin, false), key(C::Id, false)],
        ),
        AssessmentSort::Name => Ordering::new(
            if descending { "name-desc" } else { "name" },
            vec![key(C::NamePinyin, descending), key(C::Id, descending)],
        ),
    };
    let page = paginate(db, base.clone(), &ordering, args).await?;
    Ok((page, crate::pagination::counter(db, base)))
}

/// One member's result by id, as the actor may see it.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<member_assessment::Model> {
    let row = member_assessment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("member assessment", id))?;
    match policy::member_assessment_scope(actor, row.member_id)? {
        policy::AssessmentScope::All => Ok(row),
        policy::AssessmentScope::Published => {
            let run = assessment_run::Entity::find_by_id(row.run_id).one(db).await?;
            if run.is_some_and(|r| r.status == RunStatus::Published) {
                Ok(row)
            } else {
                Err(AppError::not_found("member assessment", id))
            }
        }
    }
}

/// The result of each `(member, year)` that speaks for it: from the year's published run,
/// else (when `published_only` is false) from its latest run. Two queries for any number of
/// keys.
pub async fn for_members(
    db: &impl ConnectionTrait,
    keys: &[(i64, i32)],
    published_only: bool,
) -> AppResult<HashMap<(i64, i32), member_assessment::Model>> {
    let years: Vec<i32> = {
        let mut y: Vec<i32> = keys.iter().map(|k| k.1).collect();
        y.sort_unstable();
        y.dedup();
        y
    };
    let mut select = assessment_run::Entity::find().filter(assessment_run::Column::Year.is_in(years));
    if published_only {
        select = select.filter(assessment_run::Column::Status.eq(RunStatus::Published));
    }
    let runs = select.all(db).await?;
    // Per year, runs in preference order: published first, then the newest.
    let preference = |r: &assessment_run::Model| (r.status != RunStatus::Published, -r.id);
    let mut best: HashMap<i32, Vec<&assessment_run::Model>> = HashMap::new();
    for run in &runs {
        best.entry(run.year).or_default().push(run);
    }
    for list in best.values_mut() {
        list.sort_by_key(|r| preference(r));
    }
    let members: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let rows = member_assessment::Entity::find()
        .filter(member_assessment::Column::RunId.is_in(runs.iter().map(|r| r.id)))
        .filter(member_assessment::Column::MemberId.is_in(members))
        .all(db)
        .await?;
    let mut by_run: HashMap<(i64, i64), member_assessment::Model> = HashMap::new();
    for row in rows {
        by_run.insert((row.run_id, row.member_id), row);
    }
    let mut out = HashMap::new();
    for &(member, year) in keys {
        let found = best.get(&year).and_then(|list| list.iter().find_map(|r| by_run.get(&(r.id, member))));
        if let Some(row) = found {
            out.insert((member, year), row.clone());
        }
    }
    Ok(out)
}

/// The subtotals stored with a result.
pub fn subtotals(row: &member_assessment::Model) -> AppResult<Vec<Subtotal>> {
    serde_json::from_str(&row.subtotals).map_err(|e| AppError::Internal(format!("stored subtotals: {e}")))
}

/// The unmet minimum requirements stored with a result.
pub fn unmet_minimums(row: &member_assessment::Model) -> Vec<String> {
    serde_json::from_str(&row.unmet_minimums).unwrap_or_default()
}

/// How many members of a run got each grade.
pub async fn grade_counts(db: &impl ConnectionTrait, run_id: i64) -> AppResult<Vec<(Grade, i64)>> {
    let rows: Vec<(Grade, i64)> = member_assessment::Entity::find()
        .select_only()
        .column(member_assessment::Column::Grade)
        .column_as(member_assessment::Column::Id.count(), "n")
        .filter(member_assessment::Column::RunId.eq(run_id))
        .group_by(member_assessment::Column::Grade)
        .into_tuple()
        .all(db)
        .await?;
    let mut rows = rows;
    rows.sort_by_key(|(g, _)| g.order());
    Ok(rows)
}

/// The score lines of many results, in line order.
pub async fn lines_of(db: &impl ConnectionTrait, assessment_ids: &[i64]) -> AppResult<HashMap<i64, Vec<ScoreLine>>> {
    lines_where(db, assessment_lines::Column::AssessmentId.is_in(assessment_ids.iter().copied())).await
}

/// The score lines of every result of run `run_id`, by result.
pub async fn lines_of_run(db: &impl ConnectionTrait, run_id: i64) -> AppResult<HashMap<i64, Vec<ScoreLine>>> {
    let results = Query::select()
        .column(member_assessment::Column::Id)
        .from(member_assessment::Entity)
        .and_where(member_assessment::Column::RunId.eq(run_id))
        .to_owned();
    lines_where(db, assessment_lines::Column::AssessmentId.in_subquery(results)).await
}

async fn lines_where(db: &impl ConnectionTrait, which: SimpleExpr) -> AppResult<HashMap<i64, Vec<ScoreLine>>> {
    let rows = assessment_lines::Entity::find().filter(which).all(db).await?;
    rows.into_iter().map(|row| Ok((row.assessment_id, parse_lines(&row.lines)?))).collect()
}

/// A result's stored lines (see [`assessment_lines`]).
fn parse_lines(document: &str) -> AppResult<Vec<ScoreLine>> {
    serde_json::from_str(document).map_err(|e| AppError::Internal(format!("stored score lines do not parse: {e}")))
}

/// The adjustments of many (run, member) pairs, oldest first.
pub async fn adjustments_for(
    db: &impl ConnectionTrait,
    keys: &[(i64, i64)],
) -> AppResult<HashMap<(i64, i64), Vec<assessment_adjustment::Model>>> {
    let runs: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let members: Vec<i64> = keys.iter().map(|k| k.1).collect();
    let rows = assessment_adjustment::Entity::find()
        .filter(assessment_adjustment::Column::RunId.is_in(runs))
        .filter(assessment_adjustment::Column::MemberId.is_in(members))
        .order_by_asc(assessment_adjustment::Column::Id)
        .all(db)
        .await?;
    let mut out: HashMap<(i64, i64), Vec<assessment_adjustment::Model>> = HashMap::new();
    for row in rows {
        out.entry((row.run_id, row.member_id)).or_default().push(row);
    }
    Ok(out)
}

/// How many results a run has (for checks and the CLI).
pub async fn count(db: &impl ConnectionTrait, run_id: i64) -> AppResult<u64> {
    Ok(member_assessment::Entity::find().filter(member_assessment::Column::RunId.eq(run_id)).count(db).await?)
}
