//! The output types of activities: `Activity`, `Participation`, the `Organiser` of an activity or
//! a training session, and a member's `AttendanceSummary`.

use crate::activity::loader::ActivityLoaders;
use crate::member::loader::MemberLoaders;
use crate::organisation::loader::OrganisationLoaders;
use async_graphql::{Context, ID, Object, Result, Value, parser::types::Field};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::{
    activity::service::{self, AttendanceSummary, Rows, organiser_of},
    context::ContextExt,
    error::AppError,
    loader,
    member::graphql::Member,
    pagination::PageArgs,
    plain::{self, Fast, Plain},
    relay::{CountedConnection, Kind, TotalCount, connection, encode_id, nodes_select},
};
use entity::organiser::Organiser;
use entity::{
    activity,
    enums::{ActivityKind, ActivityStatus, ActivitySubkind, Attendance, OrganiserKind, ParticipationRole},
    participation,
};

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
            Organiser::Committee(id) => {
                loader::one(&l.get::<OrganisationLoaders>().committee, id).await?.map(|m| m.name)
            }
            Organiser::Sector(id) => loader::one(&l.get::<OrganisationLoaders>().sector, id).await?.map(|m| m.name),
            Organiser::Studio(id) => loader::one(&l.get::<OrganisationLoaders>().studio, id).await?.map(|m| m.name),
            Organiser::Group(id) => loader::one(&l.get::<OrganisationLoaders>().group, id).await?.map(|m| m.name),
        };
        Ok(name.unwrap_or_default())
    }
}

/// An activity (履职活动): one event, with its organiser, dates, outcome figures and participants.
pub struct Activity(pub activity::Model);

impl Activity {
    /// The activity `id` for `node(id:)`: NOT_FOUND when there is none, FORBIDDEN when the
    /// actor may not read activities.
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::find(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }
}

#[Object]
impl Activity {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Activity, self.0.id)
    }
    /// Whether the record was voided (作废): it then counts nowhere. Only the office (ADMIN,
    /// OFFICE) still finds a voided record; to every other role it does not exist.
    async fn voided(&self) -> bool {
        self.0.voided_at.is_some()
    }
    /// When it was voided; null while it counts.
    async fn voided_at(&self) -> Option<DateTime<Utc>> {
        self.0.voided_at
    }
    /// Why it was voided; null while it counts.
    async fn void_reason(&self) -> Option<&str> {
        self.0.void_reason.as_deref()
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
    /// The participants: every row with a mark (invitees and 列席 alike), in the order
    /// recorded, optionally of one attendance; invitees not marked yet are in `invitations`. A
    /// member account sees only its own row.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn participants(
        &self,
        ctx: &Context<'_>,
        attendance: Option<Attendance>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<Fast<Participation>>> {
        let args = PageArgs { first, after, last, before };
        let actor = ctx.actor()?;
        let (page, total) = match args.first_page_size()? {
            // The first page: batched with the other activities of the list, one query in all.
            Some(limit) => {
                let key = (self.0.id, Rows::Marked, attendance, service::attendance_scope(actor)?, limit);
                let (page, total) =
                    crate::loader::one(&ctx.loaders()?.get::<ActivityLoaders>().first_participants, key)
                        .await?
                        .unwrap_or_default();
                (page, TotalCount::new(move || Box::pin(async move { Ok(total) })))
            }
            None => {
                let (page, count) =
                    service::participants(ctx.db()?, actor, self.0.id, Rows::Marked, attendance, &args).await?;
                (page, TotalCount::new(count))
            }
        };
        if nodes_select(ctx, &["member"]) {
            loader::many(&ctx.loaders()?.get::<MemberLoaders>().member, page.rows.iter().map(|(_, p)| p.member_id))
                .await?;
        }
        Ok(connection(page, total, |p| Fast(Participation(p))))
    }
    /// The invitations (应出席): every member expected, marked or pending, in the order recorded;
    /// derived from the organisation when the activity was recorded and adjusted by hand. A
    /// member account sees only its own.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn invitations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<super::Invitation>> {
        super::attendance::invitations(ctx, self.0.id, PageArgs { first, after, last, before }).await
    }
    /// When the activity was closed (its invitees without a mark turned absent); null while
    /// open.
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    /// Whether the activity is closed.
    async fn closed(&self) -> bool {
        self.0.closed_at.is_some()
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

impl Participation {
    /// The participation `id` for `node(id:)`: NOT_FOUND when there is none, FORBIDDEN when
    /// the actor may not read its member's duty records.
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::find_participation(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }
}

#[Object]
impl Participation {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Participation, self.0.id)
    }
    /// The activity.
    async fn activity(&self, ctx: &Context<'_>) -> Result<Option<Fast<Activity>>> {
        Ok(loader::one(&ctx.loaders()?.get::<ActivityLoaders>().activity, self.0.activity_id)
            .await?
            .map(|a| Fast(Activity(a))))
    }
    /// The member.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Fast<Member>>> {
        Ok(loader::one(&ctx.loaders()?.get::<MemberLoaders>().member, self.0.member_id).await?.map(|m| Fast(Member(m))))
    }
    /// The activity's first day.
    async fn date(&self) -> NaiveDate {
        self.0.activity_date
    }
    /// Attendance; null for an invitee not marked yet.
    async fn attendance(&self) -> Option<Attendance> {
        self.0.attendance
    }
    /// Chinese label of the attendance, e.g. "请假"; "待定" for an invitee not marked yet.
    async fn attendance_label(&self) -> &'static str {
        self.0.attendance.map_or(PENDING_LABEL, Attendance::label)
    }
    /// Whether the member was expected (应出席, counted); false for 列席 (never counted).
    async fn invited(&self) -> bool {
        self.0.invited
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

/// What a participation answers in one pass (`crate::plain`): its own marks; the activity and
/// the member are resolved as usual.
impl Plain for Participation {
    fn plain(&self, field: &Field) -> Option<Value> {
        let p = &self.0;
        match field.name.node.as_str() {
            "id" => plain::scalar(&encode_id(Kind::Participation, p.id)),
            "date" => plain::scalar(&p.activity_date),
            "attendance" => plain::optional_enum(p.attendance),
            "attendanceLabel" => plain::text(p.attendance.map_or(PENDING_LABEL, Attendance::label)),
            "invited" => plain::scalar(&p.invited),
            "role" => plain::enumerated(p.role),
            "roleLabel" => plain::text(p.role.label()),
            _ => None,
        }
    }
}

/// The label of an invitation not marked yet.
pub const PENDING_LABEL: &str = "待定";

/// A member's attendance in a year, over the activities the member was invited to and that were
/// held (cancelled ones and 列席 do not count).
pub struct AttendanceSummaryObject {
    pub(super) year: i32,
    pub(super) summary: AttendanceSummary,
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
    /// 待定: invitations not marked yet, of activities not closed (never counted as present
    /// or absent).
    async fn pending(&self) -> i32 {
        int(self.summary.pending)
    }
    /// Activities the member was invited to and marked at.
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

/// What an activity answers in one pass (`crate::plain`): what it is, never its organiser,
/// participants or figures read elsewhere.
impl Plain for Activity {
    fn plain(&self, field: &Field) -> Option<Value> {
        let a = &self.0;
        match field.name.node.as_str() {
            "id" => plain::scalar(&encode_id(Kind::Activity, a.id)),
            "title" => plain::text(&a.title),
            "kind" => plain::enumerated(a.kind),
            "kindLabel" => plain::text(a.kind.label()),
            "startDate" => plain::scalar(&a.start_date),
            "endDate" => plain::scalar(&a.end_date),
            _ => None,
        }
    }
}
