//! Rules and queries of proposals.
//!
//! The lifecycle is a state machine; every transition checks the state it starts from (an
//! illegal one is BAD_USER_INPUT and changes nothing), runs in one transaction and writes a row
//! of `proposal_action`, which the proposal points to as its latest action:
//!
//! ```text
//! SUBMITTED  → ACCEPTED (立案) | NOT_ACCEPTED (reason) | MERGED (into an accepted one) | RETURNED
//! RETURNED   → SUBMITTED (resubmitted)
//! ACCEPTED   → ASSIGNED (交办: one SOLE unit, or one LEAD with CO units)
//! ASSIGNED   → ASSIGNED (more units; a unit answers or refuses) | ACCEPTED (the last unit refused)
//!            | ANSWERED (every unit answered)
//! ANSWERED   → FEEDBACK | CLOSED
//! FEEDBACK   → CLOSED | ASSIGNED (reopened after DISSATISFIED feedback)
//! SUBMITTED | RETURNED | NOT_ACCEPTED → CONVERTED (now a public-opinion report)
//! ```

use std::collections::{HashMap, HashSet};

use chrono::{Months, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
    sea_query::{CaseStatement, Expr, ExprTrait, Func, Query, SimpleExpr},
};

use crate::{
    audit::service as audit,
    auth::{
        Actor,
        policy::{self, RecordScope},
    },
    dates::today,
    error::{AppError, AppResult},
    pagination::{Counter, counter},
    pagination::{Ordering, Page, PageArgs, SortKey, paginate},
    validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{
    enums::{
        AssignmentStatus, FeedbackRating, HandlingRole, NotAcceptedReason, ProposalActionKind, ProposalKind,
        ProposalStatus, ProposerType, ResultClass, SignerRole,
    },
    handling_unit, member, opinion_report, proposal, proposal_action, proposal_assignment, proposal_result_label,
    proposal_signer,
};

/// How long a handling unit has to answer unless the office says otherwise.
pub const DEFAULT_HANDLING_MONTHS: u32 = 3;
/// How many days after assignment a handling unit may still refuse it.
pub const REFUSAL_DAYS: i64 = 10;
/// Most characters of a title (案由).
pub const MAX_TITLE_CHARS: usize = 200;

/// A member signing a proposal (or writing a report), with their role.
#[derive(Clone, Copy, Debug)]
pub struct NewSigner {
    /// The member.
    pub member_id: i64,
    /// First proposer or co-signer.
    pub role: SignerRole,
}

/// A proposal to submit.
#[derive(Clone, Debug)]
pub struct NewProposal {
    /// The year.
    pub year: i32,
    /// The session, e.g. "十届三次会议".
    pub session: Option<String>,
    /// Plenary or between sessions.
    pub kind: ProposalKind,
    /// Who proposes.
    pub proposer_type: ProposerType,
    /// The collective proposer, for collective proposals.
    pub collective_name: Option<String>,
    /// The signing members: exactly one FIRST, any number of CO (none for a collective).
    pub signers: Vec<NewSigner>,
    /// 案由.
    pub title: String,
    /// Category.
    pub category: Option<String>,
    /// 情况.
    pub situation: Option<String>,
    /// 分析.
    pub analysis: Option<String>,
    /// 建议.
    pub suggestions: String,
    /// Submission day; today when absent.
    pub submitted_on: Option<NaiveDate>,
}

/// Changes made when resubmitting a returned proposal; absent fields stay.
#[derive(Clone, Debug, Default)]
pub struct Revision {
    /// New title.
    pub title: Option<String>,
    /// New category.
    pub category: Option<String>,
    /// New situation.
    pub situation: Option<String>,
    /// New analysis.
    pub analysis: Option<String>,
    /// New suggestions.
    pub suggestions: Option<String>,
    /// A note for the log.
    pub note: Option<String>,
}

/// The outcome of reviewing (审查) a submitted proposal.
#[derive(Clone, Copy, Debug)]
pub enum Review {
    /// 立案: gets the next serial number of its year.
    Accept,
    /// 不予立案, for a reason from the list.
    Reject(NotAcceptedReason),
    /// 并案 into another accepted proposal.
    Merge(i64),
    /// 退回修改.
    Return,
}

/// A handling unit to assign, with its part.
#[derive(Clone, Copy, Debug)]
pub struct UnitAssignment {
    /// The handling unit.
    pub handling_unit_id: i64,
    /// Lead, co or sole.
    pub role: HandlingRole,
}

/// One handling unit's answer.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The answering unit; defaults to the actor's unit, or the only pending one.
    pub handling_unit_id: Option<i64>,
    /// Result class.
    pub result_class: ResultClass,
    /// Whether the unit met the proposer.
    pub met_proposer: bool,
    /// The day of the answer; today when absent.
    pub answered_on: Option<NaiveDate>,
    /// A summary of the answer.
    pub summary: Option<String>,
}

/// Flags to set on an accepted proposal; absent ones stay.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// 重点提案.
    pub key_proposal: Option<bool>,
    /// The supervising leader of a key proposal.
    pub supervising_leader: Option<String>,
    /// 优秀提案.
    pub excellent: Option<bool>,
}

/// Which proposals to list.
#[derive(Clone, Debug, Default)]
pub struct ProposalFilter {
    /// Of this year.
    pub year: Option<i32>,
    /// In this state.
    pub status: Option<ProposalStatus>,
    /// Signed by this member.
    pub member_id: Option<i64>,
    /// Assigned to this handling unit.
    pub handling_unit_id: Option<i64>,
    /// Key proposals (or not).
    pub key_proposal: Option<bool>,
    /// Excellent proposals (or not).
    pub excellent: Option<bool>,
    /// Overdue (or not): past the due date without an answer, or answered after it.
    pub overdue: Option<bool>,
    /// Plenary or between sessions.
    pub kind: Option<ProposalKind>,
}

const ACCEPTED_STATES: &[ProposalStatus] = &[
    ProposalStatus::Accepted,
    ProposalStatus::Assigned,
    ProposalStatus::Answered,
    ProposalStatus::Feedback,
    ProposalStatus::Closed,
];

// ----- reading -----

fn signed_by(member_id: i64) -> SimpleExpr {
    proposal::Column::Id.in_subquery(
        Query::select()
            .column(proposal_signer::Column::ProposalId)
            .from(proposal_signer::Entity)
            .and_where(proposal_signer::Column::MemberId.eq(member_id))
            .to_owned(),
    )
}

fn assigned_to(unit_id: i64) -> SimpleExpr {
    proposal::Column::Id.in_subquery(
        Query::select()
            .column(proposal_assignment::Column::ProposalId)
            .from(proposal_assignment::Entity)
            .and_where(proposal_assignment::Column::HandlingUnitId.eq(unit_id))
            .to_owned(),
    )
}

fn scoped(select: sea_orm::Select<proposal::Entity>, scope: RecordScope) -> sea_orm::Select<proposal::Entity> {
    match scope {
        RecordScope::All => select,
        RecordScope::Member(id) => select.filter(signed_by(id)),
        RecordScope::HandlingUnit(id) => select.filter(assigned_to(id)),
    }
}

fn overdue_condition(today: NaiveDate) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(proposal::Column::AnsweredOn.is_null())
                .add(proposal::Column::Status.eq(ProposalStatus::Assigned))
                .add(proposal::Column::DueDate.lt(today)),
        )
        .add(Expr::col(proposal::Column::AnsweredOn).gt(Expr::col(proposal::Column::DueDate)))
}

/// A page of the proposals the actor may see, newest first, and the counter of all that match.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: ProposalFilter,
    page: &PageArgs,
) -> AppResult<(Page<proposal::Model>, Counter)> {
    let scope = policy::read_proposals(actor)?;
    let mut select = scoped(proposal::Entity::find(), scope);
    if let Some(year) = filter.year {
        select = select.filter(proposal::Column::Year.eq(year));
    }
    if let Some(status) = filter.status {
        select = select.filter(proposal::Column::Status.eq(status));
    }
    if let Some(member) = filter.member_id {
        select = select.filter(signed_by(member));
    }
    if let Some(unit) = filter.handling_unit_id {
        select = select.filter(assigned_to(unit));
    }
    if let Some(key) = filter.key_proposal {
        select = select.filter(proposal::Column::KeyProposal.eq(key));
    }
    if let Some(excellent) = filter.excellent {
        select = select.filter(proposal::Column::Excellent.eq(excellent));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(proposal::Column::Kind.eq(kind));
    }
    match filter.overdue {
        Some(true) => select = select.filter(overdue_condition(today())),
        Some(false) => select = select.filter(overdue_condition(today()).not()),
        None => {}
    }
    let ordering = Ordering::new("PROPOSAL:ID:DESC", vec![SortKey { column: proposal::Column::Id, descending: true }]);
    let page = paginate(db, select.clone(), &ordering, page).await?;
    Ok((page, counter(db, select)))
}

/// One proposal the actor may see, or NOT_FOUND.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<proposal::Model> {
    let scope = policy::read_proposals(actor)?;
    scoped(proposal::Entity::find_by_id(id), scope).one(db).await?.ok_or_else(|| AppError::not_found("proposal", id))
}

/// The labels of the result classes: the office's own where set, the defaults otherwise.
pub async fn result_class_labels(db: &impl ConnectionTrait) -> AppResult<Vec<(ResultClass, String)>> {
    let custom = proposal_result_label::Entity::find().all(db).await?;
    Ok(ResultClass::ALL
        .iter()
        .map(|&class| {
            let label = custom.iter().find(|c| c.result_class == class).map(|c| c.label.clone());
            (class, label.unwrap_or_else(|| class.label().to_owned()))
        })
        .collect())
}

/// Sets the office's label of a result class.
///
/// The audit log has no numeric key for a label row; its entries name the class by its
/// position in [`ResultClass::ALL`] (A = 1 … D = 4), and `before`/`after` hold the class itself.
pub async fn set_result_class_label(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    class: ResultClass,
    label: &str,
) -> AppResult<Vec<(ResultClass, String)>> {
    policy::manage_proposals(actor)?;
    let label = validate::required("input.label", label, MAX_NAME_CHARS)?;
    let position = ResultClass::ALL.iter().position(|&c| c == class).map_or(0, |i| i + 1);
    let entity_id = i64::try_from(position).unwrap_or(0);
    crate::db::atomically(db, async |txn| {
        let before = proposal_result_label::Entity::find_by_id(class).one(txn).await?;
        let row = proposal_result_label::ActiveModel { result_class: Set(class), label: Set(label) };
        proposal_result_label::Entity::insert(row)
            .on_conflict(
                sea_orm::sea_query::OnConflict::column(proposal_result_label::Column::ResultClass)
                    .update_column(proposal_result_label::Column::Label)
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        let after = proposal_result_label::Entity::find_by_id(class).one(txn).await?;
        const OPERATION: &str = "setProposalResultClassLabel";
        match before {
            Some(before) => {
                audit::changed(txn, actor, OPERATION, "proposal_result_label", entity_id, &Some(before), &after).await?
            }
            None => audit::created(txn, actor, OPERATION, "proposal_result_label", entity_id, &after).await?,
        }
        result_class_labels(txn).await
    })
    .await
}

// ----- the lifecycle -----

/// Who did it, for the log.
fn actor_ref(actor: &Actor) -> (Option<i64>, String) {
    match actor.session() {
        Some(s) => (Some(s.account_id), s.username.clone()),
        None => (None, "system".to_owned()),
    }
}

/// Loads a proposal for a change, locking its row (on PostgreSQL) until the transaction ends,
/// so two transitions of one proposal never interleave. NOT_FOUND when the actor cannot see it.
async fn load_for_change(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<proposal::Model> {
    let scope = match actor {
        Actor::Account(_) => policy::read_proposals(actor)?,
        _ => RecordScope::All,
    };
    scoped(proposal::Entity::find_by_id(id), scope)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("proposal", id))
}

/// Fails unless `current` is one of `from`: an illegal transition changes nothing.
fn require(current: &proposal::Model, from: &[ProposalStatus], what: &str) -> AppResult<()> {
    if from.contains(&current.status) {
        return Ok(());
    }
    let allowed: Vec<&str> = from.iter().map(|s| s.label()).collect();
    Err(AppError::bad_input(format!(
        "proposal {} is {} ({}); only a proposal that is {} can be {what}",
        current.id,
        current.status.label(),
        status_code(current.status),
        allowed.join(" / ")
    )))
}

fn status_code(status: ProposalStatus) -> String {
    use sea_orm::ActiveEnum;
    status.to_value()
}

/// Writes the action row, points the proposal at it, moves it to `to` and saves `row`.
async fn transition(
    db: &impl ConnectionTrait,
    actor: &Actor,
    current: &proposal::Model,
    mut row: proposal::ActiveModel,
    kind: ProposalActionKind,
    to: ProposalStatus,
    note: Option<String>,
) -> AppResult<proposal::Model> {
    let action = log_action(db, actor, current.id, kind, Some(current.status), to, note).await?;
    row.status = Set(to);
    row.latest_action_id = Set(Some(action.id));
    row.updated_at = Set(Utc::now());
    let changed = row.update(db).await?;
    audit::changed(db, actor, operation(kind), "proposal", current.id, current, &changed).await?;
    Ok(changed)
}

/// The mutation that takes a step of `kind`, as the audit log names it.
fn operation(kind: ProposalActionKind) -> &'static str {
    match kind {
        ProposalActionKind::Submit => "submitProposal",
        ProposalActionKind::Resubmit => "resubmitProposal",
        ProposalActionKind::Accept
        | ProposalActionKind::Reject
        | ProposalActionKind::Merge
        | ProposalActionKind::Return => "reviewProposal",
        ProposalActionKind::Assign => "assignProposal",
        ProposalActionKind::RefuseAssignment => "refuseProposalAssignment",
        ProposalActionKind::Answer => "answerProposal",
        ProposalActionKind::Feedback => "recordProposalFeedback",
        ProposalActionKind::Reopen => "reopenProposal",
        ProposalActionKind::Close => "closeProposal",
        ProposalActionKind::Flag => "flagProposal",
        ProposalActionKind::Convert => "convertProposalToOpinionReport",
    }
}

/// Writes to the audit log the assignments of a proposal that are not among `known` (just
/// inserted ones), as created by `operation`.
async fn audit_new_assignments(
    db: &impl ConnectionTrait,
    actor: &Actor,
    operation: &str,
    proposal_id: i64,
    known: &[proposal_assignment::Model],
) -> AppResult<()> {
    let known: HashSet<i64> = known.iter().map(|a| a.id).collect();
    for a in assignments(db, proposal_id).await?.iter().filter(|a| !known.contains(&a.id)) {
        audit::created(db, actor, operation, "proposal_assignment", a.id, a).await?;
    }
    Ok(())
}

async fn log_action(
    db: &impl ConnectionTrait,
    actor: &Actor,
    proposal_id: i64,
    kind: ProposalActionKind,
    from: Option<ProposalStatus>,
    to: ProposalStatus,
    note: Option<String>,
) -> AppResult<proposal_action::Model> {
    let (account_id, actor_name) = actor_ref(actor);
    let row = proposal_action::ActiveModel {
        proposal_id: Set(proposal_id),
        kind: Set(kind),
        from_status: Set(from),
        to_status: Set(to),
        account_id: Set(account_id),
        actor_name: Set(actor_name),
        at: Set(Utc::now()),
        note: Set(note),
        ..Default::default()
    };
    let action = row.insert(db).await?;
    audit::created(db, actor, operation(kind), "proposal_action", action.id, &action).await?;
    Ok(action)
}

fn note(field: &str, note: Option<&str>) -> AppResult<Option<String>> {
    validate::optional(field, note, MAX_TEXT_CHARS)
}

/// Checks a list of signing members (or authors): no one twice, exactly one FIRST when there
/// is anyone, every member existing. `field` is the input list, e.g. `input.signers`.
pub(crate) async fn check_people(db: &impl ConnectionTrait, field: &str, people: &[NewSigner]) -> AppResult<()> {
    if people.is_empty() {
        return Ok(());
    }
    let firsts = people.iter().filter(|p| p.role == SignerRole::First).count();
    if firsts != 1 {
        return Err(AppError::bad_field(field, format!("{field} must have exactly one FIRST, has {firsts}")));
    }
    let mut seen = HashSet::new();
    for (i, p) in people.iter().enumerate() {
        if !seen.insert(p.member_id) {
            return Err(AppError::bad_field(format!("{field}.{i}.memberId"), "a member is listed twice"));
        }
    }
    let found: HashSet<i64> = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .filter(member::Column::Id.is_in(people.iter().map(|p| p.member_id)))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    if let Some((i, p)) = people.iter().enumerate().find(|(_, p)| !found.contains(&p.member_id)) {
        return Err(AppError::bad_field(
            format!("{field}.{i}.memberId"),
            format!("member {} does not exist", p.member_id),
        ));
    }
    Ok(())
}

/// The member who is a proposal's first proposer, if any.
async fn first_signer(db: &impl ConnectionTrait, proposal_id: i64) -> AppResult<Option<i64>> {
    Ok(proposal_signer::Entity::find()
        .filter(proposal_signer::Column::ProposalId.eq(proposal_id))
        .filter(proposal_signer::Column::Role.eq(SignerRole::First))
        .one(db)
        .await?
        .map(|s| s.member_id))
}

fn first_of(people: &[NewSigner]) -> Option<i64> {
    people.iter().find(|p| p.role == SignerRole::First).map(|p| p.member_id)
}

/// Runs `work` in a transaction ended by its outcome.
async fn in_txn<T, F>(db: &DatabaseConnection, work: F) -> AppResult<T>
where
    F: for<'t> FnOnce(&'t sea_orm::DatabaseTransaction) -> futures_util::future::BoxFuture<'t, AppResult<T>>,
{
    let txn = crate::db::begin(db).await?;
    let outcome = work(&txn).await;
    crate::db::finish(txn, outcome).await
}

/// Submits a proposal: checked, stored as SUBMITTED with its signers, logged.
pub async fn submit(db: &DatabaseConnection, actor: &Actor, new: NewProposal) -> AppResult<proposal::Model> {
    policy::submit_proposal(actor, first_of(&new.signers))?;
    let actor = actor.clone();
    in_txn(db, move |txn| Box::pin(insert_proposal(txn, actor, new))).await
}

async fn insert_proposal(db: &impl ConnectionTrait, actor: Actor, new: NewProposal) -> AppResult<proposal::Model> {
    if !(2000..=2100).contains(&new.year) {
        return Err(AppError::bad_field("input.year", "input.year must be between 2000 and 2100"));
    }
    let title = validate::required("input.title", &new.title, MAX_TITLE_CHARS)?;
    let suggestions = validate::required("input.suggestions", &new.suggestions, MAX_TEXT_CHARS)?;
    let situation = validate::optional("input.situation", new.situation.as_deref(), MAX_TEXT_CHARS)?;
    let analysis = validate::optional("input.analysis", new.analysis.as_deref(), MAX_TEXT_CHARS)?;
    let category = validate::optional("input.category", new.category.as_deref(), MAX_NAME_CHARS)?;
    let session = validate::optional("input.session", new.session.as_deref(), MAX_NAME_CHARS)?;
    let collective = validate::optional("input.collectiveName", new.collective_name.as_deref(), MAX_NAME_CHARS)?;
    match new.proposer_type {
        ProposerType::Individual if new.signers.len() != 1 => {
            return Err(AppError::bad_field("input.signers", "an individual proposal has exactly one signer"));
        }
        ProposerType::Joint if new.signers.len() < 2 => {
            return Err(AppError::bad_field("input.signers", "a joint proposal has at least two signers"));
        }
        t if t.is_collective() && collective.is_none() => {
            return Err(AppError::bad_field("input.collectiveName", "a collective proposal names its proposer"));
        }
        t if !t.is_collective() && collective.is_some() => {
            return Err(AppError::bad_field("input.collectiveName", "only a collective proposal names a collective"));
        }
        _ => {}
    }
    check_people(db, "input.signers", &new.signers).await?;
    let now = Utc::now();
    let row = proposal::ActiveModel {
        year: Set(new.year),
        session: Set(session),
        kind: Set(new.kind),
        proposer_type: Set(new.proposer_type),
        collective_name: Set(collective),
        title: Set(title),
        category: Set(category),
        situation: Set(situation),
        analysis: Set(analysis),
        suggestions: Set(suggestions),
        submitted_on: Set(new.submitted_on.unwrap_or_else(today)),
        status: Set(ProposalStatus::Submitted),
        serial_number: Set(None),
        accepted_on: Set(None),
        not_accepted_reason: Set(None),
        merged_into_id: Set(None),
        due_date: Set(None),
        answered_on: Set(None),
        result_class: Set(None),
        met_proposer: Set(None),
        feedback: Set(None),
        key_proposal: Set(false),
        supervising_leader: Set(None),
        excellent: Set(false),
        latest_action_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let stored = row.insert(db).await?;
    if !new.signers.is_empty() {
        let signers = new.signers.iter().map(|s| proposal_signer::ActiveModel {
            proposal_id: Set(stored.id),
            member_id: Set(s.member_id),
            role: Set(s.role),
            ..Default::default()
        });
        proposal_signer::Entity::insert_many(signers).exec_without_returning(db).await?;
    }
    let action =
        log_action(db, &actor, stored.id, ProposalActionKind::Submit, None, ProposalStatus::Submitted, None).await?;
    let mut row: proposal::ActiveModel = stored.into();
    row.latest_action_id = Set(Some(action.id));
    let proposal = row.update(db).await?;
    audit::created(db, &actor, "submitProposal", "proposal", proposal.id, &proposal).await?;
    let signers = proposal_signer::Entity::find()
        .filter(proposal_signer::Column::ProposalId.eq(proposal.id))
        .order_by_asc(proposal_signer::Column::Id)
        .all(db)
        .await?;
    for signer in &signers {
        audit::created(db, &actor, "submitProposal", "proposal_signer", signer.id, signer).await?;
    }
    Ok(proposal)
}

/// Resubmits a returned proposal, optionally revised: RETURNED → SUBMITTED.
pub async fn resubmit(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    revision: Revision,
) -> AppResult<proposal::Model> {
    let actor = actor.clone();
    in_txn(db, move |txn| {
        Box::pin(async move {
            let current = load_for_change(txn, &actor, id).await?;
            policy::submit_proposal(&actor, first_signer(txn, id).await?)?;
            require(&current, &[ProposalStatus::Returned], "resubmitted")?;
            let mut row: proposal::ActiveModel = current.clone().into();
            if let Some(t) = &revision.title {
                row.title = Set(validate::required("input.title", t, MAX_TITLE_CHARS)?);
            }
            if let Some(s) = &revision.suggestions {
                row.suggestions = Set(validate::required("input.suggestions", s, MAX_TEXT_CHARS)?);
            }
            if let Some(s) = &revision.situation {
                row.situation = Set(validate::optional("input.situation", Some(s), MAX_TEXT_CHARS)?);
            }
            if let Some(a) = &revision.analysis {
                row.analysis = Set(validate::optional("input.analysis", Some(a), MAX_TEXT_CHARS)?);
            }
            if let Some(c) = &revision.category {
                row.category = Set(validate::optional("input.category", Some(c), MAX_NAME_CHARS)?);
            }
            row.submitted_on = Set(today());
            let note = note("input.note", revision.note.as_deref())?;
            transition(txn, &actor, &current, row, ProposalActionKind::Resubmit, ProposalStatus::Submitted, note).await
        })
    })
    .await
}

/// Reviews a submitted proposal: accept (立案, with the next serial number of its year),
/// reject for a listed reason, merge into an accepted proposal, or return for changes.
pub async fn review(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    decision: Review,
    note_text: Option<String>,
) -> AppResult<proposal::Model> {
    policy::manage_proposals(actor)?;
    let actor = actor.clone();
    in_txn(db, move |txn| {
        Box::pin(async move {
            let current = load_for_change(txn, &actor, id).await?;
            let note = note("input.note", note_text.as_deref())?;
            let what = match decision {
                Review::Accept => "accepted",
                Review::Reject(_) => "rejected",
                Review::Merge(_) => "merged",
                Review::Return => "returned",
            };
            require(&current, &[ProposalStatus::Submitted], what)?;
            let mut row: proposal::ActiveModel = current.clone().into();
            let (kind, to) = match decision {
                Review::Accept => {
                    let given = proposal::Entity::find()
                        .filter(proposal::Column::Year.eq(current.year))
                        .filter(proposal::Column::SerialNumber.is_not_null())
                        .count(txn)
                        .await?;
                    row.serial_number = Set(Some(format!("{}-{:03}", current.year, given + 1)));
                    row.accepted_on = Set(Some(today()));
                    (ProposalActionKind::Accept, ProposalStatus::Accepted)
                }
                Review::Reject(reason) => {
                    row.not_accepted_reason = Set(Some(reason));
                    (ProposalActionKind::Reject, ProposalStatus::NotAccepted)
                }
                Review::Merge(into) => {
                    if into == id {
                        return Err(AppError::bad_field("input.intoId", "a proposal cannot be merged into itself"));
                    }
                    let target = proposal::Entity::find_by_id(into).one(txn).await?.ok_or_else(|| {
                        AppError::bad_field("input.intoId", format!("proposal {into} does not exist"))
                    })?;
                    if !ACCEPTED_STATES.contains(&target.status) {
                        return Err(AppError::bad_field(
                            "input.intoId",
                            format!(
                                "proposal {into} is {}; proposals merge into an accepted one",
                                target.status.label()
                            ),
                        ));
                    }
                    row.merged_into_id = Set(Some(into));
                    (ProposalActionKind::Merge, ProposalStatus::Merged)
                }
                Review::Return => (ProposalActionKind::Return, ProposalStatus::Returned),
            };
            transition(txn, &actor, &current, row, kind, to, note).await
        })
    })
    .await
}

fn is_live(a: &proposal_assignment::Model) -> bool {
    matches!(a.status, AssignmentStatus::Pending | AssignmentStatus::Answered)
}

async fn assignments(db: &impl ConnectionTrait, proposal_id: i64) -> AppResult<Vec<proposal_assignment::Model>> {
    Ok(proposal_assignment::Entity::find()
        .filter(proposal_assignment::Column::ProposalId.eq(proposal_id))
        .order_by_asc(proposal_assignment::Column::Id)
        .all(db)
        .await?)
}

/// Whether a set of handling roles is one sole unit, or one lead with any co-handlers.
fn check_roles(roles: &[HandlingRole]) -> AppResult<()> {
    let count = |r: HandlingRole| roles.iter().filter(|&&x| x == r).count();
    let ok = match roles.len() {
        0 => false,
        1 => roles[0] != HandlingRole::Co,
        _ => count(HandlingRole::Sole) == 0 && count(HandlingRole::Lead) == 1,
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::bad_field(
            "input.units",
            "a proposal goes to one SOLE unit, or to one LEAD unit with any number of CO units",
        ))
    }
}

/// Assigns (交办) an accepted proposal to handling units, due in three months unless
/// `due_date` says otherwise: ACCEPTED | ASSIGNED → ASSIGNED. Units already handling it stay.
pub async fn assign(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    units: Vec<UnitAssignment>,
    due_date: Option<NaiveDate>,
    note_text: Option<String>,
) -> AppResult<proposal::Model> {
    policy::manage_proposals(actor)?;
    let actor = actor.clone();
    in_txn(db, move |txn| {
        Box::pin(async move {
            let current = load_for_change(txn, &actor, id).await?;
            require(&current, &[ProposalStatus::Accepted, ProposalStatus::Assigned], "assigned")?;
            if units.is_empty() {
                return Err(AppError::bad_field("input.units", "name at least one handling unit"));
            }
            let today = today();
            let due = match due_date {
                Some(d) if d <= today => {
                    return Err(AppError::bad_field("input.dueDate", "input.dueDate must be after today"));
                }
                Some(d) => d,
                None => today
                    .checked_add_months(Months::new(DEFAULT_HANDLING_MONTHS))
                    .ok_or_else(|| AppError::bad_field("input.dueDate", "no due date can be computed"))?,
            };
            let existing = assignments(txn, id).await?;
            let live: Vec<&proposal_assignment::Model> = existing.iter().filter(|a| is_live(a)).collect();
            let mut seen: HashSet<i64> = live.iter().map(|a| a.handling_unit_id).collect();
            let mut names = Vec::new();
            for (i, u) in units.iter().enumerate() {
                let field = format!("input.units.{i}.handlingUnitId");
                if !seen.insert(u.handling_unit_id) {
                    return Err(AppError::bad_field(field, "this unit already handles the proposal"));
                }
                let unit = handling_unit::Entity::find_by_id(u.handling_unit_id).one(txn).await?.ok_or_else(|| {
                    AppError::bad_field(&field, format!("handling unit {} does not exist", u.handling_unit_id))
                })?;
                names.push(format!("{}({})", unit.name, u.role.label()));
            }
            let roles: Vec<HandlingRole> = live.iter().map(|a| a.role).chain(units.iter().map(|u| u.role)).collect();
            check_roles(&roles)?;
            let rows = units.iter().map(|u| proposal_assignment::ActiveModel {
                proposal_id: Set(id),
                handling_unit_id: Set(u.handling_unit_id),
                role: Set(u.role),
                status: Set(AssignmentStatus::Pending),
                assigned_on: Set(today),
                due_date: Set(due),
                refused_on: Set(None),
                refusal_reason: Set(None),
                answered_on: Set(None),
                result_class: Set(None),
                met_proposer: Set(None),
                answer_summary: Set(None),
                ..Default::default()
            });
            proposal_assignment::Entity::insert_many(rows).exec_without_returning(txn).await?;
            audit_new_assignments(txn, &actor, "assignProposal", id, &existing).await?;
            let latest_due = live.iter().map(|a| a.due_date).chain([due]).max();
            let mut row: proposal::ActiveModel = current.clone().into();
            row.due_date = Set(latest_due);
            let mut text = format!("交办: {}; 办理时限 {due}", names.join("、"));
            if let Some(n) = note("input.note", note_text.as_deref())? {
                text.push_str("; ");
                text.push_str(&n);
            }
            transition(txn, &actor, &current, row, ProposalActionKind::Assign, ProposalStatus::Assigned, Some(text))
                .await
        })
    })
    .await
}

/// The pending assignment a unit acts on: the one named, the actor's own unit's, or the only
/// pending one.
fn pending_of(
    actor: &Actor,
    all: &[proposal_assignment::Model],
    unit: Option<i64>,
) -> AppResult<proposal_assignment::Model> {
    let unit = unit.or_else(|| actor.session().and_then(|s| s.handling_unit_id));
    let pending: Vec<&proposal_assignment::Model> =
        all.iter().filter(|a| a.status == AssignmentStatus::Pending).collect();
    let found = match unit {
        Some(u) => pending.iter().find(|a| a.handling_unit_id == u).copied(),
        None if pending.len() == 1 => pending.first().copied(),
        None => {
            return Err(AppError::bad_field(
                "input.handlingUnitId",
                "several units handle this proposal; name the one that acts",
            ));
        }
    };
    found.cloned().ok_or_else(|| {
        AppError::bad_field("input.handlingUnitId", "that unit has no pending assignment of this proposal")
    })
}

/// A handling unit refuses its assignment (申请调整), within [`REFUSAL_DAYS`] days of it. When
/// no unit is left handling the proposal it goes back to ACCEPTED for reassignment.
pub async fn refuse_assignment(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    unit: Option<i64>,
    reason: String,
) -> AppResult<proposal::Model> {
    let actor = actor.clone();
    in_txn(db, move |txn| {
        Box::pin(async move {
            let current = load_for_change(txn, &actor, id).await?;
            let all = assignments(txn, id).await?;
            require(&current, &[ProposalStatus::Assigned], "refused by a handling unit")?;
            let mine = pending_of(&actor, &all, unit)?;
            policy::answer_proposal(&actor, mine.handling_unit_id)?;
            let reason = validate::required("input.reason", &reason, MAX_TEXT_CHARS)?;
            let today = today();
            if (today - mine.assigned_on).num_days() > REFUSAL_DAYS {
                return Err(AppError::bad_input(format!(
                    "an assignment can be refused only within {REFUSAL_DAYS} days; this one was made on {}",
                    mine.assigned_on
                )));
            }
            let mut a: proposal_assignment::ActiveModel = mine.clone().into();
            a.status = Set(AssignmentStatus::Refused);
            a.refused_on = Set(Some(today));
            a.refusal_reason = Set(Some(reason.clone()));
            let refused = a.update(txn).await?;
            audit::changed(txn, &actor, "refuseProposalAssignment", "proposal_assignment", mine.id, &mine, &refused)
                .await?;
            let remaining: Vec<&proposal_assignment::Model> =
                all.iter().filter(|a| a.id != mine.id && is_live(a)).collect();
            let mut row: proposal::ActiveModel = current.clone().into();
            row.due_date = Set(remaining.iter().map(|a| a.due_date).max());
            let to = if remaining.is_empty() { ProposalStatus::Accepted } else { ProposalStatus::Assigned };
            let unit_name = unit_name(txn, mine.handling_unit_id).await?;
            let text = format!("{unit_name}退回: {reason}");
            transition(txn, &actor, &current, row, ProposalActionKind::RefuseAssignment, to, Some(text)).await
        })
    })
    .await
}

async fn unit_name(db: &impl ConnectionTrait, id: i64) -> AppResult<String> {
    Ok(handling_unit::Entity::find_by_id(id).one(db).await?.map(|u| u.name).unwrap_or_else(|| format!("unit {id}")))
}

/// A handling unit answers (答复). When every unit handling the proposal has answered, it is
/// ANSWERED; its result class is the lead (or sole) unit's, and the proposer counts as met when
/// any unit met them.
pub async fn answer(db: &DatabaseConnection, actor: &Actor, id: i64, answer: Answer) -> AppResult<proposal::Model> {
    let actor = actor.clone();
    in_txn(db, move |txn| {
        Box::pin(async move {
            let current = load_for_change(txn, &actor, id).await?;
            let all = assignments(txn, id).await?;
            require(&current, &[ProposalStatus::Assigned], "answered")?;
            let mine = pending_of(&actor, &all, answer.handling_unit_id)?;
            policy::answer_proposal(&actor, mine.handling_unit_id)?;
            let summary = validate::optional("input.summary", answer.summary.as_deref(), MAX_TEXT_CHARS)?;
            let today = today();
            let on = answer.answered_on.unwrap_or(today);
            if on > today || on < mine.assigned_on {
                return Err(AppError::bad_field(
                    "input.answeredOn",
                    format!("input.answeredOn must fall between the assignment ({}) and today", mine.assigned_on),
                ));
            }
            let mut a: proposal_assignment::ActiveModel = mine.clone().into();
            a.status = Set(AssignmentStatus::Answered);
            a.answered_on = Set(Some(on));
            a.result_class = Set(Some(answer.result_class));
            a.met_proposer = Set(Some(answer.met_proposer));
            a.answer_summary = Set(summary);
            let answered = a.update(txn).await?;
            audit::changed(txn, &actor, "answerProposal", "proposal_assignment", mine.id, &mine, &answered).await?;

            let still_pending = all.iter().any(|a| a.id != mine.id && a.status == AssignmentStatus::Pending);
            let mut row: proposal::ActiveModel = current.clone().into();
            if matches!(mine.role, HandlingRole::Lead | HandlingRole::Sole) || current.result_class.is_none() {
                row.result_class = Set(Some(answer.result_class));
            }
            row.met_proposer = Set(Some(current.met_proposer.unwrap_or(false) || answer.met_proposer));
            let to = if still_pending {
                ProposalStatus::Assigned
            } else {
                row.answered_on = Set(Some(on));
                ProposalStatus::Answered
            };
            let text = format!(
                "{}答复: {}; {}",
                unit_name(txn, mine.handling_unit_id).await?,
                answer.result_class.label(),
                if answer.met_proposer { "已见面" } else { "未见面" }
            );
            transition(txn, &actor, &current, row, ProposalActionKind::Answer, to, Some(text)).await
        })
    })
    .await
}

/// Records the proposer's feedback on the answers: ANSWERED → FEEDBACK.
pub async fn record_feedback(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    rating: FeedbackRating,
    note_text: Option<String>,
) -> AppResult<proposal::Model> {
    let actor = actor.clone();
    in_txn(db, move |txn| {
        Box::pin(async move {
            let current = load_for_change(txn, &actor, id).await?;
            policy::give_proposal_feedback(&actor, first_signer(txn, id).await?)?;
            require(&current, &[ProposalStatus::Answered], "given feedback")?;
            let mut text = rating.label().to_owned();
            if let Some(n) = note("input.note", note_text.as_deref())? {
                text = format!("{text}: {n}");
            }
            let mut row: proposal::ActiveModel = current.clone().into();
            row.feedback = Set(Some(rating));
            transition(txn, &actor, &current, row, ProposalActionKind::Feedback, ProposalStatus::Feedback, Some(text))
                .await
        })
    })
    .await
}

/// Reopens handling after DISSATISFIED feedback: the answered assignments are superseded by new
/// ones to the same units, due in three months unless `due_date` says otherwise.
pub async fn reopen(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    due_date: Option<NaiveDate>,
    note_text: Option<String>,
) -> AppResult<proposal::Model> {
    policy::manage_proposals(actor)?;
    let actor = actor.clone();
    in_txn(db, move |txn| {
        Box::pin(async move {
            let current = load_for_change(txn, &actor, id).await?;
            require(&current, &[ProposalStatus::Feedback], "reopened")?;
            if current.feedback != Some(FeedbackRating::Dissatisfied) {
                return Err(AppError::bad_input(format!(
                    "proposal {id} can be reopened only after DISSATISFIED feedback"
                )));
            }
            let today = today();
            let due = match due_date {
                Some(d) if d <= today => {
                    return Err(AppError::bad_field("input.dueDate", "input.dueDate must be after today"));
                }
                Some(d) => d,
                None => today
                    .checked_add_months(Months::new(DEFAULT_HANDLING_MONTHS))
                    .ok_or_else(|| AppError::bad_field("input.dueDate", "no due date can be computed"))?,
            };
            let existing = assignments(txn, id).await?;
            let answered: Vec<proposal_assignment::Model> =
                existing.iter().filter(|a| a.status == AssignmentStatus::Answered).cloned().collect();
            proposal_assignment::Entity::update_many()
                .col_expr(proposal_assignment::Column::Status, Expr::value(AssignmentStatus::Superseded))
                .filter(proposal_assignment::Column::Id.is_in(answered.iter().map(|a| a.id)))
                .exec(txn)
                .await?;
            let superseded = assignments(txn, id).await?;
            for before in &answered {
                if let Some(after) = superseded.iter().find(|a| a.id == before.id) {
                    audit::changed(txn, &actor, "reopenProposal", "proposal_assignment", before.id, before, after)
                        .await?;
                }
            }
            let rows = answered.iter().map(|a| proposal_assignment::ActiveModel {
                proposal_id: Set(id),
                handling_unit_id: Set(a.handling_unit_id),
                role: Set(a.role),
                status: Set(AssignmentStatus::Pending),
                assigned_on: Set(today),
                due_date: Set(due),
                refused_on: Set(None),
                refusal_reason: Set(None),
                answered_on: Set(None),
                result_class: Set(None),
                met_proposer: Set(None),
                answer_summary: Set(None),
                ..Default::default()
            });
            proposal_assignment::Entity::insert_many(rows).exec_without_returning(txn).await?;
            audit_new_assignments(txn, &actor, "reopenProposal", id, &existing).await?;
            let mut row: proposal::ActiveModel = current.clone().into();
            row.due_date = Set(Some(due));
            row.answered_on = Set(None);
            row.result_class = Set(None);
            row.met_proposer = Set(None);
            row.feedback = Set(None);
            let note = note("input.note", note_text.as_deref())?;
            transition(txn, &actor, &current, row, ProposalActionKind::Reopen, ProposalStatus::Assigned, note).await
        })
    })
    .await
}

/// Closes (办结) an answered proposal, with or without feedback: ANSWERED | FEEDBACK → CLOSED.
pub async fn close(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    note_text: Option<String>,
) -> AppResult<proposal::Model> {
    policy::manage_proposals(actor)?;
    let actor = actor.clone();
    in_txn(db, move |txn| {
        Box::pin(async move {
            let current = load_for_change(txn, &actor, id).await?;
            require(&current, &[ProposalStatus::Answered, ProposalStatus::Feedback], "closed")?;
            let note = note("input.note", note_text.as_deref())?;
            let row: proposal::ActiveModel = current.clone().into();
            transition(txn, &actor, &current, row, ProposalActionKind::Close, ProposalStatus::Closed, note).await
        })
    })
    .await
}

/// Flags an accepted proposal as key (重点提案, with its supervising leader) or excellent
/// (优秀提案), or clears a flag. The state does not change; the step is logged.
pub async fn flag(db: &DatabaseConnection, actor: &Actor, id: i64, flags: Flags) -> AppResult<proposal::Model> {
    policy::manage_proposals(actor)?;
    let actor = actor.clone();
    in_txn(db, move |txn| {
        Box::pin(async move {
            let current = load_for_change(txn, &actor, id).await?;
            require(&current, ACCEPTED_STATES, "flagged")?;
            let leader =
                validate::optional("input.supervisingLeader", flags.supervising_leader.as_deref(), MAX_NAME_CHARS)?;
            let mut row: proposal::ActiveModel = current.clone().into();
            let mut parts = Vec::new();
            if let Some(key) = flags.key_proposal {
                row.key_proposal = Set(key);
                row.supervising_leader =
                    Set(if key { leader.clone().or(current.supervising_leader.clone()) } else { None });
                parts.push(if key { "重点提案".to_owned() } else { "取消重点提案".to_owned() });
            } else if leader.is_some() {
                if !current.key_proposal {
                    return Err(AppError::bad_field(
                        "input.supervisingLeader",
                        "only a key proposal has a supervising leader",
                    ));
                }
                row.supervising_leader = Set(leader.clone());
            }
            if let Some(l) = &leader {
                parts.push(format!("督办领导 {l}"));
            }
            if let Some(excellent) = flags.excellent {
                row.excellent = Set(excellent);
                parts.push(if excellent { "优秀提案".to_owned() } else { "取消优秀提案".to_owned() });
            }
            if parts.is_empty() {
                return Err(AppError::bad_input("give keyProposal, supervisingLeader or excellent"));
            }
            let to = current.status;
            transition(txn, &actor, &current, row, ProposalActionKind::Flag, to, Some(parts.join("; "))).await
        })
    })
    .await
}

/// Converts a proposal that has not been accepted into a public-opinion report (转社情民意)
/// with the same authors, year and text: SUBMITTED | RETURNED | NOT_ACCEPTED → CONVERTED. From
/// then on it counts only as the report (see [`statistics`]).
pub async fn convert_to_opinion_report(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    note_text: Option<String>,
) -> AppResult<(proposal::Model, opinion_report::Model)> {
    policy::manage_proposals(actor)?;
    policy::manage_opinion_reports(actor)?;
    let actor = actor.clone();
    in_txn(db, move |txn| {
        Box::pin(async move {
            let current = load_for_change(txn, &actor, id).await?;
            require(
                &current,
                &[ProposalStatus::Submitted, ProposalStatus::Returned, ProposalStatus::NotAccepted],
                "converted to a public-opinion report",
            )?;
            let note = note("input.note", note_text.as_deref())?;
            let signers: Vec<NewSigner> = proposal_signer::Entity::find()
                .filter(proposal_signer::Column::ProposalId.eq(id))
                .order_by_asc(proposal_signer::Column::Id)
                .all(txn)
                .await?
                .into_iter()
                .map(|s| NewSigner { member_id: s.member_id, role: s.role })
                .collect();
            let body = [&current.situation, &current.analysis, &Some(current.suggestions.clone())]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join("\n\n");
            let report = crate::opinion::service::insert_report(
                txn,
                &actor,
                "convertProposalToOpinionReport",
                crate::opinion::service::ReportRow {
                    year: current.year,
                    submitted_on: current.submitted_on,
                    title: current.title.clone(),
                    body,
                    source_proposal_id: Some(id),
                },
                &signers,
            )
            .await?;
            let row: proposal::ActiveModel = current.clone().into();
            let proposal =
                transition(txn, &actor, &current, row, ProposalActionKind::Convert, ProposalStatus::Converted, note)
                    .await?;
            Ok((proposal, report))
        })
    })
    .await
}

// ----- statistics -----

/// `COALESCE(SUM(CASE WHEN cond THEN 1 ELSE 0 END), 0)`: how many rows meet `cond`.
pub(crate) fn count_if(cond: impl sea_orm::sea_query::IntoCondition) -> SimpleExpr {
    let case: SimpleExpr = CaseStatement::new().case(cond, Expr::val(1)).finally(Expr::val(0)).into();
    Func::coalesce([SimpleExpr::from(Func::sum(case)), Expr::val(0)]).into()
}

/// `part / whole` in 0..1 with four decimals; none when `whole` is zero.
pub fn rate(part: u64, whole: u64) -> Option<Decimal> {
    if whole == 0 {
        return None;
    }
    Some((Decimal::from(part) / Decimal::from(whole)).round_dp(4).normalize())
}

#[derive(Debug, FromQueryResult)]
struct Totals {
    submitted: i64,
    accepted: i64,
    not_accepted: i64,
    merged: i64,
    awaiting_review: i64,
    assigned: i64,
    answered: i64,
    answered_on_time: i64,
    overdue: i64,
    met: i64,
    feedback: i64,
    satisfied: i64,
    basically_satisfied: i64,
    dissatisfied: i64,
    key_proposals: i64,
    excellent: i64,
    closed: i64,
}

/// How many answered proposals got one result class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassCount {
    /// The class.
    pub result_class: ResultClass,
    /// How many.
    pub count: u64,
    /// Share of the answered proposals, 0..1.
    pub share: Option<Decimal>,
}

/// The figures of one year's proposals. Converted proposals are left out: they count as
/// public-opinion reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalStatistics {
    /// The year.
    pub year: i32,
    /// Submitted (every state but CONVERTED).
    pub submitted: u64,
    /// Accepted (立案): given a serial number.
    pub accepted: u64,
    /// Not accepted (不予立案).
    pub not_accepted: u64,
    /// Merged into another (并案).
    pub merged: u64,
    /// Awaiting review: submitted or returned for changes.
    pub awaiting_review: u64,
    /// Assigned to handling units (accepted ones that reached a unit).
    pub assigned: u64,
    /// Answered (every unit answered).
    pub answered: u64,
    /// Answered by the due date.
    pub answered_on_time: u64,
    /// Overdue: answered after the due date, or unanswered past it today.
    pub overdue: u64,
    /// Answered with the proposer met (见面).
    pub met: u64,
    /// Feedback received.
    pub feedback: u64,
    /// 满意.
    pub satisfied: u64,
    /// 基本满意.
    pub basically_satisfied: u64,
    /// 不满意.
    pub dissatisfied: u64,
    /// Key proposals.
    pub key_proposals: u64,
    /// Excellent proposals.
    pub excellent: u64,
    /// Closed (办结).
    pub closed: u64,
    /// 立案率: accepted / submitted.
    pub acceptance_rate: Option<Decimal>,
    /// 办复率: answered / accepted.
    pub answer_rate: Option<Decimal>,
    /// 按期办复率: answered on time / answered.
    pub on_time_rate: Option<Decimal>,
    /// 见面率: met / answered.
    pub met_rate: Option<Decimal>,
    /// 满意率: (satisfied + basically satisfied) / feedback received.
    pub satisfied_rate: Option<Decimal>,
    /// Answered proposals by result class (every class, in order).
    pub result_classes: Vec<ClassCount>,
}

fn n(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// The figures of `year`'s proposals (optionally of those assigned to one handling unit), for
/// anyone signed in: two GROUP BY queries.
pub async fn statistics(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
    handling_unit_id: Option<i64>,
) -> AppResult<ProposalStatistics> {
    policy::read_statistics(actor)?;
    compute(db, year, handling_unit_id).await
}

async fn compute(db: &impl ConnectionTrait, year: i32, unit: Option<i64>) -> AppResult<ProposalStatistics> {
    use proposal::Column as C;
    let mut base = proposal::Entity::find().filter(C::Year.eq(year)).filter(C::Status.ne(ProposalStatus::Converted));
    if let Some(unit) = unit {
        base = base.filter(assigned_to(unit));
    }
    let today = today();
    let answered = || C::AnsweredOn.is_not_null();
    let totals = base
        .clone()
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "submitted")
        .column_as(count_if(C::AcceptedOn.is_not_null()), "accepted")
        .column_as(count_if(C::Status.eq(ProposalStatus::NotAccepted)), "not_accepted")
        .column_as(count_if(C::Status.eq(ProposalStatus::Merged)), "merged")
        .column_as(count_if(C::Status.is_in([ProposalStatus::Submitted, ProposalStatus::Returned])), "awaiting_review")
        .column_as(count_if(C::DueDate.is_not_null()), "assigned")
        .column_as(count_if(answered()), "answered")
        .column_as(
            count_if(Condition::all().add(answered()).add(Expr::col(C::AnsweredOn).lte(Expr::col(C::DueDate)))),
            "answered_on_time",
        )
        .column_as(count_if(overdue_condition(today)), "overdue")
        .column_as(count_if(Condition::all().add(answered()).add(C::MetProposer.eq(true))), "met")
        .column_as(count_if(C::Feedback.is_not_null()), "feedback")
        .column_as(count_if(C::Feedback.eq(FeedbackRating::Satisfied)), "satisfied")
        .column_as(count_if(C::Feedback.eq(FeedbackRating::BasicallySatisfied)), "basically_satisfied")
        .column_as(count_if(C::Feedback.eq(FeedbackRating::Dissatisfied)), "dissatisfied")
        .column_as(count_if(C::KeyProposal.eq(true)), "key_proposals")
        .column_as(count_if(C::Excellent.eq(true)), "excellent")
        .column_as(count_if(C::Status.eq(ProposalStatus::Closed)), "closed")
        .into_model::<Totals>()
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal("an aggregate query returned no row".to_owned()))?;
    let classes: Vec<(Option<ResultClass>, i64)> = base
        .select_only()
        .column(C::ResultClass)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .filter(answered())
        .group_by(C::ResultClass)
        .into_tuple()
        .all(db)
        .await?;
    let t = totals;
    let answered = n(t.answered);
    let result_classes = ResultClass::ALL
        .iter()
        .map(|&class| {
            let count = classes.iter().find(|(c, _)| *c == Some(class)).map_or(0, |(_, k)| n(*k));
            ClassCount { result_class: class, count, share: rate(count, answered) }
        })
        .collect();
    let (submitted, accepted) = (n(t.submitted), n(t.accepted));
    let (satisfied, basically) = (n(t.satisfied), n(t.basically_satisfied));
    Ok(ProposalStatistics {
        year,
        submitted,
        accepted,
        not_accepted: n(t.not_accepted),
        merged: n(t.merged),
        awaiting_review: n(t.awaiting_review),
        assigned: n(t.assigned),
        answered,
        answered_on_time: n(t.answered_on_time),
        overdue: n(t.overdue),
        met: n(t.met),
        feedback: n(t.feedback),
        satisfied,
        basically_satisfied: basically,
        dissatisfied: n(t.dissatisfied),
        key_proposals: n(t.key_proposals),
        excellent: n(t.excellent),
        closed: n(t.closed),
        acceptance_rate: rate(accepted, submitted),
        answer_rate: rate(answered, accepted),
        on_time_rate: rate(n(t.answered_on_time), answered),
        met_rate: rate(n(t.met), answered),
        satisfied_rate: rate(satisfied + basically, n(t.feedback)),
        result_classes,
    })
}

/// The proposal figures the year in review quotes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearFigures {
    /// Submitted (converted proposals left out: they count as opinion reports).
    pub submitted: u64,
    /// Accepted (立案).
    pub accepted: u64,
    /// Answered.
    pub answered: u64,
    /// 见面率, 0..1; 0 when nothing was answered.
    pub met_rate: Decimal,
    /// 满意率, 0..1; 0 when no feedback was received.
    pub satisfied_rate: Decimal,
}

/// The year-in-review figures of `year`'s proposals. No access check: the caller (the year in
/// review) checks its own.
pub async fn year_figures(db: &impl ConnectionTrait, year: i32) -> AppResult<YearFigures> {
    let s = compute(db, year, None).await?;
    Ok(YearFigures {
        submitted: s.submitted,
        accepted: s.accepted,
        answered: s.answered,
        met_rate: s.met_rate.unwrap_or_default(),
        satisfied_rate: s.satisfied_rate.unwrap_or_default(),
    })
}

/// The first `limit` proposals (newest first) signed by each of `members`, optionally in one
/// year, within what `scope` may read, with each member's total: ONE query for all of them.
/// The cursors are those of [`list`], so `Member.proposals(after:)` pages on from them.
pub async fn signed_first_pages(
    db: &impl ConnectionTrait,
    scope: RecordScope,
    members: &[i64],
    year: Option<i32>,
    limit: u64,
) -> AppResult<HashMap<i64, (Page<proposal::Model>, u64)>> {
    use sea_orm::JoinType;
    let signer = proposal_signer::Entity::belongs_to(proposal::Entity)
        .from(proposal_signer::Column::ProposalId)
        .to(proposal::Column::Id)
        .into();
    let mut select =
        scoped(proposal::Entity::find(), scope).join(JoinType::InnerJoin, sea_orm::RelationDef::rev(signer));
    if let Some(year) = year {
        select = select.filter(proposal::Column::Year.eq(year));
    }
    let ordering = Ordering::new("PROPOSAL:ID:DESC", vec![SortKey { column: proposal::Column::Id, descending: true }]);
    crate::pagination::first_pages(db, select, ("proposal_signer", "member_id"), members, &ordering, limit).await
}
