//! Handling a proposal: its assignment (交办) to handling units, their refusals and answers
//! (答复), the proposer's feedback, and reopening after dissatisfied feedback.

use std::collections::HashSet;

use chrono::{Months, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, sea_query::Expr,
};

use super::lifecycle::{first_signer, load_for_change, note, require, transition};
use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    dates::today,
    error::{AppError, AppResult},
    validate::{self, MAX_TEXT_CHARS},
};
use entity::{
    enums::{AssignmentStatus, FeedbackRating, HandlingRole, ProposalActionKind, ProposalStatus, ResultClass},
    handling_unit, proposal, proposal_assignment,
};

/// How long a handling unit has to answer unless the office says otherwise.
pub const DEFAULT_HANDLING_MONTHS: u32 = 3;
/// How many days after assignment a handling unit may still refuse it.
pub const REFUSAL_DAYS: i64 = 10;

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

/// The due date of assignments made `today`: the one given, which must be later, or
/// [`DEFAULT_HANDLING_MONTHS`] from today.
fn due_on(today: NaiveDate, given: Option<NaiveDate>) -> AppResult<NaiveDate> {
    match given {
        Some(d) if d <= today => Err(AppError::bad_field("dueDate", "dueDate must be after today")),
        Some(d) => Ok(d),
        None => today
            .checked_add_months(Months::new(DEFAULT_HANDLING_MONTHS))
            .ok_or_else(|| AppError::bad_field("dueDate", "no due date can be computed")),
    }
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
            "units",
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
    crate::db::atomically(db, async |txn| {
        let current = load_for_change(txn, actor, id).await?;
        require(&current, &[ProposalStatus::Accepted, ProposalStatus::Assigned], "assigned")?;
        if units.is_empty() {
            return Err(AppError::bad_field("units", "name at least one handling unit"));
        }
        let today = today();
        let due = due_on(today, due_date)?;
        let existing = assignments(txn, id).await?;
        let live: Vec<&proposal_assignment::Model> = existing.iter().filter(|a| is_live(a)).collect();
        let mut seen: HashSet<i64> = live.iter().map(|a| a.handling_unit_id).collect();
        let mut names = Vec::new();
        for (i, u) in units.iter().enumerate() {
            let field = format!("units.{i}.handlingUnitId");
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
        audit_new_assignments(txn, actor, "assignProposal", id, &existing).await?;
        let latest_due = live.iter().map(|a| a.due_date).chain([due]).max();
        let mut row: proposal::ActiveModel = current.clone().into();
        row.due_date = Set(latest_due);
        let mut text = format!("交办: {}; 办理时限 {due}", names.join("、"));
        if let Some(n) = note("note", note_text.as_deref())? {
            text.push_str("; ");
            text.push_str(&n);
        }
        transition(txn, actor, &current, row, ProposalActionKind::Assign, ProposalStatus::Assigned, Some(text)).await
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
                "handlingUnitId",
                "several units handle this proposal; name the one that acts",
            ));
        }
    };
    found
        .cloned()
        .ok_or_else(|| AppError::bad_field("handlingUnitId", "that unit has no pending assignment of this proposal"))
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
    crate::db::atomically(db, async |txn| {
        let current = load_for_change(txn, actor, id).await?;
        let all = assignments(txn, id).await?;
        require(&current, &[ProposalStatus::Assigned], "refused by a handling unit")?;
        let mine = pending_of(actor, &all, unit)?;
        policy::answer_proposal(actor, mine.handling_unit_id)?;
        let reason = validate::required("reason", &reason, MAX_TEXT_CHARS)?;
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
        audit::changed(txn, actor, "refuseProposalAssignment", "proposal_assignment", mine.id, &mine, &refused).await?;
        let remaining: Vec<&proposal_assignment::Model> =
            all.iter().filter(|a| a.id != mine.id && is_live(a)).collect();
        let mut row: proposal::ActiveModel = current.clone().into();
        row.due_date = Set(remaining.iter().map(|a| a.due_date).max());
        let to = if remaining.is_empty() { ProposalStatus::Accepted } else { ProposalStatus::Assigned };
        let unit_name = unit_name(txn, mine.handling_unit_id).await?;
        let text = format!("{unit_name}退回: {reason}");
        transition(txn, actor, &current, row, ProposalActionKind::RefuseAssignment, to, Some(text)).await
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
    crate::db::atomically(db, async |txn| {
        let current = load_for_change(txn, actor, id).await?;
        let all = assignments(txn, id).await?;
        require(&current, &[ProposalStatus::Assigned], "answered")?;
        let mine = pending_of(actor, &all, answer.handling_unit_id)?;
        policy::answer_proposal(actor, mine.handling_unit_id)?;
        let summary = validate::optional("summary", answer.summary.as_deref(), MAX_TEXT_CHARS)?;
        let today = today();
        let on = answer.answered_on.unwrap_or(today);
        if on > today || on < mine.assigned_on {
            return Err(AppError::bad_field(
                "answeredOn",
                format!("answeredOn must fall between the assignment ({}) and today", mine.assigned_on),
            ));
        }
        let mut a: proposal_assignment::ActiveModel = mine.clone().into();
        a.status = Set(AssignmentStatus::Answered);
        a.answered_on = Set(Some(on));
        a.result_class = Set(Some(answer.result_class));
        a.met_proposer = Set(Some(answer.met_proposer));
        a.answer_summary = Set(summary);
        let answered = a.update(txn).await?;
        audit::changed(txn, actor, "answerProposal", "proposal_assignment", mine.id, &mine, &answered).await?;

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
        transition(txn, actor, &current, row, ProposalActionKind::Answer, to, Some(text)).await
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
    crate::db::atomically(db, async |txn| {
        let current = load_for_change(txn, actor, id).await?;
        policy::give_proposal_feedback(actor, first_signer(txn, id).await?)?;
        require(&current, &[ProposalStatus::Answered], "given feedback")?;
        let mut text = rating.label().to_owned();
        if let Some(n) = note("note", note_text.as_deref())? {
            text = format!("{text}: {n}");
        }
        let mut row: proposal::ActiveModel = current.clone().into();
        row.feedback = Set(Some(rating));
        transition(txn, actor, &current, row, ProposalActionKind::Feedback, ProposalStatus::Feedback, Some(text)).await
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
    crate::db::atomically(db, async |txn| {
        let current = load_for_change(txn, actor, id).await?;
        require(&current, &[ProposalStatus::Feedback], "reopened")?;
        if current.feedback != Some(FeedbackRating::Dissatisfied) {
            return Err(AppError::bad_input(format!("proposal {id} can be reopened only after DISSATISFIED feedback")));
        }
        let today = today();
        let due = due_on(today, due_date)?;
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
                audit::changed(txn, actor, "reopenProposal", "proposal_assignment", before.id, before, after).await?;
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
        audit_new_assignments(txn, actor, "reopenProposal", id, &existing).await?;
        let mut row: proposal::ActiveModel = current.clone().into();
        row.due_date = Set(Some(due));
        row.answered_on = Set(None);
        row.result_class = Set(None);
        row.met_proposer = Set(None);
        row.feedback = Set(None);
        let note = note("note", note_text.as_deref())?;
        transition(txn, actor, &current, row, ProposalActionKind::Reopen, ProposalStatus::Assigned, note).await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proposal_goes_to_one_sole_unit_or_one_lead_with_co_units() {
        use HandlingRole::{Co, Lead, Sole};
        for ok in [&[Sole][..], &[Lead], &[Lead, Co, Co], &[Co, Lead]] {
            assert!(check_roles(ok).is_ok(), "{ok:?} is a valid set of roles");
        }
        for bad in [&[][..], &[Co], &[Sole, Co], &[Lead, Lead], &[Sole, Sole]] {
            assert!(check_roles(bad).is_err(), "{bad:?} is not a valid set of roles");
        }
    }

    #[test]
    fn the_due_date_is_three_months_on_unless_a_later_day_is_given() {
        let today = NaiveDate::from_ymd_opt(2024, 3, 31).unwrap_or_default();
        assert_eq!(due_on(today, None).ok(), NaiveDate::from_ymd_opt(2024, 6, 30));
        let later = NaiveDate::from_ymd_opt(2024, 4, 10).unwrap_or_default();
        assert_eq!(due_on(today, Some(later)).ok(), Some(later));
        assert!(matches!(due_on(today, Some(today)), Err(AppError::BadInput { field: Some(f), .. }) if f == "dueDate"));
    }
}
