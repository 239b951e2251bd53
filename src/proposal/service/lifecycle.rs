//! The lifecycle of a proposal: submission, review, closing, flags and conversion, and the
//! machinery every step shares (find and lock, check the state, log the step). The steps of
//! handling units and proposers are in [`super::handling`].

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::query::scoped;
use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    dates::today,
    error::{AppError, AppResult},
    signed::service::{self as signed, MAX_TITLE_CHARS, NewSigner},
    validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{
    enums::{NotAcceptedReason, ProposalActionKind, ProposalKind, ProposalStatus, ProposerType, SignerRole},
    opinion_report, proposal, proposal_action, proposal_signer,
};

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

const ACCEPTED_STATES: &[ProposalStatus] = &[
    ProposalStatus::Accepted,
    ProposalStatus::Assigned,
    ProposalStatus::Answered,
    ProposalStatus::Feedback,
    ProposalStatus::Closed,
];

/// Who did it, for the log.
fn actor_ref(actor: &Actor) -> (Option<i64>, String) {
    match actor.session() {
        Some(s) => (Some(s.account_id), s.username.clone()),
        None => (None, "system".to_owned()),
    }
}

/// Loads a proposal for a change, locking its row (on PostgreSQL) until the transaction ends,
/// so two transitions of one proposal never interleave. NOT_FOUND when the actor cannot see it.
pub(super) async fn load_for_change(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<proposal::Model> {
    let scope = policy::proposals_to_change(actor)?;
    scoped(proposal::Entity::find_by_id(id), scope)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("proposal", id))
}

/// Fails unless `current` is one of `from`: an illegal transition changes nothing.
pub(super) fn require(current: &proposal::Model, from: &[ProposalStatus], what: &str) -> AppResult<()> {
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
pub(super) async fn transition(
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

/// Writes the row of one step to the proposal's log (and the audit log).
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

pub(super) fn note(field: &str, note: Option<&str>) -> AppResult<Option<String>> {
    validate::optional(field, note, MAX_TEXT_CHARS)
}
/// The member who is a proposal's first proposer, if any.
pub(super) async fn first_signer(db: &impl ConnectionTrait, proposal_id: i64) -> AppResult<Option<i64>> {
    Ok(proposal_signer::Entity::find()
        .filter(proposal_signer::Column::ProposalId.eq(proposal_id))
        .filter(proposal_signer::Column::Role.eq(SignerRole::First))
        .one(db)
        .await?
        .map(|s| s.member_id))
}

/// Submits a proposal: checked, stored as SUBMITTED with its signers, logged.
pub async fn submit(db: &DatabaseConnection, actor: &Actor, new: NewProposal) -> AppResult<proposal::Model> {
    policy::submit_proposal(actor, signed::first_of(&new.signers))?;
    crate::db::atomically(db, async |txn| insert_proposal(txn, actor, new).await).await
}

async fn insert_proposal(db: &impl ConnectionTrait, actor: &Actor, new: NewProposal) -> AppResult<proposal::Model> {
    if !(2000..=2100).contains(&new.year) {
        return Err(AppError::bad_field("year", "year must be between 2000 and 2100"));
    }
    let title = validate::required("title", &new.title, MAX_TITLE_CHARS)?;
    let suggestions = validate::required("suggestions", &new.suggestions, MAX_TEXT_CHARS)?;
    let situation = validate::optional("situation", new.situation.as_deref(), MAX_TEXT_CHARS)?;
    let analysis = validate::optional("analysis", new.analysis.as_deref(), MAX_TEXT_CHARS)?;
    let category = validate::optional("category", new.category.as_deref(), MAX_NAME_CHARS)?;
    let session = validate::optional("session", new.session.as_deref(), MAX_NAME_CHARS)?;
    let collective = validate::optional("collectiveName", new.collective_name.as_deref(), MAX_NAME_CHARS)?;
    match new.proposer_type {
        ProposerType::Individual if new.signers.len() != 1 => {
            return Err(AppError::bad_field("signers", "an individual proposal has exactly one signer"));
        }
        ProposerType::Joint if new.signers.len() < 2 => {
            return Err(AppError::bad_field("signers", "a joint proposal has at least two signers"));
        }
        t if t.is_collective() && collective.is_none() => {
            return Err(AppError::bad_field("collectiveName", "a collective proposal names its proposer"));
        }
        t if !t.is_collective() && collective.is_some() => {
            return Err(AppError::bad_field("collectiveName", "only a collective proposal names a collective"));
        }
        _ => {}
    }
    signed::check(db, "signers", &new.signers).await?;
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
        log_action(db, actor, stored.id, ProposalActionKind::Submit, None, ProposalStatus::Submitted, None).await?;
    let mut row: proposal::ActiveModel = stored.into();
    row.latest_action_id = Set(Some(action.id));
    let proposal = row.update(db).await?;
    audit::created(db, actor, "submitProposal", "proposal", proposal.id, &proposal).await?;
    let signers = proposal_signer::Entity::find()
        .filter(proposal_signer::Column::ProposalId.eq(proposal.id))
        .order_by_asc(proposal_signer::Column::Id)
        .all(db)
        .await?;
    for signer in &signers {
        audit::created(db, actor, "submitProposal", "proposal_signer", signer.id, signer).await?;
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
    crate::db::atomically(db, async |txn| {
        let current = load_for_change(txn, actor, id).await?;
        policy::submit_proposal(actor, first_signer(txn, id).await?)?;
        require(&current, &[ProposalStatus::Returned], "resubmitted")?;
        let mut row: proposal::ActiveModel = current.clone().into();
        if let Some(t) = &revision.title {
            row.title = Set(validate::required("title", t, MAX_TITLE_CHARS)?);
        }
        if let Some(s) = &revision.suggestions {
            row.suggestions = Set(validate::required("suggestions", s, MAX_TEXT_CHARS)?);
        }
        if let Some(s) = &revision.situation {
            row.situation = Set(validate::optional("situation", Some(s), MAX_TEXT_CHARS)?);
        }
        if let Some(a) = &revision.analysis {
            row.analysis = Set(validate::optional("analysis", Some(a), MAX_TEXT_CHARS)?);
        }
        if let Some(c) = &revision.category {
            row.category = Set(validate::optional("category", Some(c), MAX_NAME_CHARS)?);
        }
        row.submitted_on = Set(today());
        let note = note("note", revision.note.as_deref())?;
        transition(txn, actor, &current, row, ProposalActionKind::Resubmit, ProposalStatus::Submitted, note).await
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
    crate::db::atomically(db, async |txn| {
        let current = load_for_change(txn, actor, id).await?;
        let note = note("note", note_text.as_deref())?;
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
                    return Err(AppError::bad_field("intoId", "a proposal cannot be merged into itself"));
                }
                let target = proposal::Entity::find_by_id(into)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::bad_field("intoId", format!("proposal {into} does not exist")))?;
                if !ACCEPTED_STATES.contains(&target.status) {
                    return Err(AppError::bad_field(
                        "intoId",
                        format!("proposal {into} is {}; proposals merge into an accepted one", target.status.label()),
                    ));
                }
                row.merged_into_id = Set(Some(into));
                (ProposalActionKind::Merge, ProposalStatus::Merged)
            }
            Review::Return => (ProposalActionKind::Return, ProposalStatus::Returned),
        };
        transition(txn, actor, &current, row, kind, to, note).await
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
    crate::db::atomically(db, async |txn| {
        let current = load_for_change(txn, actor, id).await?;
        require(&current, &[ProposalStatus::Answered, ProposalStatus::Feedback], "closed")?;
        let note = note("note", note_text.as_deref())?;
        let row: proposal::ActiveModel = current.clone().into();
        transition(txn, actor, &current, row, ProposalActionKind::Close, ProposalStatus::Closed, note).await
    })
    .await
}

/// Flags an accepted proposal as key (重点提案, with its supervising leader) or excellent
/// (优秀提案), or clears a flag. The state does not change; the step is logged.
pub async fn flag(db: &DatabaseConnection, actor: &Actor, id: i64, flags: Flags) -> AppResult<proposal::Model> {
    policy::manage_proposals(actor)?;
    crate::db::atomically(db, async |txn| {
        let current = load_for_change(txn, actor, id).await?;
        require(&current, ACCEPTED_STATES, "flagged")?;
        let leader = validate::optional("supervisingLeader", flags.supervising_leader.as_deref(), MAX_NAME_CHARS)?;
        let mut row: proposal::ActiveModel = current.clone().into();
        let mut parts = Vec::new();
        if let Some(key) = flags.key_proposal {
            row.key_proposal = Set(key);
            row.supervising_leader =
                Set(if key { leader.clone().or(current.supervising_leader.clone()) } else { None });
            parts.push(if key { "重点提案".to_owned() } else { "取消重点提案".to_owned() });
        } else if leader.is_some() {
            if !current.key_proposal {
                return Err(AppError::bad_field("supervisingLeader", "only a key proposal has a supervising leader"));
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
        transition(txn, actor, &current, row, ProposalActionKind::Flag, to, Some(parts.join("; "))).await
    })
    .await
}

/// Converts a proposal that has not been accepted into a public-opinion report (转社情民意)
/// with the same authors, year and text: SUBMITTED | RETURNED | NOT_ACCEPTED → CONVERTED. From
/// then on it counts only as the report (see [`super::statistics`]).
pub async fn convert_to_opinion_report(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    note_text: Option<String>,
) -> AppResult<(proposal::Model, opinion_report::Model)> {
    policy::manage_proposals(actor)?;
    policy::manage_opinion_reports(actor)?;
    crate::db::atomically(db, async |txn| {
        let current = load_for_change(txn, actor, id).await?;
        require(
            &current,
            &[ProposalStatus::Submitted, ProposalStatus::Returned, ProposalStatus::NotAccepted],
            "converted to a public-opinion report",
        )?;
        let note = note("note", note_text.as_deref())?;
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
            actor,
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
            transition(txn, actor, &current, row, ProposalActionKind::Convert, ProposalStatus::Converted, note).await?;
        Ok((proposal, report))
    })
    .await
}
