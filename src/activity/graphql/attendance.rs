//! Attendance from a notice in the API: `Activity.invitations` (应出席), requests for leave
//! (请假), sign-in (签到) and closing, and the subscriptions that tell a member of a new
//! invitation and of a leave decision.

use async_graphql::{
    Context, Enum, ID, InputObject, Object, Result, SimpleObject, Subscription, Upload, futures_util::Stream,
};
use chrono::{DateTime, NaiveDate, Utc};
use tokio::sync::broadcast::error::RecvError;

use super::{Activity, ActivityPayload, ParticipantInput, inputs::participants_at, types::PENDING_LABEL};
use crate::{
    activity::{
        loader::ActivityLoaders,
        service::{self, Rows, leave, sheet},
    },
    context::ContextExt,
    error::{AppError, Under},
    events::Event,
    import::graphql::ImportError,
    loader,
    member::{graphql::Member, loader::MemberLoaders},
    pagination::PageArgs,
    relay::{CountedConnection, Kind, TotalCount, connection, decode_id, decode_opt, encode_id, nodes_select},
};
use entity::{
    enums::{Attendance, LeaveStatus, ParticipationRole},
    leave_request, participation,
};

/// An invitation (应出席): a member expected at an activity, marked or not yet.
pub struct Invitation(pub participation::Model);

#[Object]
impl Invitation {
    /// Global ID (the id of the member's participation row).
    async fn id(&self) -> ID {
        encode_id(Kind::Participation, self.0.id)
    }
    /// The activity.
    async fn activity(&self, ctx: &Context<'_>) -> Result<Option<Activity>> {
        Ok(loader::one(&ctx.loaders()?.get::<ActivityLoaders>().activity, self.0.activity_id).await?.map(Activity))
    }
    /// The member invited.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        Ok(loader::one(&ctx.loaders()?.get::<MemberLoaders>().member, self.0.member_id).await?.map(Member))
    }
    /// The activity's first day.
    async fn date(&self) -> NaiveDate {
        self.0.activity_date
    }
    /// The mark; null while pending (not signed in, excused or closed yet).
    async fn attendance(&self) -> Option<Attendance> {
        self.0.attendance
    }
    /// Chinese label of the mark; "待定" while pending.
    async fn attendance_label(&self) -> &'static str {
        self.0.attendance.map_or(PENDING_LABEL, Attendance::label)
    }
    /// Whether the invitation is not marked yet.
    async fn pending(&self) -> bool {
        self.0.attendance.is_none()
    }
    /// Role at the activity.
    async fn role(&self) -> ParticipationRole {
        self.0.role
    }
    /// The member's request for leave from the activity, if any.
    async fn leave_request(&self, ctx: &Context<'_>) -> Result<Option<LeaveRequest>> {
        let requests =
            loader::one(&ctx.loaders()?.get::<ActivityLoaders>().leave_by_activity, self.0.activity_id).await?;
        Ok(requests.unwrap_or_default().into_iter().find(|r| r.member_id == self.0.member_id).map(LeaveRequest))
    }
}

/// `Activity.invitations`: the first page batched with the other activities of a list (one
/// query in all), later pages one keyset page.
pub(super) async fn invitations(
    ctx: &Context<'_>,
    activity_id: i64,
    args: PageArgs,
) -> Result<CountedConnection<Invitation>> {
    let actor = ctx.actor()?;
    let (page, total) = match args.first_page_size()? {
        Some(limit) => {
            let key = (activity_id, Rows::Invited, None, service::attendance_scope(actor)?, limit);
            let (page, total) = loader::one(&ctx.loaders()?.get::<ActivityLoaders>().first_participants, key)
                .await?
                .unwrap_or_default();
            (page, TotalCount::new(move || Box::pin(async move { Ok(total) })))
        }
        None => {
            let (page, count) = service::invitations(ctx.db()?, actor, activity_id, &args).await?;
            (page, TotalCount::new(count))
        }
    };
    if nodes_select(ctx, &["member"]) {
        loader::many(&ctx.loaders()?.get::<MemberLoaders>().member, page.rows.iter().map(|(_, p)| p.member_id)).await?;
    }
    Ok(connection(page, total, Invitation))
}

/// A request for leave (请假) from an activity, and its decision.
pub struct LeaveRequest(pub leave_request::Model);

impl LeaveRequest {
    /// The request `id` for `node(id:)`: NOT_FOUND when there is none or it is hidden from the
    /// actor.
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        leave::find(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }
}

#[Object]
impl LeaveRequest {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::LeaveRequest, self.0.id)
    }
    /// The activity.
    async fn activity(&self, ctx: &Context<'_>) -> Result<Option<Activity>> {
        Ok(loader::one(&ctx.loaders()?.get::<ActivityLoaders>().activity, self.0.activity_id).await?.map(Activity))
    }
    /// The member asking.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        Ok(loader::one(&ctx.loaders()?.get::<MemberLoaders>().member, self.0.member_id).await?.map(Member))
    }
    /// Why.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// When it was asked.
    async fn requested_at(&self) -> DateTime<Utc> {
        self.0.requested_at
    }
    /// Asked after the deadline (kept, and flagged for whoever decides).
    async fn late(&self) -> bool {
        self.0.late
    }
    /// Pending, approved or refused.
    async fn status(&self) -> LeaveStatus {
        self.0.status
    }
    /// Chinese label of the status.
    async fn status_label(&self) -> &'static str {
        self.0.status.label()
    }
    /// When it was decided.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
    /// The decider's note.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// Which requests for leave to list.
#[derive(InputObject, Default)]
pub struct LeaveRequestFilter {
    /// For this activity.
    pub activity_id: Option<ID>,
    /// Of this member.
    pub member_id: Option<ID>,
    /// In this state.
    pub status: Option<LeaveStatus>,
}

/// Asks for leave from an activity.
#[derive(InputObject)]
pub struct RequestLeaveInput {
    /// The activity.
    pub activity_id: ID,
    /// The member; a member account's own when absent.
    pub member_id: Option<ID>,
    /// Why.
    pub reason: String,
}

/// A decision on a request for leave.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum LeaveDecision {
    /// 批准: the invitee is excused.
    Approve,
    /// 不批准: the invitee is still expected.
    Refuse,
}

/// Decides a request for leave.
#[derive(InputObject)]
pub struct DecideLeaveInput {
    /// The request.
    pub id: ID,
    /// Approve or refuse.
    pub decision: LeaveDecision,
    /// A note for the member.
    pub note: Option<String>,
}

/// Closes an activity.
#[derive(InputObject)]
pub struct CloseActivityInput {
    /// The activity.
    pub id: ID,
}

/// Adds or removes invitees.
#[derive(InputObject)]
pub struct InvitationsInput {
    /// The activity.
    pub activity_id: ID,
    /// The members.
    pub member_ids: Vec<ID>,
}

/// Signs members in (签到).
#[derive(InputObject)]
pub struct SignInInput {
    /// The activity.
    pub activity_id: ID,
    /// The marks to set: present, late, leaving early, absent…; a member not invited is
    /// recorded as 列席 unless `invited` says otherwise.
    #[graphql(default)]
    pub marks: Vec<ParticipantInput>,
    /// Mark every other invitee still without a mark present ("all present except …").
    #[graphql(default)]
    pub others_present: bool,
}

/// A sign-in sheet (签到表) to read.
#[derive(InputObject)]
pub struct ImportSignInSheetInput {
    /// The activity.
    pub activity_id: ID,
    /// The sheet: .xlsx, or CSV in UTF-8 or GBK, with a header row naming 姓名 and/or 委员证号
    /// and, optionally, 签到 (出席 / 迟到 / 早退 / 请假 / 缺席; blank is 出席).
    pub file: Upload,
    /// Mark every other invitee still without a mark present.
    #[graphql(default)]
    pub others_present: bool,
}

/// What reading a sign-in sheet did: nothing is written unless every row is good.
#[derive(SimpleObject)]
pub struct ImportSignInSheetPayload {
    /// The activity as stored.
    pub activity: Activity,
    /// Rows that marked a member.
    pub marked: u32,
    /// The bad rows, by line and column: the first 1,000.
    #[graphql(complexity = "crate::cost::list(crate::cost::IMPORT_ERRORS, child_complexity)")]
    pub errors: Vec<ImportError>,
    /// Whether the marks were written.
    pub applied: bool,
}

/// The result of `requestLeave` and `decideLeave`.
#[derive(SimpleObject)]
pub struct LeaveRequestPayload {
    /// The request as stored.
    pub leave_request: LeaveRequest,
}

/// The bytes of an uploaded file.
fn uploaded(ctx: &Context<'_>, file: &Upload) -> Result<Vec<u8>, AppError> {
    use std::io::Read;
    let unreadable = || AppError::bad_field("file", "the uploaded file cannot be read");
    let mut bytes = Vec::new();
    file.value(ctx).map_err(|_| unreadable())?.into_read().read_to_end(&mut bytes).map_err(|_| unreadable())?;
    Ok(bytes)
}

fn member_ids(list: &[ID]) -> Result<Vec<i64>, AppError> {
    list.iter().enumerate().map(|(i, id)| decode_id(Kind::Member, id, &format!("memberIds.{i}"))).collect()
}

/// Queries of requests for leave.
#[derive(Default)]
pub struct AttendanceQuery;

#[Object]
impl AttendanceQuery {
    /// Requests for leave, newest first; a member account sees only its own.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn leave_requests(
        &self,
        ctx: &Context<'_>,
        filter: Option<LeaveRequestFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<LeaveRequest>> {
        let filter = filter.unwrap_or_default();
        let filter = leave::LeaveFilter {
            activity_id: decode_opt(Kind::Activity, filter.activity_id.as_ref(), "filter.activityId")?,
            member_id: decode_opt(Kind::Member, filter.member_id.as_ref(), "filter.memberId")?,
            status: filter.status,
        };
        let args = PageArgs { first, after, last, before };
        let (page, count) = leave::list(ctx.db()?, ctx.actor()?, filter, &args).await?;
        if nodes_select(ctx, &["member"]) {
            loader::many(&ctx.loaders()?.get::<MemberLoaders>().member, page.rows.iter().map(|(_, r)| r.member_id))
                .await?;
        }
        if nodes_select(ctx, &["activity"]) {
            loader::many(
                &ctx.loaders()?.get::<ActivityLoaders>().activity,
                page.rows.iter().map(|(_, r)| r.activity_id),
            )
            .await?;
        }
        Ok(connection(page, TotalCount::new(count), LeaveRequest))
    }
}

/// Mutations of invitations, leave, sign-in and closing.
#[derive(Default)]
pub struct AttendanceMutation;

#[Object]
impl AttendanceMutation {
    /// Asks for leave (请假) from an activity the member is invited to and not yet marked at:
    /// a member for themself, the office for anyone. After the deadline the request is kept
    /// and flagged late.
    async fn request_leave(&self, ctx: &Context<'_>, input: RequestLeaveInput) -> Result<LeaveRequestPayload> {
        let activity = decode_id(Kind::Activity, &input.activity_id, "activityId").under("input")?;
        let member = decode_opt(Kind::Member, input.member_id.as_ref(), "memberId").under("input")?;
        let settings = ctx.shared("attendance settings")?;
        let request =
            leave::request(ctx.db()?, ctx.actor()?, settings, activity, member, &input.reason).await.under("input")?;
        Ok(LeaveRequestPayload { leave_request: LeaveRequest(request) })
    }

    /// Approves (the invitee is excused, in the same transaction) or refuses (still expected)
    /// a pending request for leave: whoever records the activity's attendance.
    async fn decide_leave(&self, ctx: &Context<'_>, input: DecideLeaveInput) -> Result<LeaveRequestPayload> {
        let id = decode_id(Kind::LeaveRequest, &input.id, "id").under("input")?;
        let approve = input.decision == LeaveDecision::Approve;
        let request =
            leave::decide(ctx.db()?, ctx.actor()?, ctx.events()?, id, approve, input.note).await.under("input")?;
        Ok(LeaveRequestPayload { leave_request: LeaveRequest(request) })
    }

    /// Closes an activity: every invitee without a mark turns absent, in one audited
    /// transaction; a planned activity becomes done.
    async fn close_activity(&self, ctx: &Context<'_>, input: CloseActivityInput) -> Result<ActivityPayload> {
        let id = decode_id(Kind::Activity, &input.id, "id").under("input")?;
        let activity = service::close(ctx.db()?, ctx.actor()?, id).await.under("input")?;
        Ok(ActivityPayload { activity: Activity(activity) })
    }

    /// Adds invitees (应出席) to an activity; each is told.
    async fn invite_members(&self, ctx: &Context<'_>, input: InvitationsInput) -> Result<ActivityPayload> {
        let id = decode_id(Kind::Activity, &input.activity_id, "activityId").under("input")?;
        let members = member_ids(&input.member_ids).under("input")?;
        let activity = service::invite(ctx.db()?, ctx.actor()?, ctx.events()?, id, members).await.under("input")?;
        Ok(ActivityPayload { activity: Activity(activity) })
    }

    /// Removes invitees: an unmarked invitation is deleted, a marked one stays as 列席.
    async fn uninvite_members(&self, ctx: &Context<'_>, input: InvitationsInput) -> Result<ActivityPayload> {
        let id = decode_id(Kind::Activity, &input.activity_id, "activityId").under("input")?;
        let members = member_ids(&input.member_ids).under("input")?;
        let activity = service::uninvite(ctx.db()?, ctx.actor()?, id, members).await.under("input")?;
        Ok(ActivityPayload { activity: Activity(activity) })
    }

    /// Reads a sign-in sheet (签到表, a GraphQL multipart upload) and signs its members in; all
    /// or nothing, every bad row named.
    async fn import_sign_in_sheet(
        &self,
        ctx: &Context<'_>,
        input: ImportSignInSheetInput,
    ) -> Result<ImportSignInSheetPayload> {
        let id = decode_id(Kind::Activity, &input.activity_id, "activityId").under("input")?;
        let bytes = uploaded(ctx, &input.file).under("input")?;
        let report =
            sheet::import_sign_in(ctx.db()?, ctx.actor()?, id, bytes, input.others_present).await.under("input")?;
        Ok(ImportSignInSheetPayload {
            activity: Activity(report.activity),
            marked: report.marked,
            errors: crate::cost::capped(report.errors, crate::cost::IMPORT_ERRORS)
                .into_iter()
                .map(|e| ImportError { line: e.line, column: e.column, message: e.message })
                .collect(),
            applied: report.applied,
        })
    }

    /// Signs members in (签到): sets the listed marks and, with `othersPresent`, marks every
    /// other invitee still without a mark present. One transaction.
    async fn sign_in(&self, ctx: &Context<'_>, input: SignInInput) -> Result<ActivityPayload> {
        let id = decode_id(Kind::Activity, &input.activity_id, "activityId").under("input")?;
        let marks = participants_at(input.marks, "marks").under("input")?;
        let activity =
            service::sign_in(ctx.db()?, ctx.actor()?, id, marks, input.others_present).await.under("input")?;
        Ok(ActivityPayload { activity: Activity(activity) })
    }
}

/// Subscriptions to invitations and leave decisions.
#[derive(Default)]
pub struct AttendanceSubscription;

#[Subscription]
impl AttendanceSubscription {
    /// Each activity a member is invited to from now on: a member account hears of its own
    /// invitations; staff of `memberId`'s, or (without it) of every activity with new
    /// invitations.
    async fn invitation_received(
        &self,
        ctx: &Context<'_>,
        member_id: Option<ID>,
    ) -> Result<impl Stream<Item = Activity> + use<>> {
        let member = decode_opt(Kind::Member, member_id.as_ref(), "memberId")?;
        let (receiver, wanted) = leave::invitations(ctx.actor()?, ctx.events()?, member)?;
        Ok(futures_util::stream::unfold(receiver, move |mut receiver| async move {
            loop {
                match receiver.recv().await {
                    Ok(Event::Invited { activity, members })
                        if wanted.is_none_or(|m| members.binary_search(&m).is_ok()) =>
                    {
                        return Some((Activity(activity), receiver));
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                }
            }
        }))
    }

    /// Each decision on a request for leave from now on: a member account hears of its own;
    /// staff of `memberId`'s, or of everyone's.
    async fn leave_decided(
        &self,
        ctx: &Context<'_>,
        member_id: Option<ID>,
    ) -> Result<impl Stream<Item = LeaveRequest> + use<>> {
        let member = decode_opt(Kind::Member, member_id.as_ref(), "memberId")?;
        let (receiver, wanted) = leave::decisions(ctx.actor()?, ctx.events()?, member)?;
        Ok(futures_util::stream::unfold(receiver, move |mut receiver| async move {
            loop {
                match receiver.recv().await {
                    Ok(Event::LeaveDecided(request)) if wanted.is_none_or(|m| m == request.member_id) => {
                        return Some((LeaveRequest(request), receiver));
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                }
            }
        }))
    }
}
