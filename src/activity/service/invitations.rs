//! Invitations (应出席), sign-in (签到) and closing.
//!
//! Recording an activity fixes who is expected from the organisation on its first day (a
//! plenary session: every member seated; a standing-committee meeting: the standing members; a
//! committee's, studio's, sector's or group's activity: its members; the office's other
//! activities: those listed), with ONE `INSERT … SELECT`, never a statement per member. An
//! invitee's row has no mark until they sign in, are excused or the activity closes; closing
//! turns every invitee still without a mark ABSENT in one statement. 列席 rows (`invited`
//! false) are recorded and never counted.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{Days, NaiveDate, Utc};
use sea_orm::{
    ActiveEnum, ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect,
    sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement},
};

use super::{
    AttendanceMode, NewParticipant, organiser_of,
    record::{check_participants, write_attendance},
};
use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    dates::today,
    db::atomically,
    error::{AppError, AppResult},
    events::{Broker, Event},
};
use entity::{
    activity,
    enums::{ActivityKind, ActivityStatus, Attendance, ParticipationRole},
    member,
    organiser::Organiser,
    participation,
};

/// The audit log's name for the members an operation invited, uninvited, signed in or marked
/// absent: its entries carry the activity's id and the members' ids.
pub const INVITATIONS_ENTITY: &str = "activity_invitations";

/// The members a membership table (`committee_membership`, `studio_assignment`,
/// `group_membership`, or `seat` for terms and sectors) holds on `day`, optionally narrowed by
/// `column = value`.
fn holding_on(table: &str, narrow: Option<(&str, Expr)>, day: NaiveDate) -> SelectStatement {
    let t = Alias::new(table);
    let col = |name: &str| Expr::col((t.clone(), Alias::new(name)));
    let mut select = Query::select();
    select
        .distinct()
        .expr_as(col("member_id"), Alias::new("member_id"))
        .from(t.clone())
        .and_where(col("start_date").lte(day))
        .cond_where(Condition::any().add(col("end_date").is_null()).add(col("end_date").gte(day)));
    if let Some((column, value)) = narrow {
        select.and_where(col(column).eq(value));
    }
    // A membership voided as a mistake never held anyone (seats are withdrawn by status).
    if table != "seat" {
        select.and_where(col("voided_at").is_null());
    }
    select
}

/// Who the organisation expects at `activity` on its first day; none when the activity's
/// invitees are only those listed (the office's activities other than plenary sessions and
/// standing-committee meetings).
fn expected(activity: &activity::Model) -> Option<SelectStatement> {
    let day = activity.start_date;
    Some(match (activity.kind, organiser_of(activity)) {
        (ActivityKind::PlenarySession, _) => holding_on("seat", None, day),
        (ActivityKind::StandingCommitteeMeeting, _) => {
            holding_on("seat", Some(("standing_committee", Expr::val(true))), day)
        }
        (_, Organiser::Committee(id)) => holding_on("committee_membership", Some(("committee_id", Expr::val(id))), day),
        (_, Organiser::Studio(id)) => holding_on("studio_assignment", Some(("studio_id", Expr::val(id))), day),
        (_, Organiser::Group(id)) => holding_on("group_membership", Some(("group_id", Expr::val(id))), day),
        (_, Organiser::Sector(id)) => holding_on("seat", Some(("sector_id", Expr::val(id))), day),
        (_, Organiser::Office) => return None,
    })
}

/// Invites every member the organisation expects at `activity` who has no row there yet, in
/// ONE statement; answers the members invited.
pub(super) async fn derive(txn: &impl ConnectionTrait, activity: &activity::Model) -> AppResult<Vec<i64>> {
    let Some(members) = expected(activity) else { return Ok(Vec::new()) };
    let expected = Alias::new("expected");
    let member = Expr::col((expected.clone(), Alias::new("member_id")));
    let already = Query::select()
        .expr(Expr::val(1))
        .from(participation::Entity)
        .and_where(participation::Column::ActivityId.eq(activity.id))
        .and_where(
            Expr::col((participation::Entity, participation::Column::MemberId))
                .equals((expected.clone(), Alias::new("member_id"))),
        )
        .to_owned();
    let select = Query::select()
        .expr(member)
        .expr(Expr::val(activity.id))
        .expr(Expr::val(activity.start_date))
        .expr(Expr::val(ParticipationRole::Participant.to_value()))
        .expr(Expr::val(true))
        .from_subquery(members, expected)
        .and_where(Expr::exists(already).not())
        .to_owned();
    let insert = Query::insert()
        .into_table(participation::Entity)
        .columns([
            participation::Column::MemberId,
            participation::Column::ActivityId,
            participation::Column::ActivityDate,
            participation::Column::Role,
            participation::Column::Invited,
        ])
        .select_from(select)
        .map_err(|e| AppError::Internal(format!("building the invitations: {e}")))?
        .returning_col(participation::Column::MemberId)
        .to_owned();
    let rows = txn.query_all(&insert).await?;
    rows.iter().map(|row| row.try_get::<i64>("", "member_id").map_err(AppError::from)).collect()
}

/// Tells subscribers that `members` were invited to `activity` (nothing when nobody was).
pub(super) fn announce(events: &Broker, activity: &activity::Model, mut members: Vec<i64>) {
    if members.is_empty() {
        return;
    }
    members.sort_unstable();
    members.dedup();
    events.publish(Event::Invited { activity: activity.clone(), members: Arc::from(members) });
}

/// The activity `id` for a change of its attendance by `actor`: NOT_FOUND when there is none,
/// FORBIDDEN unless the actor records its attendance, CONFLICT when it is cancelled.
async fn open_for(txn: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<activity::Model> {
    let activity =
        activity::Entity::find_by_id(id).one(txn).await?.ok_or_else(|| AppError::not_found("activity", id))?;
    policy::take_attendance(actor, organiser_of(&activity))?;
    if activity.status == ActivityStatus::Cancelled {
        return Err(AppError::Conflict(format!("activity {id} is cancelled")));
    }
    Ok(activity)
}

/// Checks that every member of `ids` exists and appears once; fields `memberIds.{i}`.
async fn check_members(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<()> {
    let mut seen = HashSet::new();
    for (i, id) in ids.iter().enumerate() {
        if !seen.insert(*id) {
            return Err(AppError::bad_field(format!("memberIds.{i}"), format!("member {id} is listed more than once")));
        }
    }
    let known: HashSet<i64> = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .filter(member::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    match ids.iter().enumerate().find(|(_, id)| !known.contains(id)) {
        Some((i, id)) => Err(AppError::bad_field(format!("memberIds.{i}"), format!("member {id} does not exist"))),
        None => Ok(()),
    }
}

/// The rows of `members` at an activity, by member.
async fn rows_of(
    txn: &impl ConnectionTrait,
    activity_id: i64,
    members: &[i64],
) -> AppResult<HashMap<i64, participation::Model>> {
    Ok(participation::Entity::find()
        .filter(participation::Column::ActivityId.eq(activity_id))
        .filter(participation::Column::MemberId.is_in(members.iter().copied()))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| (p.member_id, p))
        .collect())
}

async fn touch(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    operation: &str,
    activity: activity::Model,
) -> AppResult<activity::Model> {
    let mut row = activity.clone().into_active_model();
    row.updated_at = Set(Utc::now());
    let updated = row.update(txn).await?;
    audit::changed(txn, actor, operation, "activity", activity.id, &activity, &updated).await?;
    Ok(updated)
}

/// Adds invitees to an activity (the office or its organiser adjusting who is expected): a
/// member with no row gets an unmarked invitation, a 列席 row becomes an invitation. One
/// transaction; subscribers hear of the new invitations.
pub async fn invite(
    db: &DatabaseConnection,
    actor: &Actor,
    events: &Broker,
    activity_id: i64,
    members: Vec<i64>,
) -> AppResult<activity::Model> {
    policy::read_activities(actor)?;
    let (activity, fresh) = atomically(db, async |txn| {
        let activity = open_for(txn, actor, activity_id).await?;
        check_members(txn, &members).await?;
        let existing = rows_of(txn, activity_id, &members).await?;
        let fresh: Vec<i64> = members.iter().copied().filter(|m| !existing.contains_key(m)).collect();
        let guests: Vec<i64> = existing.values().filter(|p| !p.invited).map(|p| p.id).collect();
        if !guests.is_empty() {
            participation::Entity::update_many()
                .col_expr(participation::Column::Invited, Expr::value(true))
                .filter(participation::Column::Id.is_in(guests))
                .exec(txn)
                .await?;
        }
        for chunk in fresh.chunks(500) {
            participation::Entity::insert_many(chunk.iter().map(|&member_id| participation::ActiveModel {
                activity_id: Set(activity.id),
                member_id: Set(member_id),
                activity_date: Set(activity.start_date),
                attendance: Set(None),
                role: Set(ParticipationRole::Participant),
                note: Set(None),
                invited: Set(true),
                ..Default::default()
            }))
            .exec_without_returning(txn)
            .await?;
        }
        audit::created(txn, actor, "inviteMembers", INVITATIONS_ENTITY, activity_id, &members).await?;
        let activity = touch(txn, actor, "inviteMembers", activity).await?;
        Ok((activity, fresh))
    })
    .await?;
    announce(events, &activity, fresh);
    Ok(activity)
}

/// Removes invitees from an activity: an unmarked invitation is deleted, a marked one stays on
/// record as 列席 (no longer counted). One transaction.
pub async fn uninvite(
    db: &DatabaseConnection,
    actor: &Actor,
    activity_id: i64,
    members: Vec<i64>,
) -> AppResult<activity::Model> {
    policy::read_activities(actor)?;
    atomically(db, async |txn| {
        let activity = open_for(txn, actor, activity_id).await?;
        check_members(txn, &members).await?;
        let existing = rows_of(txn, activity_id, &members).await?;
        if let Some((i, m)) = members.iter().enumerate().find(|(_, m)| !existing.get(m).is_some_and(|p| p.invited)) {
            return Err(AppError::bad_field(
                format!("memberIds.{i}"),
                format!("member {m} is not invited to activity {activity_id}"),
            ));
        }
        let (unmarked, marked): (Vec<_>, Vec<_>) = existing.values().partition(|p| p.attendance.is_none());
        if !unmarked.is_empty() {
            participation::Entity::delete_many()
                .filter(participation::Column::Id.is_in(unmarked.iter().map(|p| p.id)))
                .exec(txn)
                .await?;
        }
        if !marked.is_empty() {
            participation::Entity::update_many()
                .col_expr(participation::Column::Invited, Expr::value(false))
                .filter(participation::Column::Id.is_in(marked.iter().map(|p| p.id)))
                .exec(txn)
                .await?;
        }
        let before: Vec<participation::Model> = existing.into_values().collect();
        let after: Vec<participation::Model> = rows_of(txn, activity_id, &members).await?.into_values().collect();
        audit::changed(txn, actor, "uninviteMembers", INVITATIONS_ENTITY, activity_id, &before, &after).await?;
        touch(txn, actor, "uninviteMembers", activity).await
    })
    .await
}

/// Signs members in (签到): the listed marks are set (a member without a row is recorded as
/// 列席 unless said otherwise), and with `others_present` every other invitee still without a
/// mark is marked present, in one statement ("all present except …"). One transaction.
pub async fn sign_in(
    db: &DatabaseConnection,
    actor: &Actor,
    activity_id: i64,
    marks: Vec<NewParticipant>,
    others_present: bool,
) -> AppResult<activity::Model> {
    policy::read_activities(actor)?;
    atomically(db, async |txn| sign_in_within(txn, actor, activity_id, marks, others_present).await).await
}

/// [`sign_in`] inside the caller's transaction (the sign-in sheet's shares it).
pub(super) async fn sign_in_within(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    activity_id: i64,
    mut marks: Vec<NewParticipant>,
    others_present: bool,
) -> AppResult<activity::Model> {
    open_for(txn, actor, activity_id).await?;
    check_participants(txn, "marks", &marks).await?;
    let listed: Vec<i64> = marks.iter().map(|p| p.member_id).collect();
    let existing = rows_of(txn, activity_id, &listed).await?;
    for mark in &mut marks {
        if !existing.contains_key(&mark.member_id) && mark.invited.is_none() {
            mark.invited = Some(false);
        }
    }
    let activity = write_attendance(txn, actor, activity_id, AttendanceMode::Upsert, marks, "signIn").await?;
    if others_present {
        let mut update = participation::Entity::update_many()
            .col_expr(participation::Column::Attendance, Expr::value(Attendance::Present.to_value()))
            .filter(participation::Column::ActivityId.eq(activity_id))
            .filter(participation::Column::Invited.eq(true))
            .filter(participation::Column::Attendance.is_null());
        if !listed.is_empty() {
            update = update.filter(participation::Column::MemberId.is_not_in(listed.iter().copied()));
        }
        let done = update.exec(txn).await?;
        audit::created(txn, actor, "signIn", INVITATIONS_ENTITY, activity_id, &done.rows_affected).await?;
    }
    Ok(activity)
}

/// Closes an activity: every invitee without a mark turns ABSENT in one statement, the
/// activity is marked closed (and done, if it was planned), in one audited transaction.
/// CONFLICT when it is cancelled, already closed or has not started. The office only
/// ([`policy::close_activity`]).
pub async fn close(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<activity::Model> {
    policy::close_activity(actor)?;
    atomically(db, async |txn| close_within(txn, actor, id, today()).await).await
}

async fn close_within(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
) -> AppResult<activity::Model> {
    let current = open_for(txn, actor, id).await?;
    if current.closed_at.is_some() {
        return Err(AppError::Conflict(format!("activity {id} is already closed")));
    }
    if current.start_date > today {
        return Err(AppError::Conflict(format!("activity {id} has not started")));
    }
    let pending = || {
        Condition::all()
            .add(participation::Column::ActivityId.eq(id))
            .add(participation::Column::Invited.eq(true))
            .add(participation::Column::Attendance.is_null())
    };
    let absent: Vec<i64> = participation::Entity::find()
        .select_only()
        .column(participation::Column::MemberId)
        .filter(pending())
        .into_tuple()
        .all(txn)
        .await?;
    if !absent.is_empty() {
        participation::Entity::update_many()
            .col_expr(participation::Column::Attendance, Expr::value(Attendance::Absent.to_value()))
            .filter(pending())
            .exec(txn)
            .await?;
    }
    let mut row = current.clone().into_active_model();
    let now = Utc::now();
    row.closed_at = Set(Some(now));
    row.closed_by = Set(actor.session().map(|s| s.account_id));
    if current.status == ActivityStatus::Planned {
        row.status = Set(ActivityStatus::Done);
    }
    row.updated_at = Set(now);
    let closed = row.update(txn).await?;
    audit::changed(txn, actor, "closeActivity", "activity", id, &current, &closed).await?;
    audit::created(txn, actor, "closeActivity", INVITATIONS_ENTITY, id, &absent).await?;
    Ok(closed)
}

/// Closes every open activity whose last day was at least `after_days` days before `today`
/// (cancelled ones never close), each in its own transaction, as the system; answers the ids
/// closed. The server runs this on a timer; `lvzhi activities close-due` runs it from cron.
pub async fn close_due(db: &DatabaseConnection, after_days: u32, today: NaiveDate) -> AppResult<Vec<i64>> {
    let Some(last_day) = today.checked_sub_days(Days::new(u64::from(after_days))) else { return Ok(Vec::new()) };
    let due: Vec<i64> = activity::Entity::find()
        .select_only()
        .column(activity::Column::Id)
        .filter(activity::Column::ClosedAt.is_null())
        .filter(activity::Column::EndDate.lte(last_day))
        .filter(activity::Column::Status.ne(ActivityStatus::Cancelled))
        .filter(activity::Column::VoidedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut closed = Vec::new();
    for id in due {
        atomically(db, async |txn| close_within(txn, &Actor::System, id, today).await).await?;
        closed.push(id);
    }
    Ok(closed)
}

/// How often the server looks for activities due to close.
pub const CLOSE_DUE_EVERY: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Closes due activities ([`close_due`]) now and every [`CLOSE_DUE_EVERY`], for as long as
/// the server runs; a failure is logged and retried at the next tick.
pub async fn keep_closing(db: DatabaseConnection, after_days: u32) {
    let mut timer = tokio::time::interval(CLOSE_DUE_EVERY);
    timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        timer.tick().await;
        match close_due(&db, after_days, today()).await {
            Ok(closed) if closed.is_empty() => {}
            Ok(closed) => tracing::info!(count = closed.len(), ids = ?closed, "closed activities due"),
            Err(err) => tracing::warn!(error = %err.message(), "closing due activities failed"),
        }
    }
}
