//! The proposal mutations: every step of the lifecycle. Each reads the context, converts its
//! input, calls one service function and places the fields at fault under `input`.

use async_graphql::{Context, Object, Result};

use super::{
    inputs::{
        AnswerProposalInput, AssignProposalInput, FlagProposalInput, ProposalFeedbackInput, ProposalNoteInput,
        RefuseProposalAssignmentInput, ReopenProposalInput, ResubmitProposalInput, ReviewProposalInput,
        SetProposalResultClassLabelInput, SubmitProposalInput, proposal_id,
    },
    types::{ConvertProposalPayload, Proposal, ProposalPayload, ResultClassLabel, ResultClassLabelsPayload},
};
use crate::{
    context::ContextExt,
    error::Under,
    events::Event,
    opinion::graphql::OpinionReport,
    proposal::service::{self, Answer, NewProposal, Review},
    relay::{Kind, decode_opt},
};
use entity::proposal;

/// The payload of a proposal mutation; also tells `proposalChanged` subscribers.
fn payload(ctx: &Context<'_>, p: proposal::Model) -> ProposalPayload {
    if let Ok(broker) = ctx.events() {
        broker.publish(Event::ProposalChanged(p.clone()));
    }
    ProposalPayload { proposal: Proposal(p) }
}

/// Mutations of proposals: every step of the lifecycle.
#[derive(Default)]
pub struct ProposalMutation;

#[Object]
impl ProposalMutation {
    /// Submits a proposal (office staff for anyone; a member as its first proposer).
    async fn submit_proposal(&self, ctx: &Context<'_>, input: SubmitProposalInput) -> Result<ProposalPayload> {
        let new = NewProposal::try_from(input).under("input")?;
        Ok(payload(ctx, service::submit(ctx.db()?, ctx.actor()?, new).await.under("input")?))
    }

    /// Resubmits a returned proposal (退回修改 → 重新提交), with its revisions.
    async fn resubmit_proposal(&self, ctx: &Context<'_>, input: ResubmitProposalInput) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id).under("input")?;
        let revised = service::resubmit(ctx.db()?, ctx.actor()?, id, input.into()).await.under("input")?;
        Ok(payload(ctx, revised))
    }

    /// Reviews (审查) a submitted proposal: ACCEPT (立案, with a serial number), REJECT with a
    /// reason (不予立案), MERGE into an accepted proposal (并案) or RETURN for changes (退回修改).
    async fn review_proposal(&self, ctx: &Context<'_>, input: ReviewProposalInput) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id).under("input")?;
        let decision = Review::try_from(&input).under("input")?;
        let reviewed = service::review(ctx.db()?, ctx.actor()?, id, decision, input.note).await.under("input")?;
        Ok(payload(ctx, reviewed))
    }

    /// Assigns (交办) an accepted proposal to handling units, due in three months by default.
    async fn assign_proposal(&self, ctx: &Context<'_>, input: AssignProposalInput) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id).under("input")?;
        let units = input.assignments().under("input")?;
        let (db, actor) = (ctx.db()?, ctx.actor()?);
        Ok(payload(ctx, service::assign(db, actor, id, units, input.due_date, input.note).await.under("input")?))
    }

    /// A handling unit refuses its assignment, within 10 days of it; the office reassigns.
    async fn refuse_proposal_assignment(
        &self,
        ctx: &Context<'_>,
        input: RefuseProposalAssignmentInput,
    ) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id).under("input")?;
        let unit = decode_opt(Kind::HandlingUnit, input.handling_unit_id.as_ref(), "handlingUnitId").under("input")?;
        let refused =
            service::refuse_assignment(ctx.db()?, ctx.actor()?, id, unit, input.reason).await.under("input")?;
        Ok(payload(ctx, refused))
    }

    /// A handling unit answers (答复) with a result class and whether it met the proposer.
    async fn answer_proposal(&self, ctx: &Context<'_>, input: AnswerProposalInput) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id).under("input")?;
        let answer = Answer::try_from(input).under("input")?;
        Ok(payload(ctx, service::answer(ctx.db()?, ctx.actor()?, id, answer).await.under("input")?))
    }

    /// Records the proposer's feedback (委员反馈) on the answers.
    async fn record_proposal_feedback(
        &self,
        ctx: &Context<'_>,
        input: ProposalFeedbackInput,
    ) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id).under("input")?;
        let (db, actor) = (ctx.db()?, ctx.actor()?);
        Ok(payload(ctx, service::record_feedback(db, actor, id, input.rating, input.note).await.under("input")?))
    }

    /// Reopens handling after DISSATISFIED feedback: the same units answer again.
    async fn reopen_proposal(&self, ctx: &Context<'_>, input: ReopenProposalInput) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id).under("input")?;
        let (db, actor) = (ctx.db()?, ctx.actor()?);
        Ok(payload(ctx, service::reopen(db, actor, id, input.due_date, input.note).await.under("input")?))
    }

    /// Closes (办结) an answered proposal.
    async fn close_proposal(&self, ctx: &Context<'_>, input: ProposalNoteInput) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id).under("input")?;
        Ok(payload(ctx, service::close(ctx.db()?, ctx.actor()?, id, input.note).await.under("input")?))
    }

    /// Flags an accepted proposal as key (重点提案) or excellent (优秀提案), or clears a flag.
    async fn flag_proposal(&self, ctx: &Context<'_>, input: FlagProposalInput) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id).under("input")?;
        Ok(payload(ctx, service::flag(ctx.db()?, ctx.actor()?, id, input.into()).await.under("input")?))
    }

    /// Converts a proposal not accepted (or not yet) into a public-opinion report (转社情民意);
    /// from then on it counts only as the report.
    async fn convert_proposal_to_opinion_report(
        &self,
        ctx: &Context<'_>,
        input: ProposalNoteInput,
    ) -> Result<ConvertProposalPayload> {
        let id = proposal_id(&input.id).under("input")?;
        let (p, r) =
            service::convert_to_opinion_report(ctx.db()?, ctx.actor()?, id, input.note).await.under("input")?;
        Ok(ConvertProposalPayload { proposal: Proposal(p), opinion_report: OpinionReport(r) })
    }

    /// Sets the office's own label of a result class.
    async fn set_proposal_result_class_label(
        &self,
        ctx: &Context<'_>,
        input: SetProposalResultClassLabelInput,
    ) -> Result<ResultClassLabelsPayload> {
        let (db, actor) = (ctx.db()?, ctx.actor()?);
        let labels =
            service::set_result_class_label(db, actor, input.result_class, &input.label).await.under("input")?;
        Ok(ResultClassLabelsPayload { result_classes: labels.into_iter().map(ResultClassLabel::from).collect() })
    }
}
