//! Runs and their lifecycle: computing (or recomputing) a DRAFT run, confirming and
//! publishing it, and manual adjustments of a result in a DRAFT run.

use chrono::{Datelike, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use super::account_of;
use crate::{
    assessment::{
        engine::{self, Finish},
        rules::{self, Definition, cents},
        write,
    },
    audit::service as audit,
    auth::{Actor, LiveActor, policy},
    db::Readers,
    error::{AppError, AppResult},
    events::{Broker, Event, deliver},
    validate::{self, MAX_TEXT_CHARS},
};
use entity::{assessment_adjustment, assessment_run, enums::RunStatus, member_assessment, rule_set, term};

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
        return Err(AppError::bad_field("year", "year must be between 2000 and 2100"));
    }
    let set = rule_set::Entity::find_by_id(rule_set_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_field("ruleSetId", format!("rule set {rule_set_id} does not exist")))?;
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
                write::clear(txn, run.id).await?;
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
        let (members, lines) = write::results(txn, &def, &run, outcomes).await?;
        let before = run.clone();
        let mut active = run.into_active_model();
        active.member_count = Set(i32::try_from(members).unwrap_or(i32::MAX));
        active.line_count = Set(i64::try_from(lines).unwrap_or(i64::MAX));
        active.computed_at = Set(now);
        // New results: the group figures kept for the old ones are not read again.
        active.revision = Set(before.revision + 1);
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
        return Err(AppError::bad_field("year", format!("this rule set applies to {only} only")));
    }
    if let Some(term_id) = set.term_id
        && let Some(term) = term::Entity::find_by_id(term_id).one(db).await?
    {
        let (first, last) = (term.start_date.year(), term.end_date.year());
        if !(first <= year && year <= last) {
            return Err(AppError::bad_field(
                "year",
                format!("this rule set applies to {} ({first}–{last})", term.name),
            ));
        }
    }
    Ok(())
}

/// One run, as the actor may find it (a VIEWER only a published one; others are NOT_FOUND).
pub async fn find_run(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<assessment_run::Model> {
    let scope = policy::read_assessment_runs(actor)?;
    assessment_run::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|run| !scope.published_only() || run.status == RunStatus::Published)
        .ok_or_else(|| AppError::not_found("assessment run", id))
}

/// The runs of a year (every year when none) the actor may find, newest first.
pub async fn runs(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: Option<i32>,
) -> AppResult<Vec<assessment_run::Model>> {
    let scope = policy::read_assessment_runs(actor)?;
    let mut select = assessment_run::Entity::find().order_by_desc(assessment_run::Column::Id);
    if scope.published_only() {
        select = select.filter(assessment_run::Column::Status.eq(RunStatus::Published));
    }
    if let Some(year) = year {
        select = select.filter(assessment_run::Column::Year.eq(year));
    }
    Ok(select.all(db).await?)
}

/// The run that speaks for a year: the published one, else the latest.
pub async fn official_run(db: &impl ConnectionTrait, year: i32) -> AppResult<Option<assessment_run::Model>> {
    Ok(official_runs(year).one(db).await?)
}

/// The runs of `year`, the one that speaks for it first: published runs sort first, then the
/// newest. Limited to one, it is [`official_run`]'s statement, or a subquery of another's.
pub fn official_runs(year: i32) -> sea_orm::Select<assessment_run::Entity> {
    let published = assessment_run::Column::Status.eq(RunStatus::Published);
    assessment_run::Entity::find()
        .filter(assessment_run::Column::Year.eq(year))
        .order_by_desc(published)
        .order_by_desc(assessment_run::Column::Id)
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
/// and ranks follow at once, and the adjustment survives recomputation. Returns the result and
/// its run.
pub async fn adjust(
    db: &DatabaseConnection,
    actor: &Actor,
    assessment_id: i64,
    points: Decimal,
    reason: &str,
) -> AppResult<(member_assessment::Model, assessment_run::Model)> {
    policy::manage_assessments(actor)?;
    let reason = validate::required("reason", reason, MAX_TEXT_CHARS)?;
    if points.is_zero() || points.normalize().scale() > 2 || points.abs() > Decimal::from(rules::MAX_POINTS) {
        return Err(AppError::bad_field(
            "points",
            format!("points must be non-zero, within ±{}, with at most two decimal places", rules::MAX_POINTS),
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
        let mut f = engine::finish(
            &def,
            row.computed_cents,
            adjustment_cents,
            row.grade_cap,
            row.previous_failed,
            row.plenary_absences,
        );
        // Absence limits reached do not depend on points: they stand through adjustments.
        let (reminder, resign) =
            crate::assessment::absence::flags(&crate::assessment::absence::from_json(&row.absence_flags));
        (f.reminder, f.resign) = (f.reminder || reminder, f.resign || resign);
        let mut active = row.into_active_model();
        apply(&mut active, adjustment_cents, f);
        let updated = active.update(txn).await?;
        audit::changed(txn, actor, "adjustAssessment", "member_assessment", updated.id, &before, &updated).await?;
        write::rank(txn, run.id).await?;
        let ranked = member_assessment::Entity::find_by_id(updated.id).one(txn).await?.unwrap_or(updated);
        // A total changed: the group figures kept for the run's results are not read again.
        let revision = run.revision + 1;
        let mut active = run.into_active_model();
        active.revision = Set(revision);
        let run = active.update(txn).await?;
        Ok((ranked, run))
    })
    .await
}

/// The audit log's name for the adjustments a discarded run took with it (one entry, the run's
/// id, every adjustment as it was).
pub const ADJUSTMENTS_ENTITY: &str = "assessment_run_adjustments";

/// Discards a DRAFT run with its results, their score lines and its adjustments, in one
/// transaction (a statement per table, whatever the run holds); confirmed and published runs
/// stay (CONFLICT). Returns the run as it was and how many results went with it.
pub async fn discard(
    db: &(impl TransactionTrait<Transaction = DatabaseTransaction> + ConnectionTrait),
    actor: &Actor,
    id: i64,
) -> AppResult<(assessment_run::Model, u64)> {
    policy::manage_assessments(actor)?;
    crate::db::atomically(db, async |txn| {
        let run = assessment_run::Entity::find_by_id(id)
            .lock_exclusive()
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("assessment run", id))?;
        if run.status != RunStatus::Draft {
            return Err(AppError::Conflict(format!(
                "assessment run {id} is {}; only a draft run can be discarded",
                run.status.to_value_en()
            )));
        }
        let adjustments = assessment_adjustment::Entity::find()
            .filter(assessment_adjustment::Column::RunId.eq(id))
            .order_by_asc(assessment_adjustment::Column::Id)
            .all(txn)
            .await?;
        assessment_adjustment::Entity::delete_many()
            .filter(assessment_adjustment::Column::RunId.eq(id))
            .exec(txn)
            .await?;
        let results = member_assessment::Entity::delete_many()
            .filter(member_assessment::Column::RunId.eq(id))
            .exec(txn)
            .await?
            .rows_affected;
        assessment_run::Entity::delete_by_id(id).exec(txn).await?;
        audit::removed(txn, actor, "discardAssessmentRun", "assessment_run", id, &run).await?;
        if !adjustments.is_empty() {
            audit::removed(txn, actor, "discardAssessmentRun", ADJUSTMENTS_ENTITY, id, &adjustments).await?;
        }
        Ok((run, results))
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

/// The run `run_id` each time it is computed, adjusted, confirmed or published from now on, as
/// `events` carries it: each change delivered only while `subscriber` may still read results,
/// until their session ends (see [`deliver`]).
pub fn run_changes(
    db: &DatabaseConnection,
    subscriber: LiveActor,
    events: &Broker,
    run_id: i64,
) -> AppResult<impl futures_util::Stream<Item = AppResult<assessment_run::Model>> + use<>> {
    policy::read_assessments(subscriber.at_start())?;
    let db = db.clone();
    let pick = move |event| match event {
        Event::AssessmentRunChanged(run) if run.id == run_id => Some(run),
        _ => None,
    };
    let admit = move |now: Actor, run: assessment_run::Model| {
        let db = db.clone();
        async move { find_run(&db, &now, run.id).await }
    };
    Ok(deliver(events.subscribe(), subscriber, pick, admit))
}
