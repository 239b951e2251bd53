//! Rules and queries of public-opinion reports.
//!
//! A report is SUBMITTED, then ADOPTED (at one level or several, each adoption with its date,
//! channel and any leader's instruction) or NOT_ADOPTED. A proposal converted into a report
//! keeps a link to it (`source_proposal_id`) and from then on counts only as the report: the
//! proposal statistics leave CONVERTED proposals out, and [`year_counts`] counts the report
//! once, in the proposal's year.

use chrono::{Datelike, NaiveDate, Utc};
use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Select,
    sea_query::{Expr, Query, SimpleExpr},
};

use crate::{
    audit::service as audit,
    auth::{
        Actor,
        policy::{self, Reach, RecordScope},
    },
    dates::today,
    error::{AppError, AppResult},
    pagination::{Counter, counter},
    pagination::{Ordering, Page, PageArgs, SortKey, paginate},
    signed::service::{self as signed, MAX_TITLE_CHARS},
    sql::count_if,
    validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{
    enums::{AdoptionLevel, InstructionLevel, OpinionStatus},
    opinion_adoption, opinion_author, opinion_report,
};

pub use crate::signed::service::NewSigner;

/// The length a report's body should keep to (guidance: longer bodies are stored, with a
/// warning).
pub const BODY_GUIDANCE_CHARS: usize = 1500;

/// A report to submit.
#[derive(Clone, Debug)]
pub struct NewOpinionReport {
    /// The authors: exactly one FIRST, any number of CO.
    pub authors: Vec<NewSigner>,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// Submission day; today when absent.
    pub submitted_on: Option<NaiveDate>,
}

/// A stored report and the warnings its input drew.
#[derive(Clone, Debug)]
pub struct Submitted {
    /// The report.
    pub report: opinion_report::Model,
    /// Guidance the input did not follow (the report is stored all the same).
    pub warnings: Vec<String>,
}

/// A leader's instruction (批示).
#[derive(Clone, Debug)]
pub struct NewInstruction {
    /// The leader's level.
    pub level: InstructionLevel,
    /// The leader.
    pub leader: Option<String>,
    /// The instruction.
    pub text: Option<String>,
}

/// An adoption to record.
#[derive(Clone, Debug)]
pub struct NewAdoption {
    /// Who adopted it.
    pub level: AdoptionLevel,
    /// The day; today when absent.
    pub adopted_on: Option<NaiveDate>,
    /// The channel, e.g. "《社情民意》2024年第12期".
    pub channel: Option<String>,
    /// A leader's instruction on it.
    pub instruction: Option<NewInstruction>,
}

/// Which reports to list.
#[derive(Clone, Debug, Default)]
pub struct OpinionFilter {
    /// Of this year.
    pub year: Option<i32>,
    /// In this state.
    pub status: Option<OpinionStatus>,
    /// Written by this member.
    pub member_id: Option<i64>,
    /// Adopted at this level.
    pub adoption_level: Option<AdoptionLevel>,
    /// Converted from a proposal (or not).
    pub from_proposal: Option<bool>,
}

fn written_by(member_id: i64) -> SimpleExpr {
    signed::signed_by::<opinion_author::Entity>(opinion_report::Column::Id, member_id)
}

fn scoped(select: Select<opinion_report::Entity>, scope: RecordScope) -> Select<opinion_report::Entity> {
    // A voided report counts nowhere: no list or page reaches it.
    reach(select, scope).filter(opinion_report::Column::VoidedAt.is_null())
}

/// [`scoped`] with voided reports kept: the single lookup, which then asks `live::found`.
fn reach(select: Select<opinion_report::Entity>, scope: RecordScope) -> Select<opinion_report::Entity> {
    match scope.reach() {
        Reach::All => select,
        Reach::Member(id) => select.filter(written_by(id)),
        // Handling units never read reports (the policy refuses them); nothing matches.
        Reach::HandlingUnit(_) => select.filter(opinion_report::Column::Id.is_null()),
    }
}

fn newest_first() -> Ordering<opinion_report::Entity> {
    Ordering::new("OPINION:ID:DESC", vec![SortKey { column: opinion_report::Column::Id, descending: true }])
}

/// A page of the reports the actor may see, newest first, and the counter of all that match.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: OpinionFilter,
    page: &PageArgs,
) -> AppResult<(Page<opinion_report::Model>, Counter)> {
    let scope = policy::read_opinion_reports(actor)?;
    let mut select = scoped(opinion_report::Entity::find(), scope);
    if let Some(year) = filter.year {
        select = select.filter(opinion_report::Column::Year.eq(year));
    }
    if let Some(status) = filter.status {
        select = select.filter(opinion_report::Column::Status.eq(status));
    }
    if let Some(member) = filter.member_id {
        select = select.filter(written_by(member));
    }
    if let Some(level) = filter.adoption_level {
        select = select.filter(
            opinion_report::Column::Id.in_subquery(
                Query::select()
                    .column(opinion_adoption::Column::ReportId)
                    .from(opinion_adoption::Entity)
                    .and_where(opinion_adoption::Column::Level.eq(level))
                    .to_owned(),
            ),
        );
    }
    match filter.from_proposal {
        Some(true) => select = select.filter(opinion_report::Column::SourceProposalId.is_not_null()),
        Some(false) => select = select.filter(opinion_report::Column::SourceProposalId.is_null()),
        None => {}
    }
    let page = paginate(db, select.clone(), &newest_first(), page).await?;
    Ok((page, counter(db, select)))
}

/// One report the actor may see, or NOT_FOUND (FORBIDDEN when the role reads no reports).
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<opinion_report::Model> {
    let scope = policy::read_opinion_reports(actor)?;
    let row = reach(opinion_report::Entity::find_by_id(id), scope)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("public-opinion report", id))?;
    let voided_at = row.voided_at;
    crate::live::found(actor, row, voided_at, "public-opinion report", id)
}

/// The stored fields of a new report.
pub(crate) struct ReportRow {
    pub year: i32,
    pub submitted_on: NaiveDate,
    pub title: String,
    pub body: String,
    pub source_proposal_id: Option<i64>,
}

/// Inserts a report with its authors (already checked) and writes them to the audit log as
/// created by `operation`.
pub(crate) async fn insert_report(
    db: &impl ConnectionTrait,
    actor: &Actor,
    operation: &str,
    row: ReportRow,
    authors: &[NewSigner],
) -> AppResult<opinion_report::Model> {
    let now = Utc::now();
    let report = opinion_report::ActiveModel {
        year: Set(row.year),
        submitted_on: Set(row.submitted_on),
        title: Set(row.title),
        body: Set(row.body),
        status: Set(OpinionStatus::Submitted),
        source_proposal_id: Set(row.source_proposal_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if !authors.is_empty() {
        let rows = authors.iter().map(|a| opinion_author::ActiveModel {
            report_id: Set(report.id),
            member_id: Set(a.member_id),
            role: Set(a.role),
            ..Default::default()
        });
        opinion_author::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    audit::created(db, actor, operation, "opinion_report", report.id, &report).await?;
    let stored = opinion_author::Entity::find()
        .filter(opinion_author::Column::ReportId.eq(report.id))
        .order_by_asc(opinion_author::Column::Id)
        .all(db)
        .await?;
    for author in &stored {
        audit::created(db, actor, operation, "opinion_author", author.id, author).await?;
    }
    Ok(report)
}

/// Submits a report. A body longer than [`BODY_GUIDANCE_CHARS`] is stored with a warning.
pub async fn submit(db: &DatabaseConnection, actor: &Actor, new: NewOpinionReport) -> AppResult<Submitted> {
    policy::submit_opinion_report(actor, signed::first_of(&new.authors))?;
    let title = validate::required("title", &new.title, MAX_TITLE_CHARS)?;
    let body = validate::required("body", &new.body, MAX_TEXT_CHARS)?;
    if new.authors.is_empty() {
        return Err(AppError::bad_field("authors", "a report has at least one author"));
    }
    let length = body.chars().count();
    let mut warnings = Vec::new();
    if length > BODY_GUIDANCE_CHARS {
        warnings.push(format!("the body has {length} characters; reports should keep to {BODY_GUIDANCE_CHARS}"));
    }
    let submitted_on = new.submitted_on.unwrap_or_else(today);
    let report = crate::db::atomically(db, async |txn| {
        signed::check(txn, "authors", &new.authors).await?;
        let row = ReportRow { year: submitted_on.year(), submitted_on, title, body, source_proposal_id: None };
        insert_report(txn, actor, "submitOpinionReport", row, &new.authors).await
    })
    .await?;
    Ok(Submitted { report, warnings })
}

/// Records an adoption (and any leader's instruction): SUBMITTED | ADOPTED → ADOPTED.
pub async fn record_adoption(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    adoption: NewAdoption,
) -> AppResult<opinion_report::Model> {
    policy::manage_opinion_reports(actor)?;
    let channel = validate::optional("channel", adoption.channel.as_deref(), MAX_NAME_CHARS)?;
    let (level, leader, text) = match &adoption.instruction {
        Some(i) => (
            Some(i.level),
            validate::optional("instruction.leader", i.leader.as_deref(), MAX_NAME_CHARS)?,
            validate::optional("instruction.text", i.text.as_deref(), MAX_TEXT_CHARS)?,
        ),
        None => (None, None, None),
    };
    crate::db::atomically(db, async |txn| {
        let current = load_for_change(txn, id).await?;
        if current.status == OpinionStatus::NotAdopted {
            return Err(AppError::bad_input(format!("report {id} is 未采用 (NOT_ADOPTED); it cannot be adopted")));
        }
        if current.status == OpinionStatus::Withdrawn {
            return Err(AppError::Conflict(format!("report {id} is 已撤回 (WITHDRAWN); it cannot be adopted")));
        }
        let adopted_on = adoption.adopted_on.unwrap_or_else(today);
        if adopted_on < current.submitted_on {
            return Err(AppError::bad_field("adoptedOn", "adoptedOn is before the report was submitted"));
        }
        let recorded = opinion_adoption::ActiveModel {
            report_id: Set(id),
            level: Set(adoption.level),
            adopted_on: Set(adopted_on),
            channel: Set(channel),
            instruction_level: Set(level),
            instruction_leader: Set(leader),
            instruction_text: Set(text),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "recordOpinionAdoption", "opinion_adoption", recorded.id, &recorded).await?;
        let mut row: opinion_report::ActiveModel = current.clone().into();
        row.status = Set(OpinionStatus::Adopted);
        row.updated_at = Set(Utc::now());
        let adopted = row.update(txn).await?;
        audit::changed(txn, actor, "recordOpinionAdoption", "opinion_report", id, &current, &adopted).await?;
        Ok(adopted)
    })
    .await
}

/// Marks a submitted report as not adopted: SUBMITTED → NOT_ADOPTED.
pub async fn mark_not_adopted(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<opinion_report::Model> {
    policy::manage_opinion_reports(actor)?;
    crate::db::atomically(db, async |txn| {
        let current = load_for_change(txn, id).await?;
        if current.status != OpinionStatus::Submitted {
            return Err(AppError::bad_input(format!(
                "report {id} is {}; only a submitted report can be marked not adopted",
                current.status.label()
            )));
        }
        let mut row: opinion_report::ActiveModel = current.clone().into();
        row.status = Set(OpinionStatus::NotAdopted);
        row.updated_at = Set(Utc::now());
        let refused = row.update(txn).await?;
        audit::changed(txn, actor, "markOpinionReportNotAdopted", "opinion_report", id, &current, &refused).await?;
        Ok(refused)
    })
    .await
}

/// Corrections to a report awaiting a decision: each field given replaces the stored one.
#[derive(Clone, Debug, Default)]
pub struct ReportChanges {
    /// Title.
    pub title: Option<String>,
    /// Body.
    pub body: Option<String>,
    /// Submission day; the report's year follows it (a report converted from a proposal keeps
    /// the proposal's year).
    pub submitted_on: Option<NaiveDate>,
    /// The authors: the whole list (exactly one FIRST), replacing the stored one.
    pub authors: Option<Vec<NewSigner>>,
}

/// The audit log's name for a report's whole author list, when a correction replaces it.
pub const AUTHORS_ENTITY: &str = "opinion_report_authors";

/// Corrects a report while it awaits a decision (SUBMITTED): office staff any, a member only a
/// report they wrote first, and only so that they stay its first author. A report another
/// member wrote is NOT_FOUND to a member; a decided or withdrawn one is a CONFLICT.
pub async fn update(db: &DatabaseConnection, actor: &Actor, id: i64, c: ReportChanges) -> AppResult<Submitted> {
    let scope = policy::read_opinion_reports(actor)?;
    let title = c.title.as_deref().map(|t| validate::required("title", t, MAX_TITLE_CHARS)).transpose()?;
    let body = c.body.as_deref().map(|b| validate::required("body", b, MAX_TEXT_CHARS)).transpose()?;
    if c.authors.as_ref().is_some_and(Vec::is_empty) {
        return Err(AppError::bad_field("authors", "a report has at least one author"));
    }
    crate::db::atomically(db, async |txn| {
        let current = awaiting_decision(txn, actor, scope, id, "corrected").await?;
        if let Some(authors) = &c.authors {
            policy::amend_opinion_report(actor, signed::first_of(authors))?;
            signed::check(txn, "authors", authors).await?;
        }
        let mut row: opinion_report::ActiveModel = current.clone().into();
        if let Some(title) = title {
            row.title = Set(title);
        }
        if let Some(body) = body {
            row.body = Set(body);
        }
        if let Some(day) = c.submitted_on {
            row.submitted_on = Set(day);
            if current.source_proposal_id.is_none() {
                row.year = Set(day.year());
            }
        }
        row.updated_at = Set(Utc::now());
        let report = row.update(txn).await?;
        audit::changed(txn, actor, "updateOpinionReport", "opinion_report", id, &current, &report).await?;
        if let Some(authors) = &c.authors {
            let before = authors_of(txn, id).await?;
            opinion_author::Entity::delete_many().filter(opinion_author::Column::ReportId.eq(id)).exec(txn).await?;
            let rows = authors.iter().map(|a| opinion_author::ActiveModel {
                report_id: Set(id),
                member_id: Set(a.member_id),
                role: Set(a.role),
                ..Default::default()
            });
            opinion_author::Entity::insert_many(rows).exec_without_returning(txn).await?;
            let after = authors_of(txn, id).await?;
            audit::changed(txn, actor, "updateOpinionReport", AUTHORS_ENTITY, id, &before, &after).await?;
        }
        let length = report.body.chars().count();
        let warnings = if length > BODY_GUIDANCE_CHARS {
            vec![format!("the body has {length} characters; reports should keep to {BODY_GUIDANCE_CHARS}")]
        } else {
            Vec::new()
        };
        Ok(Submitted { report, warnings })
    })
    .await
}

/// Withdraws a report before a decision: SUBMITTED → WITHDRAWN, by the same people as
/// [`update`]. A withdrawn report stays on record but counts nowhere (the year in review, the
/// month counts, the duty file, personal targets, assessment runs).
pub async fn withdraw(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<opinion_report::Model> {
    let scope = policy::read_opinion_reports(actor)?;
    crate::db::atomically(db, async |txn| {
        let current = awaiting_decision(txn, actor, scope, id, "withdrawn").await?;
        let mut row: opinion_report::ActiveModel = current.clone().into();
        row.status = Set(OpinionStatus::Withdrawn);
        row.updated_at = Set(Utc::now());
        let withdrawn = row.update(txn).await?;
        audit::changed(txn, actor, "withdrawOpinionReport", "opinion_report", id, &current, &withdrawn).await?;
        Ok(withdrawn)
    })
    .await
}

/// Report `id`, locked, when the actor may see it (NOT_FOUND otherwise), may amend it
/// ([`policy::amend_opinion_report`]) and it still awaits a decision (CONFLICT otherwise).
async fn awaiting_decision(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    scope: RecordScope,
    id: i64,
    what: &str,
) -> AppResult<opinion_report::Model> {
    let current = scoped(opinion_report::Entity::find_by_id(id), scope)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("public-opinion report", id))?;
    let first: Option<i64> = opinion_author::Entity::find()
        .select_only()
        .column(opinion_author::Column::MemberId)
        .filter(opinion_author::Column::ReportId.eq(id))
        .filter(opinion_author::Column::Role.eq(entity::enums::SignerRole::First))
        .into_tuple()
        .one(txn)
        .await?;
    policy::amend_opinion_report(actor, first)?;
    if current.status != OpinionStatus::Submitted {
        return Err(AppError::Conflict(format!(
            "report {id} is {} ({}); only a report awaiting a decision can be {what}",
            current.status.label(),
            status_code(current.status)
        )));
    }
    Ok(current)
}

fn status_code(status: OpinionStatus) -> &'static str {
    match status {
        OpinionStatus::Submitted => "SUBMITTED",
        OpinionStatus::Adopted => "ADOPTED",
        OpinionStatus::NotAdopted => "NOT_ADOPTED",
        OpinionStatus::Withdrawn => "WITHDRAWN",
    }
}

async fn authors_of(txn: &impl ConnectionTrait, id: i64) -> AppResult<Vec<opinion_author::Model>> {
    Ok(opinion_author::Entity::find()
        .filter(opinion_author::Column::ReportId.eq(id))
        .order_by_asc(opinion_author::Column::Id)
        .all(txn)
        .await?)
}

async fn load_for_change(db: &impl ConnectionTrait, id: i64) -> AppResult<opinion_report::Model> {
    opinion_report::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("public-opinion report", id))
}

#[derive(Debug, FromQueryResult)]
struct YearCounts {
    reports: i64,
    adopted: i64,
}

/// `(reports, adopted)` of `year`: each report once, converted proposals included (and only
/// here). No access check: the caller (the year in review) checks its own.
pub async fn year_counts(db: &impl ConnectionTrait, year: i32) -> AppResult<(u64, u64)> {
    let counts = opinion_report::Entity::find()
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "reports")
        .column_as(count_if(opinion_report::Column::Status.eq(OpinionStatus::Adopted)), "adopted")
        .filter(opinion_report::Column::Year.eq(year))
        .filter(opinion_report::Column::Status.ne(OpinionStatus::Withdrawn))
        .filter(opinion_report::Column::VoidedAt.is_null())
        .into_model::<YearCounts>()
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal("an aggregate query returned no row".to_owned()))?;
    Ok((u64::try_from(counts.reports).unwrap_or(0), u64::try_from(counts.adopted).unwrap_or(0)))
}

/// Which reports the actor may read, for the batched pages below (FORBIDDEN when the role reads
/// none).
pub fn readable(actor: &Actor) -> AppResult<RecordScope> {
    policy::read_opinion_reports(actor)
}

/// Which reports the actor may read through another record (`Proposal.opinionReport`): none
/// when the role reads no reports at all (a handling unit), so the field answers null rather
/// than an error.
pub fn readable_through_proposals(actor: &Actor) -> AppResult<Option<RecordScope>> {
    match policy::read_opinion_reports(actor) {
        Ok(scope) => Ok(Some(scope)),
        Err(AppError::Forbidden(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The report each of `proposals` was converted to, within what `scope` may read: ONE query for
/// them all (the batch behind `Proposal.opinionReport`); a hidden one is absent.
pub async fn converted_from(
    db: &impl ConnectionTrait,
    scope: RecordScope,
    proposals: &[i64],
) -> AppResult<HashMap<i64, opinion_report::Model>> {
    if proposals.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = scoped(opinion_report::Entity::find(), scope)
        .filter(opinion_report::Column::SourceProposalId.is_in(proposals.iter().copied()))
        .order_by_asc(opinion_report::Column::Id)
        .all(db)
        .await?;
    let mut out = HashMap::new();
    for row in rows {
        if let Some(proposal) = row.source_proposal_id {
            out.entry(proposal).or_insert(row);
        }
    }
    Ok(out)
}

/// The first `limit` reports (newest first) written by each of `members`, optionally in one
/// year, within what `scope` may read, with each member's total: ONE query for all of them.
/// The cursors are those of [`list`].
pub async fn written_first_pages(
    db: &impl ConnectionTrait,
    scope: RecordScope,
    members: &[i64],
    year: Option<i32>,
    limit: u64,
) -> AppResult<HashMap<i64, (Page<opinion_report::Model>, u64)>> {
    let mut select = scoped(opinion_report::Entity::find(), scope);
    if let Some(year) = year {
        select = select.filter(opinion_report::Column::Year.eq(year));
    }
    signed::first_pages_by_member::<_, opinion_author::Entity>(
        db,
        select,
        opinion_report::Column::Id,
        members,
        &newest_first(),
        limit,
    )
    .await
}
