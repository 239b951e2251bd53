//! The writes of activities: recording one with its participants, setting attendance, changing
//! and cancelling. Each runs in one transaction with its audit entries; fields at fault are
//! named as the service's input calls them (`title`, `participants.2.memberId`).

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};

use super::{ActivityChanges, AttendanceMode, NewActivity, NewParticipant, check_organiser, invitations, organiser_of};
use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    dates::year_bounds,
    db::atomically,
    error::{AppError, AppResult},
    events::{Broker, Event},
    validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS},
};
use entity::{
    activity,
    enums::{ActivityKind, ActivityStatus, ActivitySubkind},
    member, participation,
};

/// A non-negative count named `field`.
fn count_field(field: &str, value: Option<i32>) -> AppResult<Option<i32>> {
    match value {
        Some(n) if n < 0 => Err(AppError::bad_field(field, format!("{field} must not be negative"))),
        other => Ok(other),
    }
}

/// Yuan with at most two decimals and at most [`super::MAX_DONATIONS_YUAN`], as fen.
fn fen(field: &str, yuan: Option<Decimal>) -> AppResult<Option<i64>> {
    yuan.map(|yuan| validate::scaled(field, yuan, 2, super::MAX_DONATIONS_YUAN, "an amount in yuan")).transpose()
}

fn check_subkind(kind: ActivityKind, subkind: Option<ActivitySubkind>) -> AppResult<()> {
    match subkind {
        Some(s) if s.kind() != kind => {
            Err(AppError::bad_field("subkind", format!("subkind {} is not a subkind of {}", s.label(), kind.label())))
        }
        _ => Ok(()),
    }
}

/// Checks the participants of a request: every member exists and appears once. `path` is the
/// input list, e.g. `participants`.
pub(super) async fn check_participants(
    db: &impl ConnectionTrait,
    path: &str,
    list: &[NewParticipant],
) -> AppResult<()> {
    let mut seen = HashSet::new();
    for (i, p) in list.iter().enumerate() {
        if !seen.insert(p.member_id) {
            return Err(AppError::bad_field(
                format!("{path}.{i}.memberId"),
                format!("member {} is listed more than once", p.member_id),
            ));
        }
        validate::optional(&format!("{path}.{i}.note"), p.note.as_deref(), MAX_TEXT_CHARS)?;
    }
    let ids: Vec<i64> = list.iter().map(|p| p.member_id).collect();
    let known: HashSet<i64> = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .filter(member::Column::Id.is_in(ids))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    if let Some((i, p)) = list.iter().enumerate().find(|(_, p)| !known.contains(&p.member_id)) {
        return Err(AppError::bad_field(
            format!("{path}.{i}.memberId"),
            format!("member {} does not exist", p.member_id),
        ));
    }
    Ok(())
}

fn participation_row(activity: &activity::Model, p: &NewParticipant) -> participation::ActiveModel {
    participation::ActiveModel {
        activity_id: Set(activity.id),
        member_id: Set(p.member_id),
        activity_date: Set(activity.start_date),
        attendance: Set(Some(p.attendance)),
        role: Set(p.role),
        note: Set(p.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned)),
        invited: Set(p.invited.unwrap_or(true)),
        ..Default::default()
    }
}

async fn insert_participants(
    db: &impl ConnectionTrait,
    activity: &activity::Model,
    list: &[NewParticipant],
) -> AppResult<()> {
    for chunk in list.chunks(500) {
        participation::Entity::insert_many(chunk.iter().map(|p| participation_row(activity, p)))
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The audit log's name for the whole participant list of an activity: its entries carry the
/// activity's id and every participation row (with its own id) before and after the change.
pub const PARTICIPANTS_ENTITY: &str = "activity_participants";

/// Every participation row of an activity, in id order (for the audit log).
async fn participation_rows(db: &impl ConnectionTrait, activity_id: i64) -> AppResult<Vec<participation::Model>> {
    Ok(participation::Entity::find()
        .filter(participation::Column::ActivityId.eq(activity_id))
        .order_by_asc(participation::Column::Id)
        .all(db)
        .await?)
}

/// Records an activity and all its participants in one transaction, then tells subscribers.
pub async fn record(
    db: &DatabaseConnection,
    actor: &Actor,
    events: &Broker,
    new: NewActivity,
) -> AppResult<activity::Model> {
    policy::record_for(actor, new.organiser)?;
    let (activity, invited) = atomically(db, async |txn| insert_activity(txn, actor, new).await).await?;
    events.publish(Event::ActivityRecorded(activity.clone()));
    invitations::announce(events, &activity, invited);
    Ok(activity)
}

/// The events of activities recorded from now on, for a subscriber who may read activities.
pub fn recorded(actor: &Actor, events: &Broker) -> AppResult<tokio::sync::broadcast::Receiver<Event>> {
    policy::read_activities(actor)?;
    Ok(events.subscribe())
}

/// Inserts an activity, its listed participants and the invitations its organisation implies;
/// answers the activity and every member invited.
async fn insert_activity(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    new: NewActivity,
) -> AppResult<(activity::Model, Vec<i64>)> {
    let title = validate::required("title", &new.title, MAX_NAME_CHARS * 2)?;
    check_subkind(new.kind, new.subkind)?;
    validate::date_order("endDate", new.start_date, new.end_date)?;
    year_bounds(new.start_date.year()).map_err(|_| AppError::bad_field("startDate", "startDate is out of range"))?;
    let location = validate::optional("location", new.location.as_deref(), MAX_NAME_CHARS * 2)?;
    let description = validate::optional("description", new.description.as_deref(), MAX_TEXT_CHARS)?;
    let issues = count_field("issuesSolved", new.issues_solved)?;
    let served = count_field("peopleServed", new.people_served)?;
    let donations = fen("donations", new.donations)?;
    if new.status == ActivityStatus::Cancelled {
        return Err(AppError::bad_field("status", "a new activity cannot be cancelled; record it, then cancel it"));
    }
    check_organiser(txn, new.organiser, "organiserId").await?;
    check_participants(txn, "participants", &new.participants).await?;
    let (organiser_kind, committee, sector, studio, group) = new.organiser.columns();
    let now = Utc::now();
    let activity = activity::ActiveModel {
        title: Set(title),
        kind: Set(new.kind),
        subkind: Set(new.subkind),
        organiser_kind: Set(organiser_kind),
        committee_id: Set(committee),
        sector_id: Set(sector),
        studio_id: Set(studio),
        group_id: Set(group),
        start_date: Set(new.start_date),
        end_date: Set(new.end_date.unwrap_or(new.start_date)),
        location: Set(location),
        status: Set(new.status),
        compulsory: Set(new.compulsory),
        issues_solved: Set(issues),
        people_served: Set(served),
        donations_fen: Set(donations),
        description: Set(description),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    insert_participants(txn, &activity, &new.participants).await?;
    let derived = invitations::derive(txn, &activity).await?;
    audit::created(txn, actor, "recordActivity", "activity", activity.id, &activity).await?;
    // The listed rows in full; the invitations the organisation implied as member ids (a
    // plenary's thousands of unmarked rows hold nothing else).
    let participants: Vec<participation::Model> = participation::Entity::find()
        .filter(participation::Column::ActivityId.eq(activity.id))
        .filter(participation::Column::Attendance.is_not_null())
        .order_by_asc(participation::Column::Id)
        .all(txn)
        .await?;
    audit::created(txn, actor, "recordActivity", PARTICIPANTS_ENTITY, activity.id, &participants).await?;
    if !derived.is_empty() {
        audit::created(txn, actor, "recordActivity", invitations::INVITATIONS_ENTITY, activity.id, &derived).await?;
    }
    let mut invited: Vec<i64> =
        new.participants.iter().filter(|p| p.invited.unwrap_or(true)).map(|p| p.member_id).collect();
    invited.extend(derived);
    Ok((activity, invited))
}

/// Replaces or upserts the participants of an activity, in one transaction.
pub async fn set_attendance(
    db: &DatabaseConnection,
    actor: &Actor,
    activity_id: i64,
    mode: AttendanceMode,
    list: Vec<NewParticipant>,
) -> AppResult<activity::Model> {
    policy::read_activities(actor)?;
    atomically(db, async |txn| write_attendance(txn, actor, activity_id, mode, list, "setAttendance").await).await
}

/// Writes attendance inside the caller's transaction, audited as `operation` (`setAttendance`,
/// `signIn`); the list's fields are named as that operation's input names them.
pub(super) async fn write_attendance(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    activity_id: i64,
    mode: AttendanceMode,
    list: Vec<NewParticipant>,
    operation: &str,
) -> AppResult<activity::Model> {
    let path = if operation == "signIn" { "marks" } else { "participants" };
    let activity = activity::Entity::find_by_id(activity_id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("activity", activity_id))?;
    policy::record_for(actor, organiser_of(&activity))?;
    if activity.status == ActivityStatus::Cancelled {
        return Err(AppError::Conflict(format!("activity {activity_id} is cancelled")));
    }
    check_participants(txn, path, &list).await?;
    let before = participation_rows(txn, activity_id).await?;
    let existing: HashMap<i64, participation::Model> = before.iter().map(|p| (p.member_id, p.clone())).collect();
    if mode == AttendanceMode::Replace {
        let listed: HashSet<i64> = list.iter().map(|p| p.member_id).collect();
        let gone: Vec<i64> = existing.values().filter(|p| !listed.contains(&p.member_id)).map(|p| p.id).collect();
        if !gone.is_empty() {
            participation::Entity::delete_many().filter(participation::Column::Id.is_in(gone)).exec(txn).await?;
        }
    }
    let mut fresh = Vec::new();
    for p in list {
        match existing.get(&p.member_id) {
            Some(row) => {
                let mut row = row.clone().into_active_model();
                let new = participation_row(&activity, &p);
                row.attendance = new.attendance;
                row.role = new.role;
                row.note = new.note;
                if p.invited.is_some() {
                    row.invited = new.invited;
                }
                row.update(txn).await?;
            }
            None => fresh.push(p),
        }
    }
    insert_participants(txn, &activity, &fresh).await?;
    let after = participation_rows(txn, activity_id).await?;
    audit::changed(txn, actor, operation, PARTICIPANTS_ENTITY, activity_id, &before, &after).await?;
    let mut row = activity.clone().into_active_model();
    row.updated_at = Set(Utc::now());
    let updated = row.update(txn).await?;
    audit::changed(txn, actor, operation, "activity", activity_id, &activity, &updated).await?;
    Ok(updated)
}

/// Changes an activity, in one transaction (its participations follow a new date).
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    changes: ActivityChanges,
) -> AppResult<activity::Model> {
    policy::read_activities(actor)?;
    atomically(db, async |txn| apply_changes(txn, actor, id, changes).await).await
}

async fn apply_changes(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    c: ActivityChanges,
) -> AppResult<activity::Model> {
    let current =
        activity::Entity::find_by_id(id).one(txn).await?.ok_or_else(|| AppError::not_found("activity", id))?;
    policy::record_for(actor, organiser_of(&current))?;
    if current.status == ActivityStatus::Cancelled {
        return Err(AppError::Conflict(format!("activity {id} is cancelled")));
    }
    if c.status == Some(ActivityStatus::Cancelled) {
        return Err(AppError::bad_field("status", "cancel an activity with cancelActivity"));
    }
    let kind = c.kind.unwrap_or(current.kind);
    let subkind = c.subkind.unwrap_or(current.subkind);
    check_subkind(kind, subkind)?;
    let start = c.start_date.unwrap_or(current.start_date);
    let end = match c.end_date {
        Some(end) => end.unwrap_or(start),
        None if c.start_date.is_some() && current.end_date == current.start_date => start,
        None => current.end_date,
    };
    validate::date_order("endDate", start, Some(end))?;
    let date_changed = start != current.start_date;
    let mut row = current.clone().into_active_model();
    if let Some(title) = &c.title {
        row.title = Set(validate::required("title", title, MAX_NAME_CHARS * 2)?);
    }
    row.kind = Set(kind);
    row.subkind = Set(subkind);
    row.start_date = Set(start);
    row.end_date = Set(end);
    if let Some(location) = &c.location {
        row.location = Set(validate::optional("location", location.as_deref(), MAX_NAME_CHARS * 2)?);
    }
    if let Some(status) = c.status {
        row.status = Set(status);
    }
    if let Some(compulsory) = c.compulsory {
        row.compulsory = Set(compulsory);
    }
    if let Some(issues) = c.issues_solved {
        row.issues_solved = Set(count_field("issuesSolved", issues)?);
    }
    if let Some(served) = c.people_served {
        row.people_served = Set(count_field("peopleServed", served)?);
    }
    if let Some(donations) = c.donations {
        row.donations_fen = Set(fen("donations", donations)?);
    }
    if let Some(description) = &c.description {
        row.description = Set(validate::optional("description", description.as_deref(), MAX_TEXT_CHARS)?);
    }
    row.updated_at = Set(Utc::now());
    let activity = row.update(txn).await?;
    audit::changed(txn, actor, "updateActivity", "activity", id, &current, &activity).await?;
    if date_changed {
        let before = participation_rows(txn, id).await?;
        participation::Entity::update_many()
            .col_expr(participation::Column::ActivityDate, Expr::value(activity.start_date))
            .filter(participation::Column::ActivityId.eq(activity.id))
            .exec(txn)
            .await?;
        let after = participation_rows(txn, id).await?;
        audit::changed(txn, actor, "updateActivity", PARTICIPANTS_ENTITY, id, &before, &after).await?;
    }
    Ok(activity)
}

/// Cancels an activity; its participations stay on record but no longer count.
pub async fn cancel(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    reason: Option<String>,
) -> AppResult<activity::Model> {
    policy::read_activities(actor)?;
    let reason = validate::optional("reason", reason.as_deref(), MAX_TEXT_CHARS)?;
    atomically(db, async |txn| {
        let current =
            activity::Entity::find_by_id(id).one(txn).await?.ok_or_else(|| AppError::not_found("activity", id))?;
        policy::record_for(actor, organiser_of(&current))?;
        if current.status == ActivityStatus::Cancelled {
            return Err(AppError::Conflict(format!("activity {id} is already cancelled")));
        }
        let description = match (current.description.clone(), reason) {
            (Some(d), Some(r)) => Some(format!("{d}\n取消原因：{r}")),
            (None, Some(r)) => Some(format!("取消原因：{r}")),
            (d, None) => d,
        };
        let mut row = current.clone().into_active_model();
        row.status = Set(ActivityStatus::Cancelled);
        row.description = Set(description);
        row.updated_at = Set(Utc::now());
        let cancelled = row.update(txn).await?;
        audit::changed(txn, actor, "cancelActivity", "activity", id, &current, &cancelled).await?;
        Ok(cancelled)
    })
    .await
}
