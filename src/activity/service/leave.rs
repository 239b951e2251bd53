//! Requests for leave (请假): an invitee asks before the activity, with a reason; whoever records
//! the activity's attendance approves (the invitee is EXCUSED, in the same transaction) or
//! refuses (still expected). A request after the deadline is kept and flagged late.

use chrono::{Days, NaiveDate, Utc};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, sea_query::Expr,
};

use super::organiser_of;
use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    config::AttendanceConfig,
    dates::today,
    db::atomically,
    error::{AppError, AppResult},
    events::{Broker, Event},
    pagination::{Counter, Ordering, Page, PageArgs, SortKey, counter, paginate},
    validate::{self, MAX_TEXT_CHARS},
};
use entity::{
    activity,
    enums::{ActivityStatus, Attendance, LeaveStatus},
    leave_request, participation,
};

/// Whether a request made on `day` for an activity starting on `start` is late: leave must be
/// asked at least `deadline_days` days before the first day.
pub fn is_late(day: NaiveDate, start: NaiveDate, deadline_days: u32) -> bool {
    start.checked_sub_days(Days::new(u64::from(deadline_days))).is_none_or(|deadline| day > deadline)
}

/// Asks for leave from an activity for `member_id` (a member account: themself, when none is
/// given). The member must be invited and not yet marked; one request per member and
/// activity. Kept and flagged late after the deadline in `settings`.
pub async fn request(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AttendanceConfig,
    activity_id: i64,
    member_id: Option<i64>,
    reason: &str,
) -> AppResult<leave_request::Model> {
    let member_id = match member_id.or_else(|| actor.session().and_then(|s| s.member_id)) {
        Some(id) => id,
        None => return Err(AppError::bad_field("memberId", "memberId is required")),
    };
    policy::request_leave(actor, member_id)?;
    let reason = validate::required("reason", reason, MAX_TEXT_CHARS)?;
    atomically(db, async |txn| {
        let activity = activity::Entity::find_by_id(activity_id)
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("activity", activity_id))?;
        if activity.status == ActivityStatus::Cancelled {
            return Err(AppError::Conflict(format!("activity {activity_id} is cancelled")));
        }
        if activity.closed_at.is_some() {
            return Err(AppError::Conflict(format!("activity {activity_id} is closed")));
        }
        let invitation = participation::Entity::find()
            .filter(participation::Column::ActivityId.eq(activity_id))
            .filter(participation::Column::MemberId.eq(member_id))
            .filter(participation::Column::Invited.eq(true))
            .one(txn)
            .await?
            .ok_or_else(|| {
                AppError::bad_field("memberId", format!("member {member_id} is not invited to activity {activity_id}"))
            })?;
        if let Some(mark) = invitation.attendance {
            return Err(AppError::Conflict(format!(
                "member {member_id} is already marked {} at activity {activity_id}",
                mark.label()
            )));
        }
        let asked = leave_request::Entity::find()
            .filter(leave_request::Column::ActivityId.eq(activity_id))
            .filter(leave_request::Column::MemberId.eq(member_id))
            .one(txn)
            .await?;
        if asked.is_some() {
            return Err(AppError::Conflict(format!(
                "member {member_id} has already asked for leave from activity {activity_id}"
            )));
        }
        let row = leave_request::ActiveModel {
            activity_id: Set(activity_id),
            member_id: Set(member_id),
            reason: Set(reason),
            requested_at: Set(Utc::now()),
            late: Set(is_late(today(), activity.start_date, settings.leave_deadline_days)),
            status: Set(LeaveStatus::Pending),
            decided_by: Set(None),
            decided_at: Set(None),
            note: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        audit::created(txn, actor, "requestLeave", "leave_request", row.id, &row).await?;
        Ok(row)
    })
    .await
}

/// Approves (the invitee is EXCUSED, in the same transaction) or refuses (still expected) a
/// pending request, as whoever records the activity's attendance; tells the member.
pub async fn decide(
    db: &DatabaseConnection,
    actor: &Actor,
    events: &Broker,
    id: i64,
    approve: bool,
    note: Option<String>,
) -> AppResult<leave_request::Model> {
    policy::read_activities(actor)?;
    let note = validate::optional("note", note.as_deref(), MAX_TEXT_CHARS)?;
    let decided = atomically(db, async |txn| {
        let current = leave_request::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("leave request", id))?;
        let activity = activity::Entity::find_by_id(current.activity_id)
            .one(txn)
            .await?
            .ok_or_else(|| AppError::not_found("activity", current.activity_id))?;
        policy::decide_leave(actor, organiser_of(&activity))?;
        if current.status != LeaveStatus::Pending {
            return Err(AppError::Conflict(format!("leave request {id} is already decided")));
        }
        let mut row = current.clone().into_active_model();
        row.status = Set(if approve { LeaveStatus::Approved } else { LeaveStatus::Refused });
        row.decided_by = Set(actor.session().map(|s| s.account_id));
        row.decided_at = Set(Some(Utc::now()));
        row.note = Set(note);
        let decided = row.update(txn).await?;
        audit::changed(txn, actor, "decideLeave", "leave_request", id, &current, &decided).await?;
        if approve {
            // Approval excuses the invitee even after closing turned them absent.
            let invitation = participation::Entity::find()
                .filter(participation::Column::ActivityId.eq(current.activity_id))
                .filter(participation::Column::MemberId.eq(current.member_id))
                .one(txn)
                .await?;
            if let Some(before) = invitation {
                participation::Entity::update_many()
                    .col_expr(participation::Column::Attendance, Expr::value(Attendance::Excused.to_value()))
                    .col_expr(participation::Column::Note, Expr::value(before.note.clone().or(Some(current.reason))))
                    .filter(participation::Column::Id.eq(before.id))
                    .exec(txn)
                    .await?;
                let after = participation::Entity::find_by_id(before.id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::not_found("participation", before.id))?;
                audit::changed(txn, actor, "decideLeave", "participation", before.id, &before, &after).await?;
            }
        }
        Ok(decided)
    })
    .await?;
    events.publish(Event::LeaveDecided(decided.clone()));
    Ok(decided)
}

/// One request for leave, or NOT_FOUND (also when it is another member's and the actor a
/// member).
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<leave_request::Model> {
    let scope = policy::read_leave_requests(actor)?;
    leave_request::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|r| scope.sees(r.member_id))
        .ok_or_else(|| AppError::not_found("leave request", id))
}

/// Which requests for leave to list.
#[derive(Clone, Copy, Debug, Default)]
pub struct LeaveFilter {
    /// For this activity.
    pub activity_id: Option<i64>,
    /// Of this member.
    pub member_id: Option<i64>,
    /// In this state.
    pub status: Option<LeaveStatus>,
}

fn leave_ordering() -> Ordering<leave_request::Entity> {
    Ordering::new("ID:DESC", vec![SortKey { column: leave_request::Column::Id, descending: true }])
}

/// A page of requests for leave, newest first, and the counter of all that match; a member
/// sees only their own.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: LeaveFilter,
    page: &PageArgs,
) -> AppResult<(Page<leave_request::Model>, Counter)> {
    let scope = policy::read_leave_requests(actor)?;
    let mut select = leave_request::Entity::find();
    if let Some(activity) = filter.activity_id {
        select = select.filter(leave_request::Column::ActivityId.eq(activity));
    }
    if let Some(member) = filter.member_id {
        select = select.filter(leave_request::Column::MemberId.eq(member));
    }
    if let Some(own) = scope.only_member() {
        select = select.filter(leave_request::Column::MemberId.eq(own));
    }
    if let Some(status) = filter.status {
        select = select.filter(leave_request::Column::Status.eq(status));
    }
    let page = paginate(db, select.clone(), &leave_ordering(), page).await?;
    Ok((page, counter(db, select)))
}

/// The events of leave decisions from now on, for a subscriber who may read requests for
/// leave: a member hears only of their own, others of `member_id`'s (or everyone's).
pub fn decisions(
    actor: &Actor,
    events: &Broker,
    member_id: Option<i64>,
) -> AppResult<(tokio::sync::broadcast::Receiver<Event>, Option<i64>)> {
    let scope = policy::read_leave_requests(actor)?;
    let wanted = scope.only_member().or(member_id);
    Ok((events.subscribe(), wanted))
}

/// The events of invitations from now on, for a subscriber who may read attendance: a member
/// hears only of their own, others of `member_id`'s (or everyone's).
pub fn invitations(
    actor: &Actor,
    events: &Broker,
    member_id: Option<i64>,
) -> AppResult<(tokio::sync::broadcast::Receiver<Event>, Option<i64>)> {
    let scope = policy::read_attendance(actor)?;
    let wanted = scope.only_member().or(member_id);
    Ok((events.subscribe(), wanted))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 3, d).unwrap_or_default()
    }

    #[test]
    fn a_request_by_the_day_before_is_on_time_and_later_is_late() {
        assert!(!is_late(day(9), day(10), 1));
        assert!(is_late(day(10), day(10), 1));
        assert!(!is_late(day(10), day(10), 0));
        assert!(is_late(day(8), day(10), 3));
    }
}
