//! Activities and participations in the API, the duty fields of `Member`, and the
//! `activityRecorded` subscription. Resolvers read the context, call one service function and
//! convert.

use std::collections::HashSet;

use async_graphql::{
    Context, Enum, ID, InputObject, Lookahead, MaybeUndefined, Object, Result, SimpleObject, Subscription,
    dataloader::{DataLoader, HashMapCache, Loader},
    futures_util::Stream,
};
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::FutureExt;
use rust_decimal::Decimal;
use tokio::sync::broadcast::error::RecvError;

use super::service::{
    self, ActivityChanges, ActivityFilter, AttendanceMode, AttendanceSummary, NewActivity, NewParticipant,
    member_participation_cursor, organiser_of,
};
use crate::{
    auth::policy,
    context::ContextExt,
    error::AppError,
    events::{Broker, Event},
    loader,
    member::graphql::{Member, OrderDirection},
    pagination::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageArgs},
    relay::{CountedConnection, Kind, TotalCount, connection, decode_any, decode_id, encode_id, nodes_select},
};
use entity::organiser::Organiser;
use entity::{
    activity,
    enums::{ActivityKind, ActivityStatus, ActivitySubkind, Attendance, OrganiserKind, ParticipationRole},
    participation,
};

/// Decodes an organiser ID (a special committee, sector, studio or group); none is the office.
pub fn decode_organiser(id: Option<&ID>, field: &str) -> Result<Organiser, AppError> {
    let Some(id) = id else { return Ok(Organiser::Office) };
    match decode_any(id) {
        Some((Kind::SpecialCommittee, row)) => Ok(Organiser::Committee(row)),
        Some((Kind::Sector, row)) => Ok(Organiser::Sector(row)),
        Some((Kind::Studio, row)) => Ok(Organiser::Studio(row)),
        Some((Kind::Group, row)) => Ok(Organiser::Group(row)),
        Some(_) => Err(AppError::bad_field(
            field,
            format!("{field} must be the id of a special committee, a sector, a studio or a group"),
        )),
        None => Err(AppError::bad_field(field, format!("{field} is not a valid id"))),
    }
}

/// Who organised an activity or a training session.
pub struct OrganiserRef(pub Organiser);

#[Object(name = "Organiser")]
impl OrganiserRef {
    /// The office, a special committee, a sector, a studio or a group.
    async fn kind(&self) -> OrganiserKind {
        self.0.kind()
    }
    /// Chinese label of the kind.
    async fn kind_label(&self) -> &'static str {
        self.0.kind().label()
    }
    /// The organising special committee, sector, studio or group; null for the office.
    async fn id(&self) -> Option<ID> {
        match self.0 {
            Organiser::Office => None,
            Organiser::Committee(id) => Some(encode_id(Kind::SpecialCommittee, id)),
            Organiser::Sector(id) => Some(encode_id(Kind::Sector, id)),
            Organiser::Studio(id) => Some(encode_id(Kind::Studio, id)),
            Organiser::Group(id) => Some(encode_id(Kind::Group, id)),
        }
    }
    /// The organiser's name ("办公室" for the office).
    async fn name(&self, ctx: &Context<'_>) -> Result<String> {
        let l = ctx.loaders()?;
        let name = match self.0 {
            Organiser::Office => Some("办公室".to_owned()),
            Organiser::Committee(id) => loader::one(&l.committee, id).await?.map(|m| m.name),
            Organiser::Sector(id) => loader::one(&l.sector, id).await?.map(|m| m.name),
            Organiser::Studio(id) => loader::one(&l.studio, id).await?.map(|m| m.name),
            Organiser::Group(id) => loader::one(&l.group, id).await?.map(|m| m.name),
        };
        Ok(name.unwrap_or_default())
    }
}

/// An activity (履职活动): one event, with its organiser, dates, outcome figures and participants.
pub struct Activity(pub activity::Model);

#[Object]
impl Activity {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Activity, self.0.id)
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Kind.
    async fn kind(&self) -> ActivityKind {
        self.0.kind
    }
    /// Chinese label of the kind, e.g. "协商".
    async fn kind_label(&self) -> &'static str {
        self.0.kind.label()
    }
    /// Subkind (for consultations and study activities).
    async fn subkind(&self) -> Option<ActivitySubkind> {
        self.0.subkind
    }
    /// Chinese label of the subkind, e.g. "民生议事堂".
    async fn subkind_label(&self) -> Option<&'static str> {
        self.0.subkind.map(ActivitySubkind::label)
    }
    /// Who organised it.
    async fn organiser(&self) -> OrganiserRef {
        OrganiserRef(organiser_of(&self.0))
    }
    /// First day.
    async fn start_date(&self) -> NaiveDate {
        self.0.start_date
    }
    /// Last day (the first day for a one-day activity).
    async fn end_date(&self) -> NaiveDate {
        self.0.end_date
    }
    /// Where it took place.
    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }
    /// Planned, done or cancelled.
    async fn status(&self) -> ActivityStatus {
        self.0.status
    }
    /// Chinese label of the status.
    async fn status_label(&self) -> &'static str {
        self.0.status.label()
    }
    /// Whether attendance is compulsory (absences count against members).
    async fn compulsory(&self) -> bool {
        self.0.compulsory
    }
    /// 解决问题数: problems solved.
    async fn issues_solved(&self) -> Option<i32> {
        self.0.issues_solved
    }
    /// 惠及人次: people served.
    async fn people_served(&self) -> Option<i32> {
        self.0.people_served
    }
    /// 捐款捐物金额 in yuan.
    async fn donations(&self) -> Option<Decimal> {
        self.0.donations_fen.map(service::yuan)
    }
    /// Notes.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The participants, in the order recorded, optionally of one attendance. A member account
    /// sees only its own row.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn participants(
        &self,
        ctx: &Context<'_>,
        attendance: Option<Attendance>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<Participation>> {
        let args = PageArgs { first, after, last, before };
        let actor = ctx.actor()?;
        let (page, total) = match args.first_page_size()? {
            // The first page: batched with the other activities of the list, one query in all.
            Some(limit) => {
                policy::read_activities(actor)?;
                let key = (self.0.id, attendance, service::visible_participant(actor), limit);
                let (page, total) = ctx
                    .loaders()?
                    .first_participants
                    .load_one(key)
                    .await
                    .map_err(|e| (*e).clone())?
                    .unwrap_or_default();
                (page, TotalCount::new(move || Box::pin(async move { Ok(total) })))
            }
            None => {
                let (page, count) = service::participants(ctx.db()?, actor, self.0.id, attendance, &args).await?;
                (page, TotalCount::new(count))
            }
        };
        if nodes_select(ctx, &["member"]) {
            loader::many(&ctx.loaders()?.member, page.rows.iter().map(|(_, p)| p.member_id)).await?;
        }
        Ok(connection(page, total, Participation))
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A participation (出席记录): one member at one activity.
pub struct Participation(pub participation::Model);

#[Object]
impl Participation {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Participation, self.0.id)
    }
    /// The activity.
    async fn activity(&self, ctx: &Context<'_>) -> Result<Option<Activity>> {
        Ok(loader::one(&ctx.loaders()?.activity, self.0.activity_id).await?.map(Activity))
    }
    /// The member.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        Ok(loader::one(&ctx.loaders()?.member, self.0.member_id).await?.map(Member))
    }
    /// The activity's first day.
    async fn date(&self) -> NaiveDate {
        self.0.activity_date
    }
    /// Attendance.
    async fn attendance(&self) -> Attendance {
        self.0.attendance
    }
    /// Chinese label of the attendance, e.g. "请假".
    async fn attendance_label(&self) -> &'static str {
        self.0.attendance.label()
    }
    /// Role at the activity.
    async fn role(&self) -> ParticipationRole {
        self.0.role
    }
    /// Chinese label of the role.
    async fn role_label(&self) -> &'static str {
        self.0.role.label()
    }
    /// A note, e.g. the reason for an excused absence.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// A member's attendance in a year, over the activities held (cancelled ones do not count).
pub struct AttendanceSummaryObject {
    year: i32,
    summary: AttendanceSummary,
}

fn int(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[Object(name = "AttendanceSummary")]
impl AttendanceSummaryObject {
    /// The year.
    async fn year(&self) -> i32 {
        self.year
    }
    /// 出席: present.
    async fn present(&self) -> i32 {
        int(self.summary.present)
    }
    /// 迟到: late.
    async fn late(&self) -> i32 {
        int(self.summary.late)
    }
    /// 早退: left early.
    async fn left_early(&self) -> i32 {
        int(self.summary.left_early)
    }
    /// 请假: excused.
    async fn excused(&self) -> i32 {
        int(self.summary.excused)
    }
    /// 缺席: absent without an approved excuse.
    async fn absent(&self) -> i32 {
        int(self.summary.absent)
    }
    /// Activities the member was listed for.
    async fn total(&self) -> i32 {
        let s = &self.summary;
        int(s.present + s.late + s.left_early + s.excused + s.absent)
    }
    /// Compulsory activities the member was expected at.
    async fn expected(&self) -> i32 {
        int(self.summary.expected)
    }
    /// Compulsory activities the member attended (present, late or leaving early).
    async fn attended(&self) -> i32 {
        int(self.summary.attended_compulsory)
    }
    /// Attendance rate at compulsory activities, 0..1 (attended / expected); null when none
    /// was expected.
    async fn rate(&self) -> Option<Decimal> {
        self.summary.rate()
    }
}

// ----- the duty fields of Member -----

/// The page size `first` asks for, checked like every connection's.
fn page_size(first: Option<i32>) -> Result<u64, AppError> {
    match first.map(u64::try_from) {
        None => Ok(DEFAULT_PAGE_SIZE),
        Some(Ok(n)) if n <= MAX_PAGE_SIZE => Ok(n),
        Some(Ok(_)) => Err(AppError::bad_field("first", format!("first must be at most {MAX_PAGE_SIZE}"))),
        Some(Err(_)) => Err(AppError::bad_field("first", "first must not be negative")),
    }
}

async fn load_key<K, L>(loader: &DataLoader<L, HashMapCache>, key: K) -> Result<Option<L::Value>, AppError>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    L: Loader<K, Error = std::sync::Arc<AppError>>,
{
    loader.load_one(key).await.map_err(|e| (*e).clone())
}

async fn load_keys<K, L>(loader: &DataLoader<L, HashMapCache>, keys: Vec<K>) -> Result<Vec<L::Value>, AppError>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    L: Loader<K, Error = std::sync::Arc<AppError>>,
{
    let found = loader.load_many(keys.iter().cloned()).await.map_err(|e| (*e).clone())?;
    Ok(keys.iter().filter_map(|k| found.get(k).cloned()).collect())
}

/// Loads the first pages of participants (and their members) that a page of activities will
/// ask for: one query per distinct argument set for the whole page.
async fn prefetch_participants(ctx: &Context<'_>, ids: &[i64]) -> Result<(), AppError> {
    let look = ctx.look_ahead();
    let l = ctx.loaders()?;
    let own = service::visible_participant(ctx.actor()?);
    for field in [look.field("nodes").field("participants"), look.field("edges").field("node").field("participants")] {
        let wants_member = field.field("nodes").field("member").exists()
            || field.field("edges").field("node").field("member").exists();
        for selection in field.selection_fields() {
            let Ok(args) = selection.arguments() else { continue };
            let arg = |name: &str| args.iter().find(|(n, _)| n.as_str() == name).map(|(_, v)| v.clone());
            let present = |name: &str| arg(name).is_some_and(|v| v != async_graphql::Value::Null);
            if present("after") || present("before") || present("last") {
                continue;
            }
            let first = match arg("first") {
                Some(async_graphql::Value::Number(n)) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
                _ => None,
            };
            let attendance = match arg("attendance") {
                Some(async_graphql::Value::Enum(name)) => <Attendance as async_graphql::EnumType>::items()
                    .iter()
                    .find(|i| i.name == name.as_str())
                    .map(|i| i.value),
                _ => None,
            };
            let Ok(limit) = page_size(first) else { continue };
            let keys = ids.iter().map(|&a| (a, attendance, own, limit)).collect();
            let pages = load_keys(&l.first_participants, keys).await?;
            if wants_member {
                let members: Vec<i64> =
                    pages.iter().flat_map(|(page, _)| &page.rows).map(|(_, p)| p.member_id).collect();
                loader::many(&l.member, members).await?;
            }
        }
    }
    Ok(())
}

fn activity_of(p: &participation::Model) -> i64 {
    p.activity_id
}

/// `Member.participations`: the first page comes from the page-wide loader (one windowed
/// query for every member of the page); later pages (`after`) are keyset pages of one member.
pub async fn member_participations(
    ctx: &Context<'_>,
    member_id: i64,
    year: Option<i32>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<CountedConnection<Participation>> {
    let actor = ctx.actor()?;
    if after.is_some() {
        let args = PageArgs { first, after, last: None, before: None };
        let (page, count) = service::member_participations(ctx.db()?, actor, member_id, year, &args).await?;
        return Ok(connection(page, TotalCount::new(count), Participation));
    }
    policy::read_duty_records(actor, member_id)?;
    if let Some(year) = year {
        crate::dates::year_bounds(year)?;
    }
    let limit = page_size(first)?;
    let (mut rows, total) =
        load_key(&ctx.loaders()?.first_participations, (member_id, year, limit)).await?.unwrap_or_default();
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    if nodes_select(ctx, &["activity"]) {
        let activities: Vec<i64> = rows.iter().map(activity_of).collect();
        loader::many(&ctx.loaders()?.activity, activities).await?;
    }
    let page = Page {
        rows: rows.into_iter().map(|p| (member_participation_cursor(&p), p)).collect(),
        has_previous_page: false,
        has_next_page: more,
    };
    let count = TotalCount::new(move || async move { Ok(total) }.boxed());
    Ok(connection(page, count, Participation))
}

/// `Member.attendance(year)`, through the page-wide loader.
pub async fn member_attendance(ctx: &Context<'_>, member_id: i64, year: i32) -> Result<AttendanceSummaryObject> {
    policy::read_duty_records(ctx.actor()?, member_id)?;
    crate::dates::year_bounds(year)?;
    let summary = load_key(&ctx.loaders()?.attendance, (member_id, year)).await?.unwrap_or_default();
    Ok(AttendanceSummaryObject { year, summary })
}

/// The `year` and `first` arguments of every selection of a field.
pub(crate) fn arguments_of(look: &Lookahead<'_>) -> Vec<(Option<i32>, Option<i32>, bool)> {
    look.selection_fields()
        .into_iter()
        .filter_map(|field| field.arguments().ok())
        .map(|args| {
            let int = |name: &str| {
                args.iter().find(|(n, _)| n.as_str() == name).and_then(|(_, v)| match v {
                    async_graphql::Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
                    _ => None,
                })
            };
            let after = args.iter().any(|(n, v)| n.as_str() == "after" && *v != async_graphql::Value::Null);
            (int("year"), int("first"), after)
        })
        .collect()
}

/// Loads, for a page of members, the duty fields its nodes select: first participations (and
/// their activities), attendance, training hours and duty items, one query per field, argument
/// set and level, so the statement count does not depend on the page size.
pub async fn prefetch_members(ctx: &Context<'_>, ids: &[i64]) -> Result<(), AppError> {
    let l = ctx.loaders()?;
    let look = ctx.look_ahead();
    let fields = |name: &str| [look.field("nodes").field(name), look.field("edges").field("node").field(name)];

    let mut participation_keys = HashSet::new();
    let mut wants_activity = false;
    for field in fields("participations") {
        for (year, first, after) in arguments_of(&field) {
            if let (false, Ok(limit)) = (after, page_size(first)) {
                participation_keys.insert((year, limit));
            }
        }
        wants_activity |= field.field("nodes").field("activity").exists()
            || field.field("edges").field("node").field("activity").exists();
    }
    let mut attendance_years = HashSet::new();
    for field in fields("attendance") {
        attendance_years.extend(arguments_of(&field).into_iter().filter_map(|(year, _, _)| year));
    }
    let mut hour_years = HashSet::new();
    for field in fields("trainingHours") {
        hour_years.extend(arguments_of(&field).into_iter().filter_map(|(year, _, _)| year));
    }
    let wants_items = fields("dutyItems").iter().any(Lookahead::exists);

    let participations = async {
        for (year, limit) in participation_keys {
            let keys = ids.iter().map(|&m| (m, year, limit)).collect();
            let pages = load_keys(&l.first_participations, keys).await?;
            if wants_activity {
                let activities: Vec<i64> = pages.iter().flat_map(|(rows, _)| rows).map(activity_of).collect();
                loader::many(&l.activity, activities).await?;
            }
        }
        Ok::<_, AppError>(())
    };
    let attendance = async {
        for year in attendance_years {
            load_keys(&l.attendance, ids.iter().map(|&m| (m, year)).collect()).await?;
        }
        Ok(())
    };
    let hours = async {
        for year in hour_years {
            load_keys(&l.training_hours, ids.iter().map(|&m| (m, year)).collect()).await?;
        }
        Ok(())
    };
    let items = async {
        if wants_items {
            loader::many(&l.duty_items_by_member, ids.iter().copied()).await?;
        }
        Ok(())
    };
    futures_util::try_join!(participations, attendance, hours, items)?;
    Ok(())
}

// ----- queries -----

/// Which activities to list.
#[derive(InputObject, Default)]
pub struct ActivityFilterInput {
    /// Of this kind.
    pub kind: Option<ActivityKind>,
    /// Of this subkind.
    pub subkind: Option<ActivitySubkind>,
    /// Organised by this special committee, sector, studio or group.
    pub organiser_id: Option<ID>,
    /// Organised by the office itself.
    #[graphql(default)]
    pub by_office: bool,
    /// With this member among the participants.
    pub member_id: Option<ID>,
    /// Starting on or after this day.
    pub from: Option<NaiveDate>,
    /// Starting on or before this day.
    pub to: Option<NaiveDate>,
    /// Starting in this year.
    pub year: Option<i32>,
    /// In this state.
    pub status: Option<ActivityStatus>,
}

/// What the activity list can be sorted by.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ActivityOrderField {
    /// The first day.
    Date,
}

/// One sort key of the activity list.
#[derive(InputObject)]
pub struct ActivityOrder {
    /// The field.
    pub field: ActivityOrderField,
    /// The direction.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// Queries of activities.
#[derive(Default)]
pub struct ActivityQuery;

#[Object]
impl ActivityQuery {
    /// Activities, newest first unless `orderBy` says `{ field: DATE, direction: ASC }`.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn activities(
        &self,
        ctx: &Context<'_>,
        filter: Option<ActivityFilterInput>,
        order_by: Option<Vec<ActivityOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<Activity>> {
        let f = filter.unwrap_or_default();
        let organiser = match (&f.organiser_id, f.by_office) {
            (Some(id), _) => Some(decode_organiser(Some(id), "filter.organiserId")?),
            (None, true) => Some(Organiser::Office),
            (None, false) => None,
        };
        let filter = ActivityFilter {
            kind: f.kind,
            subkind: f.subkind,
            organiser,
            member_id: f.member_id.as_ref().map(|id| decode_id(Kind::Member, id, "filter.memberId")).transpose()?,
            from: f.from,
            to: f.to,
            year: f.year,
            status: f.status,
        };
        let descending = order_by
            .unwrap_or_default()
            .first()
            .is_none_or(|o| o.field == ActivityOrderField::Date && o.direction == OrderDirection::Desc);
        let args = PageArgs { first, after, last, before };
        let (page, count) = service::list(ctx.db()?, ctx.actor()?, filter, descending, &args).await?;
        let ids: Vec<i64> = page.rows.iter().map(|(_, a)| a.id).collect();
        prefetch_participants(ctx, &ids).await?;
        if nodes_select(ctx, &["organiser", "name"]) {
            let l = ctx.loaders()?;
            let organisers: Vec<Organiser> = page.rows.iter().map(|(_, a)| organiser_of(a)).collect();
            let pick = |f: fn(Organiser) -> Option<i64>| organisers.iter().filter_map(move |&o| f(o));
            futures_util::try_join!(
                loader::many(&l.committee, pick(|o| if let Organiser::Committee(id) = o { Some(id) } else { None })),
                loader::many(&l.sector, pick(|o| if let Organiser::Sector(id) = o { Some(id) } else { None })),
                loader::many(&l.studio, pick(|o| if let Organiser::Studio(id) = o { Some(id) } else { None })),
                loader::many(&l.group, pick(|o| if let Organiser::Group(id) = o { Some(id) } else { None })),
            )?;
        }
        Ok(connection(page, TotalCount::new(count), Activity))
    }

    /// One activity by ID.
    async fn activity(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Activity>> {
        let id = decode_id(Kind::Activity, &id, "id")?;
        match service::find(ctx.db()?, ctx.actor()?, id).await {
            Ok(a) => Ok(Some(Activity(a))),
            Err(AppError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

// ----- mutations -----

/// A participant of an activity.
#[derive(InputObject)]
pub struct ParticipantInput {
    /// The member.
    pub member_id: ID,
    /// Attendance (default PRESENT).
    #[graphql(default_with = "Attendance::Present")]
    pub attendance: Attendance,
    /// Role (default PARTICIPANT).
    #[graphql(default_with = "ParticipationRole::Participant")]
    pub role: ParticipationRole,
    /// A note, e.g. the reason for an excused absence.
    pub note: Option<String>,
}

fn participants(list: Vec<ParticipantInput>, path: &str) -> Result<Vec<NewParticipant>, AppError> {
    list.into_iter()
        .enumerate()
        .map(|(i, p)| {
            Ok(NewParticipant {
                member_id: decode_id(Kind::Member, &p.member_id, &format!("{path}.{i}.memberId"))?,
                attendance: p.attendance,
                role: p.role,
                note: p.note,
            })
        })
        .collect()
}

/// An activity to record, with all its participants.
#[derive(InputObject)]
pub struct RecordActivityInput {
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: ActivityKind,
    /// Subkind; must belong to the kind.
    pub subkind: Option<ActivitySubkind>,
    /// The organising special committee, sector, studio or group; absent for the office.
    pub organiser_id: Option<ID>,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day (default: the first day).
    pub end_date: Option<NaiveDate>,
    /// Where.
    pub location: Option<String>,
    /// PLANNED or DONE (default DONE).
    #[graphql(default_with = "ActivityStatus::Done")]
    pub status: ActivityStatus,
    /// Whether attendance is compulsory.
    #[graphql(default)]
    pub compulsory: bool,
    /// 解决问题数.
    pub issues_solved: Option<i32>,
    /// 惠及人次.
    pub people_served: Option<i32>,
    /// 捐款捐物金额 in yuan.
    pub donations: Option<Decimal>,
    /// Notes.
    pub description: Option<String>,
    /// The participants.
    #[graphql(default)]
    pub participants: Vec<ParticipantInput>,
}

/// The result of the activity mutations.
#[derive(SimpleObject)]
pub struct ActivityPayload {
    /// The activity as stored.
    pub activity: Activity,
}

/// How `setAttendance` treats participants already recorded.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum AttendanceModeInput {
    /// Add or change the listed members' rows; keep the others.
    #[default]
    Upsert,
    /// The list is the whole attendance: remove the rows of members not listed.
    Replace,
}

/// Attendance to set on an activity.
#[derive(InputObject)]
pub struct SetAttendanceInput {
    /// The activity.
    pub activity_id: ID,
    /// Upsert (default) or replace.
    #[graphql(default)]
    pub mode: AttendanceModeInput,
    /// The participants.
    pub participants: Vec<ParticipantInput>,
}

/// Changes to an activity. Absent fields stay as they are; null clears a field.
#[derive(InputObject)]
pub struct UpdateActivityInput {
    /// The activity.
    pub id: ID,
    /// Title.
    pub title: Option<String>,
    /// Kind.
    pub kind: Option<ActivityKind>,
    /// Subkind.
    #[graphql(default)]
    pub subkind: MaybeUndefined<ActivitySubkind>,
    /// First day.
    pub start_date: Option<NaiveDate>,
    /// Last day (null: the first day).
    #[graphql(default)]
    pub end_date: MaybeUndefined<NaiveDate>,
    /// Where.
    #[graphql(default)]
    pub location: MaybeUndefined<String>,
    /// PLANNED or DONE (cancel with `cancelActivity`).
    pub status: Option<ActivityStatus>,
    /// Whether attendance is compulsory.
    pub compulsory: Option<bool>,
    /// 解决问题数.
    #[graphql(default)]
    pub issues_solved: MaybeUndefined<i32>,
    /// 惠及人次.
    #[graphql(default)]
    pub people_served: MaybeUndefined<i32>,
    /// 捐款捐物金额 in yuan.
    #[graphql(default)]
    pub donations: MaybeUndefined<Decimal>,
    /// Notes.
    #[graphql(default)]
    pub description: MaybeUndefined<String>,
}

/// An activity to cancel.
#[derive(InputObject)]
pub struct CancelActivityInput {
    /// The activity.
    pub id: ID,
    /// Why it was cancelled.
    pub reason: Option<String>,
}

fn change<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

fn broker<'a>(ctx: &'a Context<'_>) -> Result<&'a Broker, AppError> {
    ctx.data::<Broker>().map_err(|_| AppError::Internal("event broker missing from the GraphQL context".into()))
}

/// Mutations of activities and attendance (the organiser's staff, the office).
#[derive(Default)]
pub struct ActivityMutation;

#[Object]
impl ActivityMutation {
    /// Records an activity with all its participants in one transaction: any bad participant
    /// (unknown, listed twice) rejects the whole request and nothing is written.
    async fn record_activity(&self, ctx: &Context<'_>, input: RecordActivityInput) -> Result<ActivityPayload> {
        let new = NewActivity {
            title: input.title,
            kind: input.kind,
            subkind: input.subkind,
            organiser: decode_organiser(input.organiser_id.as_ref(), "input.organiserId")?,
            start_date: input.start_date,
            end_date: input.end_date,
            location: input.location,
            status: input.status,
            compulsory: input.compulsory,
            issues_solved: input.issues_solved,
            people_served: input.people_served,
            donations: input.donations,
            description: input.description,
            participants: participants(input.participants, "input.participants")?,
        };
        let activity = service::record(ctx.db()?, ctx.actor()?, broker(ctx)?, new).await?;
        Ok(ActivityPayload { activity: Activity(activity) })
    }

    /// Sets attendance: upserts the listed participants, or (mode REPLACE) makes the list the
    /// whole attendance. One transaction.
    async fn set_attendance(&self, ctx: &Context<'_>, input: SetAttendanceInput) -> Result<ActivityPayload> {
        let id = decode_id(Kind::Activity, &input.activity_id, "input.activityId")?;
        let mode = match input.mode {
            AttendanceModeInput::Upsert => AttendanceMode::Upsert,
            AttendanceModeInput::Replace => AttendanceMode::Replace,
        };
        let list = participants(input.participants, "input.participants")?;
        let activity = service::set_attendance(ctx.db()?, ctx.actor()?, id, mode, list).await?;
        Ok(ActivityPayload { activity: Activity(activity) })
    }

    /// Changes an activity's details.
    async fn update_activity(&self, ctx: &Context<'_>, input: UpdateActivityInput) -> Result<ActivityPayload> {
        let id = decode_id(Kind::Activity, &input.id, "input.id")?;
        let changes = ActivityChanges {
            title: input.title,
            kind: input.kind,
            subkind: change(input.subkind),
            start_date: input.start_date,
            end_date: change(input.end_date),
            location: change(input.location),
            status: input.status,
            compulsory: input.compulsory,
            issues_solved: change(input.issues_solved),
            people_served: change(input.people_served),
            donations: change(input.donations),
            description: change(input.description),
        };
        let activity = service::update(ctx.db()?, ctx.actor()?, id, changes).await?;
        Ok(ActivityPayload { activity: Activity(activity) })
    }

    /// Cancels an activity: it stays on record but no longer counts.
    async fn cancel_activity(&self, ctx: &Context<'_>, input: CancelActivityInput) -> Result<ActivityPayload> {
        let id = decode_id(Kind::Activity, &input.id, "input.id")?;
        let activity = service::cancel(ctx.db()?, ctx.actor()?, id, input.reason).await?;
        Ok(ActivityPayload { activity: Activity(activity) })
    }
}

// ----- subscriptions -----

/// Subscriptions to activities.
#[derive(Default)]
pub struct ActivitySubscription;

#[Subscription]
impl ActivitySubscription {
    /// Each activity recorded from now on, optionally only those of one organiser (a special
    /// committee, sector, studio or group).
    async fn activity_recorded(
        &self,
        ctx: &Context<'_>,
        organiser_id: Option<ID>,
    ) -> Result<impl Stream<Item = Activity> + use<>> {
        policy::read_activities(ctx.actor()?)?;
        let wanted = match organiser_id {
            Some(id) => Some(decode_organiser(Some(&id), "organiserId")?),
            None => None,
        };
        let receiver = broker(ctx)?.subscribe();
        Ok(futures_util::stream::unfold(receiver, move |mut receiver| async move {
            loop {
                match receiver.recv().await {
                    Ok(Event::ActivityRecorded(a)) if wanted.is_none_or(|o| organiser_of(&a) == o) => {
                        return Some((Activity(a), receiver));
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                }
            }
        }))
    }
}
