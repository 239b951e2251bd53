//! Exit cases in the API: `exitCases`, `exitCase`, `openExitCase`, `advanceExitCase`, and the
//! cases' arm of `node(id:)`.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::NaiveDate;

use super::{
    loader::ExitLoaders,
    service::{self, ExitCaseFilter, NewExitCase, NewStep, Origin},
};
use crate::{
    context::ContextExt,
    error::{AppError, AppResult, Under},
    loader,
    member::{
        graphql::{Member, Seat},
        loader::MemberLoaders,
    },
    organisation::loader::OrganisationLoaders,
    pagination::PageArgs,
    relay::{CountedConnection, Kind, TotalCount, connection, decode_id, decode_opt, encode_id, nodes_select},
};
use entity::{
    enums::{ConsequenceFlag, ExitCaseSource, ExitCaseStatus, ExitOutcome, ExitStep},
    exit_case, exit_case_step,
};

/// An exit case (委员退出): a member's seat under review, from an assessment flag or opened by
/// hand, through 提醒谈话 → 约谈 → 劝辞 or 责令辞职 → the standing committee's decision.
pub struct ExitCase(pub exit_case::Model);

impl ExitCase {
    /// The case `id` for `node(id:)`: NOT_FOUND when there is none or it is another member's.
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::find(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }
}

#[Object]
impl ExitCase {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::ExitCase, self.0.id)
    }
    /// The member.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        Ok(loader::one(&ctx.loaders()?.get::<MemberLoaders>().member, self.0.member_id).await?.map(Member))
    }
    /// The seat under review; the decision sets its status.
    async fn seat(&self, ctx: &Context<'_>) -> Result<Option<Seat>> {
        Ok(loader::one(&ctx.loaders()?.get::<ExitLoaders>().seat, self.0.seat_id).await?.map(Seat))
    }
    /// How the case was opened.
    async fn source(&self) -> ExitCaseSource {
        self.0.source
    }
    /// Chinese label of the source.
    async fn source_label(&self) -> &'static str {
        self.0.source.label()
    }
    /// The assessment result whose flag opened the case, if one did.
    async fn member_assessment_id(&self) -> Option<ID> {
        self.0.member_assessment_id.map(|id| encode_id(Kind::MemberAssessment, id))
    }
    /// The flag that opened the case (REMINDER_TALK or PERSUADE_RESIGN), if one did.
    async fn flag(&self) -> Option<ConsequenceFlag> {
        self.0.flag
    }
    /// Why the case was opened.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// The day the case was opened.
    async fn opened_on(&self) -> NaiveDate {
        self.0.opened_on
    }
    /// Who opened it (an account's username).
    async fn opened_by(&self) -> &str {
        &self.0.opened_by
    }
    /// OPEN or DECIDED.
    async fn status(&self) -> ExitCaseStatus {
        self.0.status
    }
    /// Chinese label of the status.
    async fn status_label(&self) -> &'static str {
        self.0.status.label()
    }
    /// The latest step taken; null before the first.
    async fn stage(&self) -> Option<ExitStep> {
        self.0.stage
    }
    /// The steps that may be recorded next (empty once decided).
    #[graphql(complexity = "crate::cost::list(ExitStep::ALL.len(), child_complexity)")]
    async fn next_steps(&self) -> Vec<ExitStep> {
        match self.0.status {
            ExitCaseStatus::Decided => Vec::new(),
            ExitCaseStatus::Open => service::allowed_next(self.0.stage).to_vec(),
        }
    }
    /// The outcomes a decision may reach now (ending the seat only after 劝辞 or 责令辞职).
    #[graphql(complexity = "crate::cost::list(ExitOutcome::ALL.len(), child_complexity)")]
    async fn possible_outcomes(&self) -> Vec<ExitOutcome> {
        match self.0.status {
            ExitCaseStatus::Decided => Vec::new(),
            ExitCaseStatus::Open => service::allowed_outcomes(self.0.stage).to_vec(),
        }
    }
    /// The standing committee's decision, once taken.
    async fn outcome(&self) -> Option<ExitOutcome> {
        self.0.outcome
    }
    /// Chinese label of the decision.
    async fn outcome_label(&self) -> Option<&'static str> {
        self.0.outcome.map(ExitOutcome::label)
    }
    /// The day of the decision.
    async fn decided_on(&self) -> Option<NaiveDate> {
        self.0.decided_on
    }
    /// The steps taken, in order (one of each kind at most).
    #[graphql(complexity = "crate::cost::list(ExitStep::ALL.len(), child_complexity)")]
    async fn steps(&self, ctx: &Context<'_>) -> Result<Vec<ExitCaseStep>> {
        let steps = loader::one(&ctx.loaders()?.get::<ExitLoaders>().steps, self.0.id).await?.unwrap_or_default();
        Ok(steps.into_iter().map(ExitCaseStep).collect())
    }
}

/// One step of an exit case.
pub struct ExitCaseStep(pub exit_case_step::Model);

#[Object]
impl ExitCaseStep {
    /// The step.
    async fn step(&self) -> ExitStep {
        self.0.step
    }
    /// Chinese label of the step, e.g. "约谈".
    async fn step_label(&self) -> &'static str {
        self.0.step.label()
    }
    /// The day it was taken.
    async fn taken_on(&self) -> NaiveDate {
        self.0.taken_on
    }
    /// Who took it (for the decision: the meeting).
    async fn taken_by(&self) -> &str {
        &self.0.taken_by
    }
    /// What was said or decided.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// DECISION: what was decided.
    async fn outcome(&self) -> Option<ExitOutcome> {
        self.0.outcome
    }
    /// Who recorded it (an account's username).
    async fn recorded_by(&self) -> &str {
        &self.0.recorded_by
    }
}

/// Which exit cases to list.
#[derive(InputObject, Default)]
pub struct ExitCaseFilterInput {
    /// Of this member.
    pub member_id: Option<ID>,
    /// In this state.
    pub status: Option<ExitCaseStatus>,
}

impl TryFrom<ExitCaseFilterInput> for ExitCaseFilter {
    type Error = AppError;

    fn try_from(input: ExitCaseFilterInput) -> AppResult<Self> {
        Ok(Self { member_id: decode_opt(Kind::Member, input.member_id.as_ref(), "memberId")?, status: input.status })
    }
}

/// A case to open: give exactly one of `memberId` (by hand, with a reason) and
/// `memberAssessmentId` (a result of a confirmed or published run carrying a 提醒谈话 or 劝辞
/// flag).
#[derive(InputObject)]
pub struct OpenExitCaseInput {
    /// The member, for a case opened by hand (their serving seat is the one reviewed).
    pub member_id: Option<ID>,
    /// The flagged assessment result the case comes from.
    pub member_assessment_id: Option<ID>,
    /// Why (required by hand; for a flag, defaults to the flag and year).
    pub reason: Option<String>,
    /// The day it is opened (default: today).
    pub opened_on: Option<NaiveDate>,
}

impl TryFrom<OpenExitCaseInput> for NewExitCase {
    type Error = AppError;

    fn try_from(input: OpenExitCaseInput) -> AppResult<Self> {
        let origin = match (&input.member_id, &input.member_assessment_id) {
            (Some(m), None) => Origin::Member(decode_id(Kind::Member, m, "memberId")?),
            (None, Some(r)) => Origin::Assessment(decode_id(Kind::MemberAssessment, r, "memberAssessmentId")?),
            (Some(_), Some(_)) => {
                return Err(AppError::bad_field(
                    "memberAssessmentId",
                    "give either memberId or memberAssessmentId, not both",
                ));
            }
            (None, None) => {
                return Err(AppError::bad_field("memberId", "give memberId (by hand) or memberAssessmentId (a flag)"));
            }
        };
        Ok(Self { origin, reason: input.reason, opened_on: input.opened_on })
    }
}

/// The next step of an open case.
#[derive(InputObject)]
pub struct AdvanceExitCaseInput {
    /// The case.
    pub id: ID,
    /// The step: one of the case's `nextSteps`.
    pub step: ExitStep,
    /// The day it was taken (not before the case's last step).
    pub taken_on: NaiveDate,
    /// Who took it (for the decision: the meeting, e.g. "第十届常委会第十二次会议").
    pub taken_by: String,
    /// What was said or decided.
    pub note: Option<String>,
    /// DECISION only: what was decided; one of the case's `possibleOutcomes`.
    pub outcome: Option<ExitOutcome>,
}

impl TryFrom<AdvanceExitCaseInput> for NewStep {
    type Error = AppError;

    fn try_from(input: AdvanceExitCaseInput) -> AppResult<Self> {
        Ok(Self {
            case_id: decode_id(Kind::ExitCase, &input.id, "id")?,
            step: input.step,
            taken_on: input.taken_on,
            taken_by: input.taken_by,
            note: input.note,
            outcome: input.outcome,
        })
    }
}

/// The result of `openExitCase` and `advanceExitCase`.
#[derive(SimpleObject)]
pub struct ExitCasePayload {
    /// The case as it now stands.
    pub exit_case: ExitCase,
}

/// Queries of exit cases (the office every case, a member their own).
#[derive(Default)]
pub struct ExitQuery;

#[Object]
impl ExitQuery {
    /// Exit cases, newest first; a member lists only their own.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn exit_cases(
        &self,
        ctx: &Context<'_>,
        filter: Option<ExitCaseFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<ExitCase>> {
        let filter = ExitCaseFilter::try_from(filter.unwrap_or_default()).under("filter")?;
        let args = PageArgs { first, after, last, before };
        let (page, count) = service::list(ctx.db()?, ctx.actor()?, filter, &args).await?;
        // Each level the nodes ask for is loaded here in one batch, before they ask one by one.
        let loaders = ctx.loaders()?;
        if nodes_select(ctx, &["member"]) {
            loader::many(&loaders.get::<MemberLoaders>().member, page.rows.iter().map(|(_, c)| c.member_id)).await?;
        }
        if nodes_select(ctx, &["steps"]) {
            loader::many(&loaders.get::<ExitLoaders>().steps, page.rows.iter().map(|(_, c)| c.id)).await?;
        }
        if nodes_select(ctx, &["seat"]) {
            let seats =
                loader::many(&loaders.get::<ExitLoaders>().seat, page.rows.iter().map(|(_, c)| c.seat_id)).await?;
            if nodes_select(ctx, &["seat", "term"]) {
                loader::many(&loaders.get::<OrganisationLoaders>().term, seats.iter().map(|s| s.term_id)).await?;
            }
        }
        Ok(connection(page, TotalCount::new(count), ExitCase))
    }
    /// One exit case by ID; null when there is none or it is another member's.
    async fn exit_case(&self, ctx: &Context<'_>, id: ID) -> Result<Option<ExitCase>> {
        let id = decode_id(Kind::ExitCase, &id, "id")?;
        match ExitCase::find(ctx, id).await {
            Ok(c) => Ok(Some(c)),
            Err(AppError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// Mutations of exit cases (ADMIN and OFFICE).
#[derive(Default)]
pub struct ExitMutation;

#[Object]
impl ExitMutation {
    /// Opens an exit case (委员退出) from an assessment flag or by hand.
    async fn open_exit_case(&self, ctx: &Context<'_>, input: OpenExitCaseInput) -> Result<ExitCasePayload> {
        let new = NewExitCase::try_from(input).under("input")?;
        let case = service::open(ctx.db()?, ctx.actor()?, new).await.under("input")?;
        Ok(ExitCasePayload { exit_case: ExitCase(case) })
    }
    /// Records the next step of an exit case; the DECISION step closes it and sets the seat's
    /// status.
    async fn advance_exit_case(&self, ctx: &Context<'_>, input: AdvanceExitCaseInput) -> Result<ExitCasePayload> {
        let new = NewStep::try_from(input).under("input")?;
        let case = service::advance(ctx.db()?, ctx.actor()?, new).await.under("input")?;
        Ok(ExitCasePayload { exit_case: ExitCase(case) })
    }
}
