//! Public-opinion reports in the API: types, queries and mutations.

use crate::member::loader::MemberLoaders;
use crate::opinion::loader::OpinionLoaders;
use crate::proposal::loader::ProposalLoaders;
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use super::service::{self, NewAdoption, NewInstruction, NewOpinionReport, OpinionFilter, ReportChanges};
use crate::{
    context::ContextExt,
    error::{AppError, AppResult, Under},
    loader,
    member::graphql::Member,
    pagination::Counter,
    pagination::{Page, PageArgs},
    proposal::graphql::Proposal,
    relay::{CountedConnection, Kind, TotalCount, connection, decode_id, decode_opt, encode_id},
    signed::graphql::{SignerInput, decode as decode_signers},
};
use entity::{
    enums::{AdoptionLevel, InstructionLevel, OpinionStatus, SignerRole},
    opinion_adoption, opinion_author, opinion_report,
};

/// Primes the loaders for what a page of reports selects: one query per relation and level.
async fn prefetch(ctx: &Context<'_>, rows: &[&opinion_report::Model]) -> Result<(), AppError> {
    prefetch_for(ctx.loaders()?, ctx.actor()?, &ctx.look_ahead(), rows).await
}

/// [`prefetch`] for the connection that `look` selects, with `l`'s loaders: a parent list
/// (a page of members) primes all its members' lists at once through this.
pub(crate) async fn prefetch_for(
    l: &crate::loader::Loaders,
    actor: &crate::auth::Actor,
    look: &async_graphql::Lookahead<'_>,
    rows: &[&opinion_report::Model],
) -> Result<(), AppError> {
    let wants = |path: &[&str]| crate::relay::selects(look, path);
    let ids = || rows.iter().map(|r| r.id);
    if wants(&["authors"]) {
        let authors = loader::many(&l.get::<OpinionLoaders>().authors_by_opinion_report, ids()).await?;
        if wants(&["authors", "member"]) {
            loader::many(&l.get::<MemberLoaders>().member, authors.iter().flatten().map(|a| a.member_id)).await?;
        }
    }
    if wants(&["adoptions"]) {
        loader::many(&l.get::<OpinionLoaders>().adoptions_by_opinion_report, ids()).await?;
    }
    if wants(&["sourceProposal"]) {
        let scope = crate::proposal::service::readable(actor)?;
        let keys = rows.iter().filter_map(|r| r.source_proposal_id).map(|id| (id, scope));
        loader::many(&l.get::<ProposalLoaders>().readable, keys).await?;
    }
    Ok(())
}

/// Builds a report connection from a page, priming the loaders for what its nodes select.
pub(crate) async fn opinion_connection(
    ctx: &Context<'_>,
    page: Page<opinion_report::Model>,
    count: Counter,
) -> Result<CountedConnection<OpinionReport>, AppError> {
    let rows: Vec<&opinion_report::Model> = page.rows.iter().map(|(_, r)| r).collect();
    prefetch(ctx, &rows).await?;
    Ok(connection(page, TotalCount::new(count), OpinionReport))
}

/// A public-opinion report (社情民意信息).
pub struct OpinionReport(pub opinion_report::Model);

impl OpinionReport {
    /// The report `id`, if the viewer may see it: NOT_FOUND when it is absent or hidden,
    /// FORBIDDEN when the role reads no reports (`node(id)` and `opinionReport(id)`).
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::find(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }
}

#[Object]
impl OpinionReport {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::OpinionReport, self.0.id)
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
    /// The year it counts in.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The day it was submitted.
    async fn submitted_on(&self) -> NaiveDate {
        self.0.submitted_on
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Body text.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// Characters in the body (guidance: at most 1500).
    async fn body_length(&self) -> i32 {
        i32::try_from(self.0.body.chars().count()).unwrap_or(i32::MAX)
    }
    /// Where it stands.
    async fn status(&self) -> OpinionStatus {
        self.0.status
    }
    /// Chinese label of the state.
    async fn status_label(&self) -> &'static str {
        self.0.status.label()
    }
    /// The authors: the first author, then co-authors (at most 30).
    #[graphql(complexity = "crate::cost::list(crate::cost::SIGNERS, child_complexity)")]
    async fn authors(&self, ctx: &Context<'_>) -> Result<Vec<OpinionAuthor>> {
        let mut rows = loader::one(&ctx.loaders()?.get::<OpinionLoaders>().authors_by_opinion_report, self.0.id)
            .await?
            .unwrap_or_default();
        rows.sort_by_key(|a| (a.role != SignerRole::First, a.id));
        Ok(crate::cost::capped(rows, crate::cost::SIGNERS).into_iter().map(OpinionAuthor).collect())
    }
    /// Its adoptions, oldest first, with any leaders' instructions (at most 20).
    #[graphql(complexity = "crate::cost::list(crate::cost::ADOPTIONS, child_complexity)")]
    async fn adoptions(&self, ctx: &Context<'_>) -> Result<Vec<OpinionAdoption>> {
        let rows = loader::one(&ctx.loaders()?.get::<OpinionLoaders>().adoptions_by_opinion_report, self.0.id)
            .await?
            .unwrap_or_default();
        Ok(crate::cost::capped(rows, crate::cost::ADOPTIONS).into_iter().map(OpinionAdoption).collect())
    }
    /// The proposal it was converted from (转社情民意); that proposal no longer counts as one.
    /// Null when the viewer may not see that proposal.
    async fn source_proposal(&self, ctx: &Context<'_>) -> Result<Option<Proposal>> {
        let Some(id) = self.0.source_proposal_id else { return Ok(None) };
        let scope = crate::proposal::service::readable(ctx.actor()?)?;
        Ok(loader::one(&ctx.loaders()?.get::<ProposalLoaders>().readable, (id, scope)).await?.map(Proposal))
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// An author of a public-opinion report.
pub struct OpinionAuthor(pub opinion_author::Model);

#[Object]
impl OpinionAuthor {
    /// The member.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        Ok(loader::one(&ctx.loaders()?.get::<MemberLoaders>().member, self.0.member_id).await?.map(Member))
    }
    /// First author or co-author.
    async fn role(&self) -> SignerRole {
        self.0.role
    }
    /// Chinese label of the role.
    async fn role_label(&self) -> &'static str {
        self.0.role.label()
    }
}

/// An adoption (采用) of a report, with any leader's instruction (领导批示).
pub struct OpinionAdoption(pub opinion_adoption::Model);

#[Object]
impl OpinionAdoption {
    /// Who adopted it.
    async fn level(&self) -> AdoptionLevel {
        self.0.level
    }
    /// Chinese label of the level.
    async fn level_label(&self) -> &'static str {
        self.0.level.label()
    }
    /// The day it was adopted.
    async fn adopted_on(&self) -> NaiveDate {
        self.0.adopted_on
    }
    /// The channel, e.g. "《社情民意》2024年第12期".
    async fn channel(&self) -> Option<&str> {
        self.0.channel.as_deref()
    }
    /// The level of the leader who gave an instruction on it.
    async fn instruction_level(&self) -> Option<InstructionLevel> {
        self.0.instruction_level
    }
    /// Chinese label of the instruction's level.
    async fn instruction_level_label(&self) -> Option<&'static str> {
        self.0.instruction_level.map(InstructionLevel::label)
    }
    /// The leader who gave the instruction.
    async fn instruction_leader(&self) -> Option<&str> {
        self.0.instruction_leader.as_deref()
    }
    /// The instruction.
    async fn instruction_text(&self) -> Option<&str> {
        self.0.instruction_text.as_deref()
    }
}

/// Which reports to list.
#[derive(InputObject, Default)]
pub struct OpinionReportFilter {
    /// Of this year.
    pub year: Option<i32>,
    /// In this state.
    pub status: Option<OpinionStatus>,
    /// Written by this member.
    pub member_id: Option<ID>,
    /// Adopted at this level.
    pub adoption_level: Option<AdoptionLevel>,
    /// Converted from a proposal (true) or written as reports (false).
    pub from_proposal: Option<bool>,
}

/// Queries of public-opinion reports.
#[derive(Default)]
pub struct OpinionQuery;

#[Object]
impl OpinionQuery {
    /// Reports the viewer may see, newest first: everything for office, committee and studio
    /// staff; their own for members.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn opinion_reports(
        &self,
        ctx: &Context<'_>,
        filter: Option<OpinionReportFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<OpinionReport>> {
        let filter = OpinionFilter::try_from(filter.unwrap_or_default()).under("filter")?;
        let args = PageArgs { first, after, last, before };
        let (page, count) = service::list(ctx.db()?, ctx.actor()?, filter, &args).await?;
        Ok(opinion_connection(ctx, page, count).await?)
    }

    /// One report by ID; null when there is none the viewer may see.
    async fn opinion_report(&self, ctx: &Context<'_>, id: ID) -> Result<Option<OpinionReport>> {
        let id = decode_id(Kind::OpinionReport, &id, "id")?;
        match OpinionReport::find(ctx, id).await {
            Ok(r) => Ok(Some(r)),
            Err(AppError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// A report to submit.
#[derive(InputObject)]
pub struct SubmitOpinionReportInput {
    /// The authors: exactly one FIRST and any number of CO.
    pub authors: Vec<SignerInput>,
    /// Title.
    pub title: String,
    /// Body (guidance: at most 1500 characters; longer is stored with a warning).
    pub body: String,
    /// Submission day; today when absent.
    pub submitted_on: Option<NaiveDate>,
}

/// A leader's instruction (领导批示).
#[derive(InputObject)]
pub struct InstructionInput {
    /// The leader's level.
    pub level: InstructionLevel,
    /// The leader.
    pub leader: Option<String>,
    /// The instruction.
    pub text: Option<String>,
}

/// An adoption to record.
#[derive(InputObject)]
pub struct RecordOpinionAdoptionInput {
    /// The report.
    pub id: ID,
    /// Who adopted it.
    pub level: AdoptionLevel,
    /// The day; today when absent.
    pub adopted_on: Option<NaiveDate>,
    /// The channel, e.g. "《社情民意》2024年第12期".
    pub channel: Option<String>,
    /// A leader's instruction on it.
    pub instruction: Option<InstructionInput>,
}

/// A report to mark as not adopted.
#[derive(InputObject)]
pub struct MarkOpinionReportNotAdoptedInput {
    /// The report.
    pub id: ID,
}

/// Corrections to a report awaiting a decision. Absent fields stay as they are.
#[derive(InputObject)]
pub struct UpdateOpinionReportInput {
    /// The report.
    pub id: ID,
    /// Title.
    pub title: Option<String>,
    /// Body (guidance: at most 1500 characters; longer is stored with a warning).
    pub body: Option<String>,
    /// Submission day; the report's year follows it (a report converted from a proposal keeps
    /// the proposal's year).
    pub submitted_on: Option<NaiveDate>,
    /// The authors: the whole list (exactly one FIRST and any number of CO), replacing the
    /// stored one. A member correcting their report stays its first author.
    pub authors: Option<Vec<SignerInput>>,
}

/// A report to withdraw.
#[derive(InputObject)]
pub struct WithdrawOpinionReportInput {
    /// The report.
    pub id: ID,
}

impl TryFrom<UpdateOpinionReportInput> for (i64, ReportChanges) {
    type Error = AppError;

    fn try_from(input: UpdateOpinionReportInput) -> AppResult<Self> {
        let id = report_id(&input.id)?;
        let authors = input.authors.map(|a| decode_signers(a, "authors")).transpose()?;
        Ok((id, ReportChanges { title: input.title, body: input.body, submitted_on: input.submitted_on, authors }))
    }
}

impl TryFrom<OpinionReportFilter> for OpinionFilter {
    type Error = AppError;

    fn try_from(f: OpinionReportFilter) -> AppResult<Self> {
        Ok(Self {
            year: f.year,
            status: f.status,
            member_id: decode_opt(Kind::Member, f.member_id.as_ref(), "memberId")?,
            adoption_level: f.adoption_level,
            from_proposal: f.from_proposal,
        })
    }
}

impl TryFrom<SubmitOpinionReportInput> for NewOpinionReport {
    type Error = AppError;

    fn try_from(input: SubmitOpinionReportInput) -> AppResult<Self> {
        Ok(Self {
            authors: decode_signers(input.authors, "authors")?,
            title: input.title,
            body: input.body,
            submitted_on: input.submitted_on,
        })
    }
}

impl From<InstructionInput> for NewInstruction {
    fn from(i: InstructionInput) -> Self {
        Self { level: i.level, leader: i.leader, text: i.text }
    }
}

impl From<RecordOpinionAdoptionInput> for NewAdoption {
    fn from(input: RecordOpinionAdoptionInput) -> Self {
        Self {
            level: input.level,
            adopted_on: input.adopted_on,
            channel: input.channel,
            instruction: input.instruction.map(NewInstruction::from),
        }
    }
}

/// The report an input names in its `id`.
fn report_id(id: &ID) -> AppResult<i64> {
    decode_id(Kind::OpinionReport, id, "id")
}

/// The result of a report mutation.
#[derive(SimpleObject)]
pub struct OpinionReportPayload {
    /// The report as stored.
    pub opinion_report: OpinionReport,
    /// Guidance the input did not follow (the report is stored all the same), e.g. a body over
    /// 1500 characters.
    #[graphql(complexity = "crate::cost::list(crate::cost::WARNINGS, child_complexity)")]
    pub warnings: Vec<String>,
}

/// Mutations of public-opinion reports.
#[derive(Default)]
pub struct OpinionMutation;

#[Object]
impl OpinionMutation {
    /// Submits a report (office staff for anyone; a member as its first author).
    async fn submit_opinion_report(
        &self,
        ctx: &Context<'_>,
        input: SubmitOpinionReportInput,
    ) -> Result<OpinionReportPayload> {
        let new = NewOpinionReport::try_from(input).under("input")?;
        let s = service::submit(ctx.db()?, ctx.actor()?, new).await.under("input")?;
        Ok(OpinionReportPayload {
            opinion_report: OpinionReport(s.report),
            warnings: crate::cost::capped(s.warnings, crate::cost::WARNINGS),
        })
    }

    /// Records an adoption at a level, with any leader's instruction.
    async fn record_opinion_adoption(
        &self,
        ctx: &Context<'_>,
        input: RecordOpinionAdoptionInput,
    ) -> Result<OpinionReportPayload> {
        let id = report_id(&input.id).under("input")?;
        let report = service::record_adoption(ctx.db()?, ctx.actor()?, id, input.into()).await.under("input")?;
        Ok(OpinionReportPayload { opinion_report: OpinionReport(report), warnings: Vec::new() })
    }

    /// Marks a submitted report as not adopted (未采用).
    async fn mark_opinion_report_not_adopted(
        &self,
        ctx: &Context<'_>,
        input: MarkOpinionReportNotAdoptedInput,
    ) -> Result<OpinionReportPayload> {
        let id = report_id(&input.id).under("input")?;
        let report = service::mark_not_adopted(ctx.db()?, ctx.actor()?, id).await.under("input")?;
        Ok(OpinionReportPayload { opinion_report: OpinionReport(report), warnings: Vec::new() })
    }

    /// Corrects a report awaiting a decision (SUBMITTED): its title, body, submission day or
    /// authors. Office staff any report; a member only one they wrote first.
    async fn update_opinion_report(
        &self,
        ctx: &Context<'_>,
        input: UpdateOpinionReportInput,
    ) -> Result<OpinionReportPayload> {
        let (id, changes) = <(i64, ReportChanges)>::try_from(input).under("input")?;
        let s = service::update(ctx.db()?, ctx.actor()?, id, changes).await.under("input")?;
        Ok(OpinionReportPayload {
            opinion_report: OpinionReport(s.report),
            warnings: crate::cost::capped(s.warnings, crate::cost::WARNINGS),
        })
    }

    /// Withdraws a report before a decision (已撤回): it stays on record and counts nowhere.
    /// Office staff any report; a member only one they wrote first.
    async fn withdraw_opinion_report(
        &self,
        ctx: &Context<'_>,
        input: WithdrawOpinionReportInput,
    ) -> Result<OpinionReportPayload> {
        let id = report_id(&input.id).under("input")?;
        let report = service::withdraw(ctx.db()?, ctx.actor()?, id).await.under("input")?;
        Ok(OpinionReportPayload { opinion_report: OpinionReport(report), warnings: Vec::new() })
    }
}
