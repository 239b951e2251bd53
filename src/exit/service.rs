//! Rules and queries of exit cases. Opening and advancing a case needs
//! `policy::manage_exit_cases`; reading needs `policy::read_exit_cases` (the office every
//! case, a member their own). A case's steps run 提醒谈话 → 约谈 → 劝辞 or 责令辞职 → the
//! standing committee's decision (see [`allowed_next`]); the decision closes the case and, in
//! the same transaction, sets the seat's status.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, TransactionTrait,
};

use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    error::{AppError, AppResult},
    pagination::{Counter, Ordering, Page, PageArgs, SortKey, counter, paginate},
    validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{
    assessment_run,
    enums::{ConsequenceFlag, ExitCaseSource, ExitCaseStatus, ExitOutcome, ExitStep, RunStatus, SeatStatus},
    exit_case, exit_case_step, member, member_assessment, seat,
};

/// Where a case comes from.
#[derive(Clone, Copy, Debug)]
pub enum Origin {
    /// A member, by hand.
    Member(i64),
    /// An assessment result carrying a 提醒谈话 or 劝辞 flag.
    Assessment(i64),
}

/// A case to open.
#[derive(Clone, Debug)]
pub struct NewExitCase {
    /// Where it comes from.
    pub origin: Origin,
    /// Why (for a flag: defaults to the flag's label).
    pub reason: Option<String>,
    /// The day it is opened (default: today).
    pub opened_on: Option<NaiveDate>,
}

/// A step to record.
#[derive(Clone, Debug)]
pub struct NewStep {
    /// The case.
    pub case_id: i64,
    /// The step.
    pub step: ExitStep,
    /// The day it was taken.
    pub taken_on: NaiveDate,
    /// Who took it.
    pub taken_by: String,
    /// What was said or decided.
    pub note: Option<String>,
    /// DECISION: what was decided.
    pub outcome: Option<ExitOutcome>,
}

/// Which cases to list.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExitCaseFilter {
    /// Of this member.
    pub member_id: Option<i64>,
    /// In this state.
    pub status: Option<ExitCaseStatus>,
}

/// The steps that may follow `stage` (none: the case was just opened): the talks in order,
/// 劝辞 or 责令辞职 after the interview (and 责令辞职 after a refused 劝辞), the decision at any
/// point of an open case (dismissing it; ending the seat only after 劝辞 or 责令辞职).
pub fn allowed_next(stage: Option<ExitStep>) -> &'static [ExitStep] {
    use ExitStep::*;
    match stage {
        None => &[ReminderTalk, Decision],
        Some(ReminderTalk) => &[Interview, Decision],
        Some(Interview) => &[PersuadeResign, OrderResign, Decision],
        Some(PersuadeResign) => &[OrderResign, Decision],
        Some(OrderResign) => &[Decision],
        Some(Decision) => &[],
    }
}

/// The outcomes a decision may reach after `stage`: dismissal always; ending the seat only
/// after 劝辞 (resigned when persuaded, or resigned) or 责令辞职 (resigned, or revoked).
pub fn allowed_outcomes(stage: Option<ExitStep>) -> &'static [ExitOutcome] {
    use ExitOutcome::*;
    match stage {
        Some(ExitStep::PersuadeResign) => &[Dismissed, PersuadedToResign, Resigned],
        Some(ExitStep::OrderResign) => &[Dismissed, Resigned, Revoked],
        _ => &[Dismissed],
    }
}

/// The seat status an outcome sets; none for a dismissal.
pub fn seat_status(outcome: ExitOutcome) -> Option<SeatStatus> {
    match outcome {
        ExitOutcome::Dismissed => None,
        ExitOutcome::Resigned => Some(SeatStatus::Resigned),
        ExitOutcome::PersuadedToResign => Some(SeatStatus::PersuadedToResign),
        ExitOutcome::Revoked => Some(SeatStatus::Revoked),
    }
}

fn codes<T: sea_orm::ActiveEnum<Value = String>>(values: &[T]) -> String {
    values.iter().map(sea_orm::ActiveEnum::to_value).collect::<Vec<_>>().join(", ")
}

/// Who is recording, as stored on a case and a step.
fn recorder(actor: &Actor) -> (Option<i64>, String) {
    match actor {
        Actor::Account(s) => (Some(s.account_id), s.username.clone()),
        Actor::System => (None, "system".to_owned()),
        Actor::Anonymous => (None, "anonymous".to_owned()),
    }
}

/// The seat a by-hand case is about: the member's serving seat in the latest term they hold
/// one in.
async fn serving_seat(db: &impl ConnectionTrait, member_id: i64) -> AppResult<seat::Model> {
    crate::db::exists::<member::Entity>(db, member_id, "memberId", "member").await?;
    seat::Entity::find()
        .filter(seat::Column::MemberId.eq(member_id))
        .filter(seat::Column::Status.eq(SeatStatus::Serving))
        .order_by_desc(seat::Column::StartDate)
        .one(db)
        .await?
        .ok_or_else(|| AppError::Conflict(format!("member {member_id} holds no serving seat")))
}

/// The result, its flag and its seat for a case opened from an assessment flag.
async fn flagged(
    db: &impl ConnectionTrait,
    result_id: i64,
) -> AppResult<(member_assessment::Model, ConsequenceFlag, seat::Model)> {
    let field = "memberAssessmentId";
    let result = member_assessment::Entity::find_by_id(result_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_field(field, format!("member assessment {result_id} does not exist")))?;
    let flag = if result.flag_resign {
        ConsequenceFlag::PersuadeResign
    } else if result.flag_reminder {
        ConsequenceFlag::ReminderTalk
    } else {
        return Err(AppError::bad_field(
            field,
            format!("member assessment {result_id} carries neither a REMINDER_TALK nor a PERSUADE_RESIGN flag"),
        ));
    };
    let run = assessment_run::Entity::find_by_id(result.run_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(format!("run {} of result {result_id} is missing", result.run_id)))?;
    if run.status == RunStatus::Draft {
        return Err(AppError::Conflict(format!(
            "assessment run {} is a draft; confirm it before acting on its flags",
            run.id
        )));
    }
    let seat = seat::Entity::find_by_id(result.seat_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(format!("seat {} of result {result_id} is missing", result.seat_id)))?;
    if seat.status != SeatStatus::Serving {
        return Err(AppError::Conflict(format!("seat {} is no longer serving", seat.id)));
    }
    Ok((result, flag, seat))
}

/// Opens an exit case, from an assessment flag or by hand; a member has one open case at a
/// time. Audited as `openExitCase`.
pub async fn open(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    new: NewExitCase,
) -> AppResult<exit_case::Model> {
    policy::manage_exit_cases(actor)?;
    let reason = validate::optional("reason", new.reason.as_deref(), MAX_TEXT_CHARS)?;
    let opened_on = new.opened_on.unwrap_or_else(crate::dates::today);
    crate::db::atomically(db, async |txn| {
        let (source, result_id, flag, seat, reason) = match new.origin {
            Origin::Member(member_id) => {
                let reason = reason.ok_or_else(|| {
                    AppError::bad_field("reason", "reason must not be empty for a case opened by hand")
                })?;
                (ExitCaseSource::ByHand, None, None, serving_seat(txn, member_id).await?, reason)
            }
            Origin::Assessment(result_id) => {
                let (result, flag, seat) = flagged(txn, result_id).await?;
                let reason = reason.unwrap_or_else(|| format!("{}年度履职考核：{}", result.year, flag.label()));
                (ExitCaseSource::AssessmentFlag, Some(result.id), Some(flag), seat, reason)
            }
        };
        if opened_on < seat.start_date {
            return Err(AppError::bad_field(
                "openedOn",
                format!("openedOn {opened_on} is before the seat began ({})", seat.start_date),
            ));
        }
        let open = exit_case::Entity::find()
            .filter(exit_case::Column::MemberId.eq(seat.member_id))
            .filter(exit_case::Column::Status.eq(ExitCaseStatus::Open))
            .one(txn)
            .await?;
        if let Some(open) = open {
            return Err(AppError::Conflict(format!(
                "member {} already has an open exit case ({}); decide that first",
                seat.member_id, open.id
            )));
        }
        let (account, name) = recorder(actor);
        let row = exit_case::ActiveModel {
            member_id: Set(seat.member_id),
            seat_id: Set(seat.id),
            source: Set(source),
            member_assessment_id: Set(result_id),
            flag: Set(flag),
            reason: Set(reason),
            opened_on: Set(opened_on),
            status: Set(ExitCaseStatus::Open),
            stage: Set(None),
            outcome: Set(None),
            decided_on: Set(None),
            opened_by_account_id: Set(account),
            opened_by: Set(name),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "openExitCase", "exit_case", row.id, &row).await?;
        Ok(row)
    })
    .await
}

/// Records the next step of an open case. A step out of order is BAD_USER_INPUT naming
/// `step` (the message lists the steps allowed); a decided case is CONFLICT. The decision
/// (`DECISION`, with an `outcome`) closes the case and sets the seat's status, end and reason
/// in the same transaction. Audited as `advanceExitCase` (the case, the step and the seat).
pub async fn advance(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    new: NewStep,
) -> AppResult<exit_case::Model> {
    policy::manage_exit_cases(actor)?;
    let taken_by = validate::required("takenBy", &new.taken_by, MAX_NAME_CHARS)?;
    let note = validate::optional("note", new.note.as_deref(), MAX_TEXT_CHARS)?;
    match (new.step, new.outcome) {
        (ExitStep::Decision, None) => {
            return Err(AppError::bad_field("outcome", "outcome is required for the DECISION step"));
        }
        (step, Some(_)) if step != ExitStep::Decision => {
            return Err(AppError::bad_field("outcome", "outcome applies only to the DECISION step"));
        }
        _ => {}
    }
    crate::db::atomically(db, async |txn| {
        let case = exit_case::Entity::find_by_id(new.case_id)
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("exit case", new.case_id))?;
        if case.status == ExitCaseStatus::Decided {
            return Err(AppError::Conflict(format!("exit case {} has been decided", case.id)));
        }
        let next = allowed_next(case.stage);
        if !next.contains(&new.step) {
            let after = case.stage.map_or("the case was opened", |s| s.label());
            return Err(AppError::bad_field(
                "step",
                format!(
                    "step {} cannot follow {after}; next may come {}",
                    sea_orm::ActiveEnum::to_value(&new.step),
                    codes(next)
                ),
            ));
        }
        if let Some(outcome) = new.outcome {
            let outcomes = allowed_outcomes(case.stage);
            if !outcomes.contains(&outcome) {
                return Err(AppError::bad_field(
                    "outcome",
                    format!(
                        "outcome {} is not open after {}; it may be {}",
                        sea_orm::ActiveEnum::to_value(&outcome),
                        case.stage.map_or("no step", |s| s.label()),
                        codes(outcomes)
                    ),
                ));
            }
        }
        let last = exit_case_step::Entity::find()
            .filter(exit_case_step::Column::CaseId.eq(case.id))
            .order_by_desc(exit_case_step::Column::Id)
            .one(txn)
            .await?
            .map_or(case.opened_on, |s| s.taken_on);
        if new.taken_on < last {
            return Err(AppError::bad_field(
                "takenOn",
                format!("takenOn {} is before the case's last date {last}", new.taken_on),
            ));
        }
        let (account, name) = recorder(actor);
        let step = exit_case_step::ActiveModel {
            case_id: Set(case.id),
            step: Set(new.step),
            taken_on: Set(new.taken_on),
            taken_by: Set(taken_by),
            note: Set(note.clone()),
            outcome: Set(new.outcome),
            recorded_by_account_id: Set(account),
            recorded_by: Set(name),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "advanceExitCase", "exit_case_step", step.id, &step).await?;

        let before = case.clone();
        let mut active = case.into_active_model();
        active.stage = Set(Some(new.step));
        if let Some(outcome) = new.outcome {
            active.status = Set(ExitCaseStatus::Decided);
            active.outcome = Set(Some(outcome));
            active.decided_on = Set(Some(new.taken_on));
            if let Some(status) = seat_status(outcome) {
                end_seat(txn, actor, before.seat_id, status, new.taken_on, note).await?;
            }
        }
        let after = active.update(txn).await?;
        audit::changed(txn, actor, "advanceExitCase", "exit_case", after.id, &before, &after).await?;
        Ok(after)
    })
    .await
}

/// Ends a seat with the decision's status on its day, with the note as the reason.
async fn end_seat(
    txn: &DatabaseTransaction,
    actor: &Actor,
    seat_id: i64,
    status: SeatStatus,
    on: NaiveDate,
    note: Option<String>,
) -> AppResult<()> {
    let seat = seat::Entity::find_by_id(seat_id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::Internal(format!("seat {seat_id} of an exit case is missing")))?;
    if seat.status != SeatStatus::Serving {
        return Err(AppError::Conflict(format!(
            "seat {seat_id} is no longer serving ({}); dismiss the case instead",
            seat.status.label()
        )));
    }
    if on < seat.start_date {
        return Err(AppError::bad_field(
            "takenOn",
            format!("takenOn {on} is before the seat began ({})", seat.start_date),
        ));
    }
    let before = seat.clone();
    let mut active = seat.into_active_model();
    active.status = Set(status);
    active.end_date = Set(Some(on));
    active.status_reason = Set(Some(note.unwrap_or_else(|| format!("常委会决定：{}", status.label()))));
    let after = active.update(txn).await?;
    audit::changed(txn, actor, "advanceExitCase", "seat", after.id, &before, &after).await
}

/// One case as `actor` may read it; NOT_FOUND when it does not exist or is another member's.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<exit_case::Model> {
    let scope = policy::read_exit_cases(actor)?;
    exit_case::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| scope.sees(c.member_id))
        .ok_or_else(|| AppError::not_found("exit case", id))
}

/// A page of cases, newest first; a member lists only their own.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: ExitCaseFilter,
    page: &PageArgs,
) -> AppResult<(Page<exit_case::Model>, Counter)> {
    let scope = policy::read_exit_cases(actor)?;
    let mut select = exit_case::Entity::find();
    if let Some(own) = scope.only_member() {
        select = select.filter(exit_case::Column::MemberId.eq(own));
    }
    if let Some(member) = filter.member_id {
        select = select.filter(exit_case::Column::MemberId.eq(member));
    }
    if let Some(status) = filter.status {
        select = select.filter(exit_case::Column::Status.eq(status));
    }
    let ordering = Ordering::new(
        "OPENED_ON:DESC",
        vec![
            SortKey { column: exit_case::Column::OpenedOn, descending: true },
            SortKey { column: exit_case::Column::Id, descending: true },
        ],
    );
    let page = paginate(db, select.clone(), &ordering, page).await?;
    Ok((page, counter(db, select)))
}
