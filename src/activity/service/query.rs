//! The reads of activities and participations: one activity or participation, the activity
//! list, an activity's participants, a member's participations and attendance, and the
//! page-wide batches behind the loaders (one windowed or GROUP BY query for a whole page).

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

use super::{ActivityFilter, organiser_condition};
use crate::{
    auth::{
        Actor,
        policy::{self, DutyRecordsOf, DutyScope},
    },
    dates::year_bounds,
    error::{AppError, AppResult},
    pagination::{Counter, Ordering, Page, PageArgs, SortKey, counter, paginate},
};
use entity::{
    activity,
    enums::{ActivityStatus, Attendance},
    participation,
};

/// Fen as yuan.
pub fn yuan(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

/// One activity, or NOT_FOUND.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<activity::Model> {
    policy::read_activities(actor)?;
    let row = activity::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found("activity", id))?;
    let voided_at = row.voided_at;
    crate::live::found(actor, row, voided_at, "activity", id)
}

/// One participation, or NOT_FOUND; FORBIDDEN when the actor may not read its member's duty
/// records.
pub async fn find_participation(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<participation::Model> {
    let row =
        participation::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found("participation", id))?;
    policy::read_duty_records(actor, row.member_id)?;
    Ok(row)
}

fn activity_ordering(descending: bool) -> Ordering<activity::Entity> {
    let name = if descending { "DATE:DESC" } else { "DATE:ASC" };
    Ordering::new(
        name,
        vec![
            SortKey { column: activity::Column::StartDate, descending },
            SortKey { column: activity::Column::Id, descending },
        ],
    )
}

/// A page of activities (by date, newest first unless `descending` is false) and the counter
/// of all that match. Filtering by a member is reading their duty records: FORBIDDEN for a
/// member naming another member.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: ActivityFilter,
    descending: bool,
    page: &PageArgs,
) -> AppResult<(Page<activity::Model>, Counter)> {
    policy::read_activities(actor)?;
    let mut select = activity::Entity::find();
    if !crate::live::include_voided(actor, filter.include_voided) {
        select = select.filter(activity::Column::VoidedAt.is_null());
    }
    if let Some(kind) = filter.kind {
        select = select.filter(activity::Column::Kind.eq(kind));
    }
    if let Some(subkind) = filter.subkind {
        select = select.filter(activity::Column::Subkind.eq(subkind));
    }
    if let Some(status) = filter.status {
        select = select.filter(activity::Column::Status.eq(status));
    }
    if let Some(organiser) = filter.organiser {
        use activity::Column as C;
        select = select.filter(organiser_condition(
            organiser,
            C::OrganiserKind,
            [C::CommitteeId, C::SectorId, C::StudioId, C::GroupId],
        ));
    }
    if let Some(member) = filter.member_id {
        // Whom a member took part in (absences included) is their duty record: a member may
        // filter by themself only.
        policy::read_duty_records(actor, member)?;
        let q = Query::select()
            .column(participation::Column::ActivityId)
            .from(participation::Entity)
            .and_where(participation::Column::MemberId.eq(member))
            .to_owned();
        select = select.filter(activity::Column::Id.in_subquery(q));
    }
    if let Some(year) = filter.year {
        let (first, last) =
            year_bounds(year).map_err(|_| AppError::bad_field("filter.year", "filter.year is out of range"))?;
        select = select.filter(activity::Column::StartDate.between(first, last));
    }
    if let Some(from) = filter.from {
        select = select.filter(activity::Column::StartDate.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(activity::Column::StartDate.lte(to));
    }
    let page = paginate(db, select.clone(), &activity_ordering(descending), page).await?;
    Ok((page, counter(db, select)))
}

/// Which rows of an activity a list holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rows {
    /// The participants: every row with a mark (invitees and 列席 alike).
    Marked,
    /// The invitations (应出席): every invited row, marked or pending.
    Invited,
}

impl Rows {
    fn condition(self) -> sea_orm::Condition {
        match self {
            Self::Marked => sea_orm::Condition::all().add(participation::Column::Attendance.is_not_null()),
            Self::Invited => sea_orm::Condition::all().add(participation::Column::Invited.eq(true)),
        }
    }
}

fn participant_ordering() -> Ordering<participation::Entity> {
    Ordering::new("ID:ASC", vec![SortKey { column: participation::Column::Id, descending: false }])
}

/// A page of the participants (`rows`: or the invitations) of an activity, optionally of one
/// attendance. A member who is not office or committee staff sees only their own row.
pub async fn participants(
    db: &DatabaseConnection,
    actor: &Actor,
    activity_id: i64,
    rows: Rows,
    attendance: Option<Attendance>,
    page: &PageArgs,
) -> AppResult<(Page<participation::Model>, Counter)> {
    let scope = policy::read_attendance(actor)?;
    let mut select = participation::Entity::find()
        .filter(participation::Column::ActivityId.eq(activity_id))
        .filter(rows.condition());
    if let Some(attendance) = attendance {
        select = select.filter(participation::Column::Attendance.eq(attendance));
    }
    if let Some(own) = scope.only_member() {
        select = select.filter(participation::Column::MemberId.eq(own));
    }
    let page = paginate(db, select.clone(), &participant_ordering(), page).await?;
    Ok((page, counter(db, select)))
}

/// The name of the ordering of a member's participations (newest first), shared by the
/// cursors of [`member_participations`] and of [`first_participations`].
pub const MEMBER_PARTICIPATIONS_ORDER: &str = "DATE:DESC,ID:DESC";

fn member_participation_ordering() -> Ordering<participation::Entity> {
    Ordering::new(
        MEMBER_PARTICIPATIONS_ORDER,
        vec![
            SortKey { column: participation::Column::ActivityDate, descending: true },
            SortKey { column: participation::Column::Id, descending: true },
        ],
    )
}

/// A page of one member's participations (`rows`: or invitations), newest first, optionally
/// in one year.
pub async fn member_participations(
    db: &DatabaseConnection,
    actor: &Actor,
    member_id: i64,
    rows: Rows,
    year: Option<i32>,
    page: &PageArgs,
) -> AppResult<(Page<participation::Model>, Counter)> {
    policy::read_duty_records(actor, member_id)?;
    let mut select = participation::Entity::find()
        .filter(participation::Column::MemberId.eq(member_id))
        .filter(rows.condition())
        .filter(participation::Column::ActivityId.not_in_subquery(crate::live::voided_activities()));
    if let Some(year) = year {
        let (first, last) = year_bounds(year)?;
        select = select.filter(participation::Column::ActivityDate.between(first, last));
    }
    let page = paginate(db, select.clone(), &member_participation_ordering(), page).await?;
    Ok((page, counter(db, select)))
}

/// The cursor of a participation in [`member_participations`]' ordering: the same opaque token
/// `pagination` makes (ordering name and key values), so a client can continue from it.
pub fn member_participation_cursor(p: &participation::Model) -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let token = serde_json::json!({ "o": MEMBER_PARTICIPATIONS_ORDER, "k": [p.activity_date.to_string(), p.id] });
    URL_SAFE_NO_PAD.encode(token.to_string())
}

/// The first participations of members, each member's with their total, and (when asked
/// for) the activities of those rows, fetched with them.
pub type FirstParticipations = (HashMap<i64, (Vec<participation::Model>, u64)>, HashMap<i64, activity::Model>);

/// The first `limit` participations (`rows`: or invitations; newest first) of each of
/// `members`, optionally in one year, with each member's total: ONE query for all of them
/// (ROW_NUMBER and COUNT windows partitioned by member), so a page of members costs the same
/// whatever its size. Each member comes as the policy's leave to read their records. With
/// `with_activities`, the rows' activities come in the same statement (a LEFT JOIN), by id.
pub async fn first_participations(
    db: &impl ConnectionTrait,
    members: &[DutyRecordsOf],
    rows: Rows,
    year: Option<i32>,
    limit: u64,
    with_activities: bool,
) -> AppResult<FirstParticipations> {
    if members.is_empty() {
        return Ok(Default::default());
    }
    let members: Vec<i64> = members.iter().map(|m| m.member()).collect();
    use participation::Column as C;
    let mut inner = Query::select();
    inner
        .columns([C::Id, C::ActivityId, C::MemberId, C::ActivityDate, C::Attendance, C::Role, C::Note, C::Invited])
        .expr_as(
            Expr::cust("ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY activity_date DESC, id DESC)"),
            Alias::new("rn"),
        )
        .expr_as(Expr::cust("COUNT(*) OVER (PARTITION BY member_id)"), Alias::new("total"))
        .from(participation::Entity)
        .and_where(C::MemberId.is_in(members.iter().copied()))
        .cond_where(rows.condition())
        .and_where(C::ActivityId.not_in_subquery(crate::live::voided_activities()));
    if let Some(year) = year {
        let (first, last) = year_bounds(year)?;
        inner.and_where(C::ActivityDate.between(first, last));
    }
    let ranked = Alias::new("ranked");
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt = Query::select();
    stmt.column((ranked.clone(), sea_orm::sea_query::Asterisk))
        .from_subquery(inner, ranked.clone())
        .and_where(Expr::col((ranked.clone(), Alias::new("rn"))).lte(limit + 1));
    if with_activities {
        crate::loader::select_prefixed::<activity::Entity>(&mut stmt, ACTIVITY_PREFIX);
        stmt.left_join(
            activity::Entity,
            Expr::col((activity::Entity, activity::Column::Id)).equals((ranked, C::ActivityId)),
        );
    }
    let mut out: HashMap<i64, (Vec<participation::Model>, u64)> = HashMap::new();
    let mut activities: HashMap<i64, activity::Model> = HashMap::new();
    for row in db.query_all(&stmt).await? {
        let model = participation::Model::from_query_result(&row, "")?;
        if with_activities && let Some(activity) = activity::Model::from_query_result_optional(&row, ACTIVITY_PREFIX)? {
            activities.entry(activity.id).or_insert(activity);
        }
        let total: i64 = row.try_get("", "total")?;
        let entry = out.entry(model.member_id).or_insert_with(|| (Vec::new(), u64::try_from(total).unwrap_or(0)));
        entry.0.push(model);
    }
    for (rows, _) in out.values_mut() {
        rows.sort_by(|a, b| b.activity_date.cmp(&a.activity_date).then(b.id.cmp(&a.id)));
    }
    Ok((out, activities))
}

/// The prefix of the activity's columns in [`first_participations`]' statement (none of
/// participation's columns begins with it).
const ACTIVITY_PREFIX: &str = "lvzhi_activity_";

/// A member's attendance in a year: counts per status over the activities the member was
/// invited to (应出席; 列席 never counts) and that were held (not cancelled), and how the
/// compulsory ones went. An invitation not marked yet is pending: neither present nor absent,
/// nor expected until it is marked or the activity closes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AttendanceSummary {
    /// 出席.
    pub present: u64,
    /// 迟到.
    pub late: u64,
    /// 早退.
    pub left_early: u64,
    /// 请假.
    pub excused: u64,
    /// 缺席.
    pub absent: u64,
    /// Invitations not marked yet (activities not closed).
    pub pending: u64,
    /// Compulsory activities the member was expected at.
    pub expected: u64,
    /// Compulsory activities the member attended (present, late or leaving early).
    pub attended_compulsory: u64,
}

impl AttendanceSummary {
    /// attended compulsory / expected, rounded to 4 places; none when nothing was expected.
    pub fn rate(&self) -> Option<Decimal> {
        if self.expected == 0 {
            return None;
        }
        let rate = Decimal::from(self.attended_compulsory) / Decimal::from(self.expected);
        Some(rate.round_dp(4).normalize())
    }
}

/// The attendance summaries of `members` in `year`: ONE GROUP BY query for all of them. No
/// access check: its callers decided (the page-wide loader takes the policy's
/// [`DutyRecordsOf`]; the exports and the targets check their own rules).
pub async fn attendance(
    db: &impl ConnectionTrait,
    members: &[i64],
    year: i32,
) -> AppResult<HashMap<i64, AttendanceSummary>> {
    let (first, last) = year_bounds(year)?;
    let mut out: HashMap<i64, AttendanceSummary> = members.iter().map(|&m| (m, AttendanceSummary::default())).collect();
    if members.is_empty() {
        return Ok(out);
    }
    let rows: Vec<(i64, Option<Attendance>, bool, i64)> = participation::Entity::find()
        .select_only()
        .column(participation::Column::MemberId)
        .column(participation::Column::Attendance)
        .column(activity::Column::Compulsory)
        .column_as(participation::Column::Id.count(), "n")
        .inner_join(activity::Entity)
        .filter(participation::Column::MemberId.is_in(members.iter().copied()))
        // The participation's copy of its activity's date, in the (member, date) index: the
        // activity's own date left PostgreSQL reading all activities for a hash join (figures
        // in BENCHMARKS.md).
        .filter(participation::Column::ActivityDate.between(first, last))
        .filter(activity::Column::Status.ne(ActivityStatus::Cancelled))
        .filter(activity::Column::VoidedAt.is_null())
        .filter(participation::Column::Invited.eq(true))
        .group_by(participation::Column::MemberId)
        .group_by(participation::Column::Attendance)
        .group_by(activity::Column::Compulsory)
        .into_tuple()
        .all(db)
        .await?;
    for (member, attendance, compulsory, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        let s = out.entry(member).or_default();
        let Some(attendance) = attendance else {
            s.pending += n;
            continue;
        };
        match attendance {
            Attendance::Present => s.present += n,
            Attendance::Late => s.late += n,
            Attendance::LeftEarly => s.left_early += n,
            Attendance::Excused => s.excused += n,
            Attendance::Absent => s.absent += n,
        }
        if compulsory {
            s.expected += n;
            if attendance.attended() {
                s.attended_compulsory += n;
            }
        }
    }
    Ok(out)
}

/// Whose rows the actor sees in participant and attendee lists, for the page-wide loaders:
/// FORBIDDEN unless the actor may read activities.
pub fn attendance_scope(actor: &Actor) -> AppResult<DutyScope> {
    policy::read_attendance(actor)
}

/// Leave to read `member_id`'s duty records through the page-wide loaders, `year` (when
/// given) checked: FORBIDDEN unless the actor may read them, BAD_USER_INPUT on `year`.
pub fn records_of(actor: &Actor, member_id: i64, year: Option<i32>) -> AppResult<DutyRecordsOf> {
    let of = policy::duty_records_of(actor, member_id)?;
    if let Some(year) = year {
        year_bounds(year)?;
    }
    Ok(of)
}

/// The members of a page whose duty records the actor may read, for the loaders to prime;
/// the others' fields answer FORBIDDEN when asked.
pub fn readable_records(actor: &Actor, members: &[i64]) -> Vec<DutyRecordsOf> {
    members.iter().filter_map(|&m| policy::duty_records_of(actor, m).ok()).collect()
}

/// One member's attendance in a year.
pub async fn member_attendance(
    db: &impl ConnectionTrait,
    actor: &Actor,
    member_id: i64,
    year: i32,
) -> AppResult<AttendanceSummary> {
    policy::read_duty_records(actor, member_id)?;
    Ok(attendance(db, &[member_id], year).await?.remove(&member_id).unwrap_or_default())
}

/// The first `limit` participants (`rows`: or invitations; in the order recorded) of each of
/// `activities`, optionally of one attendance, with each activity's total: ONE query for all of
/// them. `scope` narrows every list to the rows the actor may see.
pub async fn first_participants(
    db: &impl ConnectionTrait,
    scope: DutyScope,
    activities: &[i64],
    rows: Rows,
    attendance: Option<Attendance>,
    limit: u64,
) -> AppResult<HashMap<i64, (Page<participation::Model>, u64)>> {
    let mut select = participation::Entity::find().filter(rows.condition());
    if let Some(attendance) = attendance {
        select = select.filter(participation::Column::Attendance.eq(attendance));
    }
    if let Some(member) = scope.only_member() {
        select = select.filter(participation::Column::MemberId.eq(member));
    }
    crate::pagination::first_pages(
        db,
        select,
        ("participation", "activity_id"),
        activities,
        &participant_ordering(),
        limit,
    )
    .await
}

/// A page of the invitations of an activity (应出席: marked or pending), in the order recorded;
/// a member sees only their own.
pub async fn invitations(
    db: &DatabaseConnection,
    actor: &Actor,
    activity_id: i64,
    page: &PageArgs,
) -> AppResult<(Page<participation::Model>, Counter)> {
    participants(db, actor, activity_id, Rows::Invited, None, page).await
}
