//! The assessment's mutations: rule sets, runs and their lifecycle, adjustments.

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use super::{
    AssessmentRun, MemberAssessment, RuleSet,
    inputs::{
        AdjustAssessmentInput, ConfirmAssessmentRunInput, CreateRuleSetInput, DeleteRuleSetInput,
        DiscardAssessmentRunInput, PublishAssessmentRunInput, RunAssessmentInput,
    },
};
use crate::{
    assessment::service::{self, NewRuleSet},
    context::ContextExt,
    error::Under,
    events::Event,
    relay::{Kind, decode_id, encode_id},
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

/// The result of `discardAssessmentRun`: what is gone.
#[derive(SimpleObject)]
pub struct DiscardAssessmentRunPayload {
    /// The ID the discarded run had.
    pub discarded_run_id: ID,
    /// The year it was computed for.
    pub year: i32,
    /// How many members' results (with their score lines) went with it.
    pub results_removed: i32,
}

/// The result of `deleteRuleSet`: what is gone.
#[derive(SimpleObject)]
pub struct DeleteRuleSetPayload {
    /// The ID the deleted rule set had.
    pub deleted_rule_set_id: ID,
    /// Its name and version, e.g. "桐城模板 v2".
    pub name: String,
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
    /// Discards a DRAFT run with its results, score lines and adjustments, in one transaction.
    /// CONFLICT for a confirmed or published run.
    async fn discard_assessment_run(
        &self,
        ctx: &Context<'_>,
        input: DiscardAssessmentRunInput,
    ) -> Result<DiscardAssessmentRunPayload> {
        let id = decode_id(Kind::AssessmentRun, &input.id, "id").under("input")?;
        let (run, results) = service::discard(ctx.db()?, ctx.actor()?, id).await.under("input")?;
        Ok(DiscardAssessmentRunPayload {
            discarded_run_id: encode_id(Kind::AssessmentRun, run.id),
            year: run.year,
            results_removed: i32::try_from(results).unwrap_or(i32::MAX),
        })
    }
    /// Deletes a rule set no run uses. CONFLICT while a run (even a draft) uses it.
    async fn delete_rule_set(&self, ctx: &Context<'_>, input: DeleteRuleSetInput) -> Result<DeleteRuleSetPayload> {
        let id = decode_id(Kind::RuleSet, &input.id, "id").under("input")?;
        let set = service::delete_rule_set(ctx.db()?, ctx.actor()?, id).await.under("input")?;
        Ok(DeleteRuleSetPayload {
            deleted_rule_set_id: encode_id(Kind::RuleSet, set.id),
            name: format!("{} v{}", set.name, set.version),
        })
    }
}
