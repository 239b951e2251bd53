//! Duty items in the API, and `Member.dutyItems`.

use crate::duty::loader::DutyLoaders;
use crate::member::loader::MemberLoaders;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::service::{self, DutyItemChanges, DutyItemFilter, NewDutyItem};
use crate::{
    context::ContextExt,
    error::{AppError, Under},
    loader,
    member::graphql::Member,
    pagination::PageArgs,
    relay::{CountedConnection, Kind, TotalCount, connection, decode_id, encode_id, nodes_select},
};
use entity::{
    duty_item,
    enums::{DutyItemKind, DutyItemStatus},
};

/// Another duty item (其他履职事项) of a member, confirmed or rejected by the office.
pub struct DutyItem(pub duty_item::Model);

impl DutyItem {
    /// The duty item `id` for `node(id:)`: NOT_FOUND when there is none, FORBIDDEN when the
    /// actor may not read its member's duty records.
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::find(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }
}

#[Object]
impl DutyItem {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::DutyItem, self.0.id)
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
    /// The member.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        Ok(loader::one(&ctx.loaders()?.get::<MemberLoaders>().member, self.0.member_id).await?.map(Member))
    }
    /// Type.
    async fn kind(&self) -> DutyItemKind {
        self.0.kind
    }
    /// Chinese label of the type, e.g. "调研报告".
    async fn kind_label(&self) -> &'static str {
        self.0.kind.label()
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The day it happened or was published.
    async fn date(&self) -> NaiveDate {
        self.0.date
    }
    /// Evidence.
    async fn evidence(&self) -> Option<&str> {
        self.0.evidence.as_deref()
    }
    /// Suggestions made (建议条数).
    async fn suggestions(&self) -> i32 {
        self.0.suggestions
    }
    /// Submitted, confirmed or rejected.
    async fn status(&self) -> DutyItemStatus {
        self.0.status
    }
    /// Chinese label of the status.
    async fn status_label(&self) -> &'static str {
        self.0.status.label()
    }
    /// The reviewer's note (the reason for a rejection).
    async fn review_note(&self) -> Option<&str> {
        self.0.review_note.as_deref()
    }
    /// When it was confirmed or rejected.
    async fn reviewed_at(&self) -> Option<DateTime<Utc>> {
        self.0.reviewed_at
    }
    /// When it was submitted.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// `Member.dutyItems(year, status)`: the member's items (newest first) through the page-wide
/// loader; a member has a handful a year, so the list is not paged.
pub async fn member_duty_items(
    ctx: &Context<'_>,
    member_id: i64,
    year: Option<i32>,
    status: Option<DutyItemStatus>,
) -> Result<Vec<DutyItem>> {
    let of = service::items_of(ctx.actor()?, member_id)?;
    let mut rows =
        loader::one(&ctx.loaders()?.get::<DutyLoaders>().duty_items_by_member, of.member()).await?.unwrap_or_default();
    rows.retain(|r| year.is_none_or(|y| r.date.year() == y) && status.is_none_or(|s| r.status == s));
    rows.sort_by(|a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    Ok(crate::cost::capped(rows, crate::cost::MEMBER_DUTY_ITEMS).into_iter().map(DutyItem).collect())
}

/// Which duty items to list.
#[derive(InputObject, Default)]
pub struct DutyItemFilterInput {
    /// Of this member.
    pub member_id: Option<ID>,
    /// Of this type.
    pub kind: Option<DutyItemKind>,
    /// In this state (SUBMITTED: waiting for review).
    pub status: Option<DutyItemStatus>,
    /// Dated in this year.
    pub year: Option<i32>,
    /// Voided items too (作废; ADMIN and OFFICE only, ignored for other roles). Default: voided
    /// items are left out.
    pub include_voided: Option<bool>,
}

/// Queries of duty items.
#[derive(Default)]
pub struct DutyQuery;

#[Object]
impl DutyQuery {
    /// Duty items, newest first. A member account lists only its own.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn duty_items(
        &self,
        ctx: &Context<'_>,
        filter: Option<DutyItemFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<DutyItem>> {
        let filter = DutyItemFilter::try_from(filter.unwrap_or_default()).under("filter")?;
        let args = PageArgs { first, after, last, before };
        let (page, count) = service::list(ctx.db()?, ctx.actor()?, filter, &args).await?;
        if nodes_select(ctx, &["member"]) {
            loader::many(&ctx.loaders()?.get::<MemberLoaders>().member, page.rows.iter().map(|(_, d)| d.member_id))
                .await?;
        }
        Ok(connection(page, TotalCount::new(count), DutyItem))
    }
}

/// A duty item to submit.
#[derive(InputObject)]
pub struct SubmitDutyItemInput {
    /// The member (default: the signed-in member).
    pub member_id: Option<ID>,
    /// Type.
    pub kind: DutyItemKind,
    /// Title.
    pub title: String,
    /// The day it happened or was published.
    pub date: NaiveDate,
    /// Evidence: where it was published, who awarded it, what it achieved.
    pub evidence: Option<String>,
    /// Suggestions made (建议条数).
    #[graphql(default)]
    pub suggestions: i32,
}

/// A duty item to confirm.
#[derive(InputObject)]
pub struct ConfirmDutyItemInput {
    /// The item.
    pub id: ID,
    /// A note.
    pub note: Option<String>,
}

/// A duty item to reject.
#[derive(InputObject)]
pub struct RejectDutyItemInput {
    /// The item.
    pub id: ID,
    /// Why it is rejected.
    pub reason: String,
}

/// A decided duty item to reopen.
#[derive(InputObject)]
pub struct ReopenDutyItemInput {
    /// The item (CONFIRMED or REJECTED).
    pub id: ID,
    /// Why it is reopened (kept as its review note until it is decided again).
    pub reason: String,
}

/// Corrections to a duty item's own fields. Absent fields stay as they are; null clears
/// `evidence`.
#[derive(InputObject)]
pub struct UpdateDutyItemInput {
    /// The item.
    pub id: ID,
    /// Type.
    pub kind: Option<DutyItemKind>,
    /// Title.
    pub title: Option<String>,
    /// The day it happened or was published.
    pub date: Option<NaiveDate>,
    /// Evidence: where it was published, who awarded it, what it achieved (null clears it).
    #[graphql(default)]
    pub evidence: MaybeUndefined<String>,
    /// Suggestions made (建议条数), not negative.
    pub suggestions: Option<i32>,
}

/// The result of the duty-item mutations.
#[derive(SimpleObject)]
pub struct DutyItemPayload {
    /// The item as stored.
    pub duty_item: DutyItem,
}

/// Mutations of duty items.
#[derive(Default)]
pub struct DutyMutation;

#[Object]
impl DutyMutation {
    /// Submits a duty item (by the member, or by the office for a member) for confirmation.
    async fn submit_duty_item(&self, ctx: &Context<'_>, input: SubmitDutyItemInput) -> Result<DutyItemPayload> {
        let new = NewDutyItem::try_from(input).under("input")?;
        let item = service::submit(ctx.db()?, ctx.actor()?, new).await.under("input")?;
        Ok(DutyItemPayload { duty_item: DutyItem(item) })
    }

    /// Confirms a submitted duty item (office).
    async fn confirm_duty_item(&self, ctx: &Context<'_>, input: ConfirmDutyItemInput) -> Result<DutyItemPayload> {
        let id = decode_id(Kind::DutyItem, &input.id, "id").under("input")?;
        let item = service::review(ctx.db()?, ctx.actor()?, id, true, input.note).await.under("input")?;
        Ok(DutyItemPayload { duty_item: DutyItem(item) })
    }

    /// Rejects a submitted duty item with a reason (office).
    async fn reject_duty_item(&self, ctx: &Context<'_>, input: RejectDutyItemInput) -> Result<DutyItemPayload> {
        let id = decode_id(Kind::DutyItem, &input.id, "id").under("input")?;
        let item = service::review(ctx.db()?, ctx.actor()?, id, false, Some(input.reason)).await.under("input")?;
        Ok(DutyItemPayload { duty_item: DutyItem(item) })
    }

    /// Corrects a duty item's type, title, date, evidence or suggestions, checked as when
    /// submitting: the member who submitted it while it awaits review (a decided item is
    /// CONFLICT), the office any item that is not voided (a confirmed item stays confirmed and
    /// counts as corrected).
    async fn update_duty_item(&self, ctx: &Context<'_>, input: UpdateDutyItemInput) -> Result<DutyItemPayload> {
        let (id, changes) = <(i64, DutyItemChanges)>::try_from(input).under("input")?;
        let item = service::update(ctx.db()?, ctx.actor()?, id, changes).await.under("input")?;
        Ok(DutyItemPayload { duty_item: DutyItem(item) })
    }

    /// Reopens a confirmed or rejected duty item with a reason (office): it is SUBMITTED again,
    /// to be confirmed or rejected anew, and counts as submitted until then.
    async fn reopen_duty_item(&self, ctx: &Context<'_>, input: ReopenDutyItemInput) -> Result<DutyItemPayload> {
        let id = decode_id(Kind::DutyItem, &input.id, "id").under("input")?;
        let item = service::reopen(ctx.db()?, ctx.actor()?, id, &input.reason).await.under("input")?;
        Ok(DutyItemPayload { duty_item: DutyItem(item) })
    }
}

impl TryFrom<DutyItemFilterInput> for DutyItemFilter {
    type Error = AppError;

    fn try_from(f: DutyItemFilterInput) -> Result<Self, AppError> {
        Ok(Self {
            member_id: f.member_id.as_ref().map(|id| decode_id(Kind::Member, id, "memberId")).transpose()?,
            kind: f.kind,
            status: f.status,
            year: f.year,
            include_voided: f.include_voided,
        })
    }
}

impl TryFrom<SubmitDutyItemInput> for NewDutyItem {
    type Error = AppError;

    fn try_from(input: SubmitDutyItemInput) -> Result<Self, AppError> {
        Ok(Self {
            member_id: input.member_id.as_ref().map(|id| decode_id(Kind::Member, id, "memberId")).transpose()?,
            kind: input.kind,
            title: input.title,
            date: input.date,
            evidence: input.evidence,
            suggestions: input.suggestions,
        })
    }
}

impl TryFrom<UpdateDutyItemInput> for (i64, DutyItemChanges) {
    type Error = AppError;

    fn try_from(input: UpdateDutyItemInput) -> Result<Self, AppError> {
        Ok((
            decode_id(Kind::DutyItem, &input.id, "id")?,
            DutyItemChanges {
                kind: input.kind,
                title: input.title,
                date: input.date,
                evidence: input.evidence.into(),
                suggestions: input.suggestions,
            },
        ))
    }
}
