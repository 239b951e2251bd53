//! The assessment's mutations: rule sets, runs and their lifecycle, adjustments.

use async_graphql::{Context, Object, Result, SimpleObject};

use super::{
    AssessmentRun, MemberAssessment, RuleSet,
    inputs::{
        AdjustAssessmentInput, ConfirmAssessmentRunInput, CreateRuleSetInput, PublishAssessmentRunInput,
        RunAssessmentInput,
    },
};
use crate::{
    assessment::service::{self, NewRuleSet},
    context::ContextExt,
    error::Under,
    events::Event,
    relay::{Kind, decode_id},
};
use entity::assessment_run;

/// The result of `createRuleSet`.
#[derive(SimpleObject)]
pub struct RuleSetPayload {
    /// The stored rule set.
    pub rule_set: RuleSet,
}

/// The result of the run mutations.
#[derive(SimpleObject)]
pub struct AssessmentRunPayload {
    /// The run.
    pub assessment_run: AssessmentRun,
}

/// The result of `adjustAssessment`.
#[derive(SimpleObject)]
pub struct MemberAssessmentPayload {
    /// The member's result after the adjustment.
    pub member_assessment: MemberAssessment,
}

/// Tells `assessmentRunChanged` subscribers about the run (when the schema has a broker).
fn publish_change(ctx: &Context<'_>, run: &assessment_run::Model) {
    if let Ok(events) = ctx.events() {
        events.publish(Event::AssessmentRunChanged(run.clone()));
    }
}

/// Mutations of the assessment.
#[derive(Default)]
pub struct AssessmentMutation;

#[Object]
impl AssessmentMutation {
    /// Stores a rule set after checking every part of it (BAD_USER_INPUT names the field, e.g.
    /// `input.rules.3.points`).
    async fn create_rule_set(&self, ctx: &Context<'_>, input: CreateRuleSetInput) -> Result<RuleSetPayload> {
        let new = NewRuleSet::try_from(input).under("input")?;
        let row = service::create_rule_set(ctx.db()?, ctx.actor()?, new).await.under("input")?;
        Ok(RuleSetPayload { rule_set: RuleSet(row) })
    }
    /// Computes every seated member's result of a year under a rule set: a new DRAFT run, or
    /// the DRAFT run recomputed (adjustments kept). CONFLICT once confirmed or published.
    async fn run_assessment(&self, ctx: &Context<'_>, input: RunAssessmentInput) -> Result<AssessmentRunPayload> {
        let rule_set_id = decode_id(Kind::RuleSet, &input.rule_set_id, "ruleSetId").under("input")?;
        let run = service::run(ctx.db()?, ctx.actor()?, rule_set_id, input.year).await.under("input")?;
        publish_change(ctx, &run);
        Ok(AssessmentRunPayload { assessment_run: AssessmentRun(run) })
    }
    /// Adds signed points with a reason to a member's result in a DRAFT run.
    async fn adjust_assessment(
        &self,
        ctx: &Context<'_>,
        input: AdjustAssessmentInput,
    ) -> Result<MemberAssessmentPayload> {
        let id = decode_id(Kind::MemberAssessment, &input.member_assessment_id, "memberAssessmentId").under("input")?;
        let points = input.points.read("points").under("input")?;
        let (row, run) = service::adjust(ctx.db()?, ctx.actor()?, id, points, &input.reason).await.under("input")?;
        publish_change(ctx, &run);
        Ok(MemberAssessmentPayload { member_assessment: MemberAssessment(row) })
    }
    /// DRAFT → CONFIRMED.
    async fn confirm_assessment_run(
        &self,
        ctx: &Context<'_>,
        input: ConfirmAssessmentRunInput,
    ) -> Result<AssessmentRunPayload> {
        let id = decode_id(Kind::AssessmentRun, &input.id, "id").under("input")?;
        let run = service::confirm(ctx.db()?, ctx.actor()?, id).await?;
        publish_change(ctx, &run);
        Ok(AssessmentRunPayload { assessment_run: AssessmentRun(run) })
    }
    /// CONFIRMED → PUBLISHED: locked from then on; members see their own results.
    async fn publish_assessment_run(
        &self,
        ctx: &Context<'_>,
        input: PublishAssessmentRunInput,
    ) -> Result<AssessmentRunPayload> {
        let id = decode_id(Kind::AssessmentRun, &input.id, "id").under("input")?;
        let run = service::publish(ctx.db()?, ctx.actor()?, id).await?;
        publish_change(ctx, &run);
        Ok(AssessmentRunPayload { assessment_run: AssessmentRun(run) })
    }
}
