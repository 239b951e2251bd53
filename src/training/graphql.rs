//! Training sessions in the API, and `Member.trainingHours`.

use crate::member::loader::MemberLoaders;
use crate::number::DecimalInput;
use crate::training::loader::TrainingLoaders;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::service::{self, NewAttendee, NewSession, SessionChanges, TrainingFilter, hours};
use crate::{
    activity::graphql::{OrganiserRef, decode_organiser},
    context::ContextExt,
    error::{AppError, Under},
    loader,
    member::graphql::Member,
    pagination::PageArgs,
    relay::{CountedConnection, Kind, TotalCount, connection, decode_id, encode_id, nodes_select},
};
use entity::{enums::TrainingKind, training_attendance, training_session};

/// A training session (培训): a members' class, a forum lecture or online learning.
pub struct TrainingSession(pub training_session::Model);

impl TrainingSession {
    /// The session `id` for `node(id:)`: NOT_FOUND when there is none, FORBIDDEN when the
    /// actor may not read training sessions.
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::find(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }
}

#[Object]
impl TrainingSession {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::TrainingSession, self.0.id)
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
    async fn kind(&self) -> TrainingKind {
        self.0.kind
    }
    /// Chinese label of the kind, e.g. "委员培训班".
    async fn kind_label(&self) -> &'static str {
        self.0.kind.label()
    }
    /// Who organised it.
    async fn organiser(&self) -> OrganiserRef {
        let s = &self.0;
        OrganiserRef(entity::organiser::Organiser::from_columns(
            s.organiser_kind,
            s.committee_id,
            s.sector_id,
            s.studio_id,
            s.group_id,
        ))
    }
    /// First day.
    async fn start_date(&self) -> NaiveDate {
        self.0.start_date
    }
    /// Last day.
    async fn end_date(&self) -> NaiveDate {
        self.0.end_date
    }
    /// Where.
    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }
    /// Credit hours (学时) of the whole session.
    async fn credit_hours(&self) -> Decimal {
        hours(self.0.credit_tenths)
    }
    /// Who attended, with the hours they earned (at most 500). A member account sees only its
    /// own row.
    #[graphql(complexity = "crate::cost::list(crate::cost::ATTENDEES, child_complexity)")]
    async fn attendees(&self, ctx: &Context<'_>) -> Result<Vec<TrainingAttendance>> {
        let scope = crate::activity::service::attendance_scope(ctx.actor()?)?;
        let rows = loader::one(&ctx.loaders()?.get::<TrainingLoaders>().training_attendance_by_session, self.0.id)
            .await?
            .unwrap_or_default();
        let rows = rows.into_iter().filter(|r| scope.sees(r.member_id)).map(TrainingAttendance);
        Ok(rows.take(crate::cost::ATTENDEES).collect())
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A member's attendance at a training session.
pub struct TrainingAttendance(pub training_attendance::Model);

#[Object]
impl TrainingAttendance {
    /// The member.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        Ok(loader::one(&ctx.loaders()?.get::<MemberLoaders>().member, self.0.member_id).await?.map(Member))
    }
    /// Hours earned.
    async fn hours(&self) -> Decimal {
        hours(self.0.hours_tenths)
    }
    /// Completed (结业).
    async fn completed(&self) -> bool {
        self.0.completed
    }
}

/// `Member.trainingHours(year)`, through the page-wide loader.
pub async fn member_training_hours(ctx: &Context<'_>, member_id: i64, year: i32) -> Result<Decimal> {
    let of = service::hours_of(ctx.actor()?, member_id, year)?;
    Ok(hours(
        crate::loader::one(&ctx.loaders()?.get::<TrainingLoaders>().training_hours, (of, year)).await?.unwrap_or(0),
    ))
}

/// Which training sessions to list.
#[derive(InputObject, Default)]
pub struct TrainingFilterInput {
    /// Of this kind.
    pub kind: Option<TrainingKind>,
    /// Starting in this year.
    pub year: Option<i32>,
    /// Attended by this member.
    pub member_id: Option<ID>,
    /// Organised by this special committee, sector, studio or group.
    pub organiser_id: Option<ID>,
    /// Voided sessions too (作废; ADMIN and OFFICE only, ignored for other roles). Default:
    /// voided sessions are left out.
    pub include_voided: Option<bool>,
}

/// Queries of training sessions.
#[derive(Default)]
pub struct TrainingQuery;

#[Object]
impl TrainingQuery {
    /// Training sessions, newest first.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn training_sessions(
        &self,
        ctx: &Context<'_>,
        filter: Option<TrainingFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<TrainingSession>> {
        let filter = TrainingFilter::try_from(filter.unwrap_or_default()).under("filter")?;
        let args = PageArgs { first, after, last, before };
        let (page, count) = service::list(ctx.db()?, ctx.actor()?, filter, &args).await?;
        if nodes_select(ctx, &["attendees"]) {
            let l = ctx.loaders()?;
            let rows = loader::many(
                &l.get::<TrainingLoaders>().training_attendance_by_session,
                page.rows.iter().map(|(_, s)| s.id),
            )
            .await?;
            if nodes_select(ctx, &["attendees", "member"]) {
                loader::many(&l.get::<MemberLoaders>().member, rows.iter().flatten().map(|r| r.member_id)).await?;
            }
        }
        Ok(connection(page, TotalCount::new(count), TrainingSession))
    }
}

/// A member's attendance to record with a session.
#[derive(InputObject)]
pub struct AttendeeInput {
    /// The member.
    pub member_id: ID,
    /// Hours earned (at most one decimal).
    pub hours: DecimalInput,
    /// Completed (结业).
    #[graphql(default)]
    pub completed: bool,
}

/// A training session to record, with its attendees.
#[derive(InputObject)]
pub struct RecordTrainingSessionInput {
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: TrainingKind,
    /// The organising special committee, sector, studio or group; absent for the office.
    pub organiser_id: Option<ID>,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day (default: the first day).
    pub end_date: Option<NaiveDate>,
    /// Where.
    pub location: Option<String>,
    /// Credit hours (学时) of the whole session (at most one decimal).
    pub credit_hours: DecimalInput,
    /// Who attended.
    #[graphql(default)]
    pub attendees: Vec<AttendeeInput>,
}

/// Corrections to a training session. Absent fields stay as they are; null clears a field.
#[derive(InputObject)]
pub struct UpdateTrainingSessionInput {
    /// The session.
    pub id: ID,
    /// Title.
    pub title: Option<String>,
    /// The organising special committee, sector, studio or group; null: the office. The
    /// account must be allowed to record for the old organiser and for the new one.
    #[graphql(default)]
    pub organiser_id: MaybeUndefined<ID>,
    /// Kind.
    pub kind: Option<TrainingKind>,
    /// First day (a one-day session's last day follows it).
    pub start_date: Option<NaiveDate>,
    /// Last day (null: the first day).
    #[graphql(default)]
    pub end_date: MaybeUndefined<NaiveDate>,
    /// Where (null clears it).
    #[graphql(default)]
    pub location: MaybeUndefined<String>,
    /// Credit hours (学时) of the whole session (at most one decimal); no attendee may have
    /// earned more.
    pub credit_hours: Option<DecimalInput>,
    /// Who attended: the whole list, replacing the stored one (absent: unchanged).
    pub attendees: Option<Vec<AttendeeInput>>,
}

/// The result of `recordTrainingSession` and `updateTrainingSession`.
#[derive(SimpleObject)]
pub struct TrainingSessionPayload {
    /// The session as stored.
    pub training_session: TrainingSession,
}

/// Mutations of training.
#[derive(Default)]
pub struct TrainingMutation;

#[Object]
impl TrainingMutation {
    /// Records a training session with its attendees in one transaction.
    async fn record_training_session(
        &self,
        ctx: &Context<'_>,
        input: RecordTrainingSessionInput,
    ) -> Result<TrainingSessionPayload> {
        let new = NewSession::try_from(input).under("input")?;
        let session = service::record(ctx.db()?, ctx.actor()?, new).await.under("input")?;
        Ok(TrainingSessionPayload { training_session: TrainingSession(session) })
    }

    /// Corrects a training session (its dates, hours, title, place, organiser, or its whole
    /// attendee list) in one transaction: whoever may record it (for a new organiser: whoever
    /// may record for both). Members' training hours follow.
    async fn update_training_session(
        &self,
        ctx: &Context<'_>,
        input: UpdateTrainingSessionInput,
    ) -> Result<TrainingSessionPayload> {
        let (id, changes) = <(i64, SessionChanges)>::try_from(input).under("input")?;
        let session = service::update(ctx.db()?, ctx.actor()?, id, changes).await.under("input")?;
        Ok(TrainingSessionPayload { training_session: TrainingSession(session) })
    }
}

fn change<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

fn attendees(list: Vec<AttendeeInput>) -> Result<Vec<NewAttendee>, AppError> {
    list.into_iter()
        .enumerate()
        .map(|(i, a)| {
            Ok(NewAttendee {
                member_id: decode_id(Kind::Member, &a.member_id, &format!("attendees.{i}.memberId"))?,
                hours: a.hours.read(&format!("attendees.{i}.hours"))?,
                completed: a.completed,
            })
        })
        .collect()
}

impl TryFrom<UpdateTrainingSessionInput> for (i64, SessionChanges) {
    type Error = AppError;

    fn try_from(input: UpdateTrainingSessionInput) -> Result<Self, AppError> {
        let id = decode_id(Kind::TrainingSession, &input.id, "id")?;
        Ok((
            id,
            SessionChanges {
                title: input.title,
                organiser: change(input.organiser_id)
                    .map(|id| decode_organiser(id.as_ref(), "organiserId"))
                    .transpose()?,
                kind: input.kind,
                start_date: input.start_date,
                end_date: change(input.end_date),
                location: change(input.location),
                credit_hours: input.credit_hours.map(|h| h.read("creditHours")).transpose()?,
                attendees: input.attendees.map(attendees).transpose()?,
            },
        ))
    }
}

impl TryFrom<TrainingFilterInput> for TrainingFilter {
    type Error = AppError;

    fn try_from(f: TrainingFilterInput) -> Result<Self, AppError> {
        Ok(Self {
            kind: f.kind,
            year: f.year,
            member_id: f.member_id.as_ref().map(|id| decode_id(Kind::Member, id, "memberId")).transpose()?,
            organiser: f.organiser_id.as_ref().map(|id| decode_organiser(Some(id), "organiserId")).transpose()?,
            include_voided: f.include_voided,
        })
    }
}

impl TryFrom<RecordTrainingSessionInput> for NewSession {
    type Error = AppError;

    fn try_from(input: RecordTrainingSessionInput) -> Result<Self, AppError> {
        let attendees = attendees(input.attendees)?;
        Ok(Self {
            title: input.title,
            kind: input.kind,
            organiser: decode_organiser(input.organiser_id.as_ref(), "organiserId")?,
            start_date: input.start_date,
            end_date: input.end_date,
            location: input.location,
            credit_hours: input.credit_hours.read("creditHours")?,
            attendees,
        })
    }
}
