//! Rules and queries of training sessions and attendance. Hours are kept in tenths of an hour
//! (exact sums on every database) and shown as `Decimal`.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

use crate::{
    activity::service::{check_organiser, organiser_condition},
    audit::service as audit,
    auth::{
        Actor,
        policy::{self, DutyRecordsOf},
    },
    dates::year_bounds,
    db::atomically,
    error::{AppError, AppResult},
    pagination::{Counter, counter},
    pagination::{Ordering, Page, PageArgs, SortKey, paginate},
    validate::{self, MAX_NAME_CHARS},
};
use entity::organiser::Organiser;
use entity::{enums::TrainingKind, member, training_attendance, training_session};

/// A member's attendance to record with a session.
#[derive(Clone, Debug)]
pub struct NewAttendee {
    /// The member.
    pub member_id: i64,
    /// Hours earned (at most one decimal).
    pub hours: Decimal,
    /// Completed (结业).
    pub completed: bool,
}

/// A training session to record, with its attendees.
#[derive(Clone, Debug)]
pub struct NewSession {
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: TrainingKind,
    /// Who organised it.
    pub organiser: Organiser,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day; the first day when absent.
    pub end_date: Option<NaiveDate>,
    /// Where.
    pub location: Option<String>,
    /// Credit hours of the whole session (at most one decimal).
    pub credit_hours: Decimal,
    /// Who attended.
    pub attendees: Vec<NewAttendee>,
}

/// Which sessions to list.
#[derive(Clone, Debug, Default)]
pub struct TrainingFilter {
    /// Of this kind.
    pub kind: Option<TrainingKind>,
    /// Starting in this year.
    pub year: Option<i32>,
    /// Attended by this member.
    pub member_id: Option<i64>,
    /// Organised by this organiser.
    pub organiser: Option<Organiser>,
    /// Voided sessions too (only for a role that sees them: `policy::sees_voided`).
    pub include_voided: Option<bool>,
}

/// The most hours a session may credit, and an attendee earn in it.
pub const MAX_HOURS: i64 = 1_000;

/// Hours as tenths; `field` is at fault unless from 0 to [`MAX_HOURS`] with at most one decimal.
fn tenths(field: &str, hours: Decimal) -> AppResult<i64> {
    validate::scaled(field, hours, 1, MAX_HOURS, "a number of hours")
}

/// Tenths of an hour as hours.
pub fn hours(tenths: i64) -> Decimal {
    Decimal::new(tenths, 1).normalize()
}

/// Records a training session with its attendees, in one transaction.
pub async fn record(db: &DatabaseConnection, actor: &Actor, new: NewSession) -> AppResult<training_session::Model> {
    policy::record_for(actor, new.organiser)?;
    atomically(db, async |txn| insert_session(txn, actor, new).await).await
}

/// The audit log's name for the whole attendee list of a training session: its entry carries
/// the session's id and every attendance row (with its own id).
pub const ATTENDEES_ENTITY: &str = "training_session_attendees";

async fn insert_session(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    new: NewSession,
) -> AppResult<training_session::Model> {
    let title = validate::required("title", &new.title, MAX_NAME_CHARS * 2)?;
    validate::date_order("endDate", new.start_date, new.end_date)?;
    let location = validate::optional("location", new.location.as_deref(), MAX_NAME_CHARS * 2)?;
    let credit = tenths("creditHours", new.credit_hours)?;
    check_organiser(txn, new.organiser, "organiserId").await?;
    let rows = checked_attendees(txn, &new.attendees).await?;
    let (organiser_kind, committee, sector, studio, group) = new.organiser.columns();
    let session = training_session::ActiveModel {
        title: Set(title),
        kind: Set(new.kind),
        organiser_kind: Set(organiser_kind),
        committee_id: Set(committee),
        sector_id: Set(sector),
        studio_id: Set(studio),
        group_id: Set(group),
        start_date: Set(new.start_date),
        end_date: Set(new.end_date.unwrap_or(new.start_date)),
        location: Set(location),
        credit_tenths: Set(credit),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    insert_attendees(txn, session.id, &rows).await?;
    audit::created(txn, actor, "recordTrainingSession", "training_session", session.id, &session).await?;
    let attendees = attendees_of(txn, session.id).await?;
    audit::created(txn, actor, "recordTrainingSession", ATTENDEES_ENTITY, session.id, &attendees).await?;
    Ok(session)
}

/// An attendee row to write: member, hours in tenths, completed.
type AttendeeRow = (i64, i64, bool);

/// The attendees as rows, each member listed once and existing; the entry at fault is named
/// `attendees.i.…`.
async fn checked_attendees(txn: &impl ConnectionTrait, attendees: &[NewAttendee]) -> AppResult<Vec<AttendeeRow>> {
    let mut rows = Vec::with_capacity(attendees.len());
    let mut seen = std::collections::HashSet::new();
    for (i, a) in attendees.iter().enumerate() {
        if !seen.insert(a.member_id) {
            return Err(AppError::bad_field(
                format!("attendees.{i}.memberId"),
                format!("member {} is listed more than once", a.member_id),
            ));
        }
        rows.push((a.member_id, tenths(&format!("attendees.{i}.hours"), a.hours)?, a.completed));
    }
    let known: std::collections::HashSet<i64> = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .filter(member::Column::Id.is_in(rows.iter().map(|r| r.0)))
        .into_tuple::<i64>()
        .all(txn)
        .await?
        .into_iter()
        .collect();
    if let Some(i) = rows.iter().position(|r| !known.contains(&r.0)) {
        return Err(AppError::bad_field(
            format!("attendees.{i}.memberId"),
            format!("member {} does not exist", rows[i].0),
        ));
    }
    Ok(rows)
}

async fn insert_attendees(txn: &impl ConnectionTrait, session_id: i64, rows: &[AttendeeRow]) -> AppResult<()> {
    for chunk in rows.chunks(500) {
        training_attendance::Entity::insert_many(chunk.iter().map(|&(member_id, hours, completed)| {
            training_attendance::ActiveModel {
                session_id: Set(session_id),
                member_id: Set(member_id),
                hours_tenths: Set(hours),
                completed: Set(completed),
                ..Default::default()
            }
        }))
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

async fn attendees_of(txn: &impl ConnectionTrait, session_id: i64) -> AppResult<Vec<training_attendance::Model>> {
    Ok(training_attendance::Entity::find()
        .filter(training_attendance::Column::SessionId.eq(session_id))
        .order_by_asc(training_attendance::Column::Id)
        .all(txn)
        .await?)
}

/// What to change in a training session: each field given replaces the stored one, its
/// organiser too (a session recorded under the wrong committee, sector, studio, group or the
/// office is moved, not recorded anew: nothing is derived from a session's organiser).
#[derive(Clone, Debug, Default)]
pub struct SessionChanges {
    /// Title.
    pub title: Option<String>,
    /// Who organised it (`Some(Organiser::Office)`: the office).
    pub organiser: Option<Organiser>,
    /// Kind.
    pub kind: Option<TrainingKind>,
    /// First day; a one-day session's last day follows it unless `end_date` is given.
    pub start_date: Option<NaiveDate>,
    /// Last day (`Some(None)`: the first day).
    pub end_date: Option<Option<NaiveDate>>,
    /// Where (`Some(None)` clears it).
    pub location: Option<Option<String>>,
    /// Credit hours of the whole session.
    pub credit_hours: Option<Decimal>,
    /// Who attended: the whole list, replacing the stored one.
    pub attendees: Option<Vec<NewAttendee>>,
}

/// Corrects a training session (and its attendee list), in one transaction: the same access as
/// recording it ([`policy::record_for`] its organiser, and the new organiser when it changes:
/// both). No attendee may earn more hours than
/// the session credits once the credit hours or the list change.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    changes: SessionChanges,
) -> AppResult<training_session::Model> {
    policy::read_activities(actor)?;
    atomically(db, async |txn| apply_changes(txn, actor, id, changes).await).await
}

async fn apply_changes(
    txn: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    c: SessionChanges,
) -> AppResult<training_session::Model> {
    let current = training_session::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| AppError::not_found("training session", id))?;
    let s = &current;
    policy::record_for(
        actor,
        Organiser::from_columns(s.organiser_kind, s.committee_id, s.sector_id, s.studio_id, s.group_id),
    )?;
    let mut row = current.clone().into_active_model();
    if let Some(organiser) = c.organiser {
        policy::record_for(actor, organiser)?;
        check_organiser(txn, organiser, "organiserId").await?;
        let (organiser_kind, committee, sector, studio, group) = organiser.columns();
        row.organiser_kind = Set(organiser_kind);
        row.committee_id = Set(committee);
        row.sector_id = Set(sector);
        row.studio_id = Set(studio);
        row.group_id = Set(group);
    }
    let start = c.start_date.unwrap_or(current.start_date);
    let end = match c.end_date {
        Some(end) => end.unwrap_or(start),
        None if c.start_date.is_some() && current.end_date == current.start_date => start,
        None => current.end_date,
    };
    validate::date_order("endDate", start, Some(end))?;
    if let Some(title) = &c.title {
        row.title = Set(validate::required("title", title, MAX_NAME_CHARS * 2)?);
    }
    if let Some(kind) = c.kind {
        row.kind = Set(kind);
    }
    row.start_date = Set(start);
    row.end_date = Set(end);
    if let Some(location) = &c.location {
        row.location = Set(validate::optional("location", location.as_deref(), MAX_NAME_CHARS * 2)?);
    }
    let credit = match c.credit_hours {
        Some(hours) => tenths("creditHours", hours)?,
        None => current.credit_tenths,
    };
    row.credit_tenths = Set(credit);
    let replaced = match &c.attendees {
        Some(list) => Some(checked_attendees(txn, list).await?),
        None => None,
    };
    if let Some(rows) = &replaced {
        if let Some(i) = rows.iter().position(|r| r.1 > credit) {
            return Err(AppError::bad_field(
                format!("attendees.{i}.hours"),
                format!("an attendee earns at most the session's {} credit hours", hours(credit)),
            ));
        }
    } else if credit != current.credit_tenths {
        let most: Option<Option<i64>> = training_attendance::Entity::find()
            .select_only()
            .column_as(Expr::col(training_attendance::Column::HoursTenths).max(), "most")
            .filter(training_attendance::Column::SessionId.eq(id))
            .into_tuple()
            .one(txn)
            .await?;
        if let Some(most) = most.flatten().filter(|&most| most > credit) {
            return Err(AppError::bad_field(
                "creditHours",
                format!("an attendee earned {} hours; correct the attendees with the credit hours", hours(most)),
            ));
        }
    }
    let session = row.update(txn).await?;
    audit::changed(txn, actor, "updateTrainingSession", "training_session", id, &current, &session).await?;
    if let Some(rows) = replaced {
        let before = attendees_of(txn, id).await?;
        training_attendance::Entity::delete_many()
            .filter(training_attendance::Column::SessionId.eq(id))
            .exec(txn)
            .await?;
        insert_attendees(txn, id, &rows).await?;
        let after = attendees_of(txn, id).await?;
        audit::changed(txn, actor, "updateTrainingSession", ATTENDEES_ENTITY, id, &before, &after).await?;
    }
    Ok(session)
}

/// One session, or NOT_FOUND.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<training_session::Model> {
    policy::read_activities(actor)?;
    let row = training_session::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("training session", id))?;
    let voided_at = row.voided_at;
    crate::live::found(actor, row, voided_at, "training session", id)
}

/// A page of training sessions, newest first, and the counter of all that match. Filtering by
/// a member is reading their duty records: FORBIDDEN for a member naming another member.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: TrainingFilter,
    page: &PageArgs,
) -> AppResult<(Page<training_session::Model>, Counter)> {
    policy::read_activities(actor)?;
    let mut select = training_session::Entity::find();
    if !crate::live::include_voided(actor, filter.include_voided) {
        select = select.filter(training_session::Column::VoidedAt.is_null());
    }
    if let Some(kind) = filter.kind {
        select = select.filter(training_session::Column::Kind.eq(kind));
    }
    if let Some(year) = filter.year {
        let (first, last) =
            year_bounds(year).map_err(|_| AppError::bad_field("filter.year", "filter.year is out of range"))?;
        select = select.filter(training_session::Column::StartDate.between(first, last));
    }
    if let Some(organiser) = filter.organiser {
        use training_session::Column as C;
        select = select.filter(organiser_condition(
            organiser,
            C::OrganiserKind,
            [C::CommitteeId, C::SectorId, C::StudioId, C::GroupId],
        ));
    }
    if let Some(member) = filter.member_id {
        // Which sessions a member attended is their duty record: a member may filter by
        // themself only.
        policy::read_duty_records(actor, member)?;
        let q = Query::select()
            .column(training_attendance::Column::SessionId)
            .from(training_attendance::Entity)
            .and_where(training_attendance::Column::MemberId.eq(member))
            .to_owned();
        select = select.filter(training_session::Column::Id.in_subquery(q));
    }
    let ordering = Ordering::new(
        "DATE:DESC",
        vec![
            SortKey { column: training_session::Column::StartDate, descending: true },
            SortKey { column: training_session::Column::Id, descending: true },
        ],
    );
    let page = paginate(db, select.clone(), &ordering, page).await?;
    Ok((page, counter(db, select)))
}

/// The training hours (in tenths) of `members` in sessions that began in `year`: ONE
/// GROUP BY query for all of them; members without training have 0. No access check: its
/// callers decided (the page-wide loader takes the policy's [`DutyRecordsOf`]; the targets
/// check their own rule).
pub async fn hours_tenths(db: &impl ConnectionTrait, members: &[i64], year: i32) -> AppResult<HashMap<i64, i64>> {
    let (first, last) = year_bounds(year)?;
    let mut out: HashMap<i64, i64> = members.iter().map(|&m| (m, 0)).collect();
    if members.is_empty() {
        return Ok(out);
    }
    let rows: Vec<(i64, Option<i64>)> = training_attendance::Entity::find()
        .select_only()
        .column(training_attendance::Column::MemberId)
        .column_as(Expr::col(training_attendance::Column::HoursTenths).sum().cast_as(Alias::new("BIGINT")), "hours")
        .inner_join(training_session::Entity)
        .filter(training_attendance::Column::MemberId.is_in(members.iter().copied()))
        .filter(training_session::Column::StartDate.between(first, last))
        .filter(training_session::Column::VoidedAt.is_null())
        .group_by(training_attendance::Column::MemberId)
        .into_tuple()
        .all(db)
        .await?;
    out.extend(rows.into_iter().map(|(m, h)| (m, h.unwrap_or(0))));
    Ok(out)
}

/// Leave to read `member_id`'s training hours of `year` through the page-wide loader:
/// FORBIDDEN unless the actor may read the member's duty records, BAD_USER_INPUT on `year`.
pub fn hours_of(actor: &Actor, member_id: i64, year: i32) -> AppResult<DutyRecordsOf> {
    crate::activity::service::records_of(actor, member_id, Some(year))
}

/// One member's training hours in a year.
pub async fn member_hours(db: &impl ConnectionTrait, actor: &Actor, member_id: i64, year: i32) -> AppResult<Decimal> {
    policy::read_duty_records(actor, member_id)?;
    Ok(hours(hours_tenths(db, &[member_id], year).await?.get(&member_id).copied().unwrap_or(0)))
}

/// The page-wide loader of training hours, where the request's loaders look for it.
pub use super::loader::HoursByMember;
