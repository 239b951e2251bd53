//! `createPlan`, `addPlanItem`, `updatePlanItem`, `recordPlanStage`, `linkPlanActivity`,
//! `unlinkPlanActivity` and `setMemberTargets`.

use crate::member::loader::MemberLoaders;
use async_graphql::{Context, Object, Result, SimpleObject};

use super::{
    AddPlanItemInput, CreatePlanInput, MemberTarget, Plan, PlanActivityInput, PlanItem, RecordPlanStageInput,
    SetMemberTargetsInput, UpdatePlanItemInput,
};
use crate::{
    context::ContextExt,
    error::{AppError, Under},
    loader,
    member::graphql::Member,
    plan::{
        service::{self, NewPlan, NewPlanItem, PlanItemChanges},
        targets::{self, NewTarget},
    },
    relay::{Kind, decode_id},
};

/// The result of `createPlan`.
#[derive(SimpleObject)]
pub struct PlanPayload {
    /// The plan as stored.
    pub plan: Plan,
}

/// The result of the plan item mutations.
#[derive(SimpleObject)]
pub struct PlanItemPayload {
    /// The item as stored.
    pub plan_item: PlanItem,
}

/// The result of `setMemberTargets`.
#[derive(SimpleObject)]
pub struct MemberTargetsPayload {
    /// The member.
    pub member: Member,
    /// The member's targets of the year, with progress (at most 20).
    #[graphql(complexity = "crate::cost::list(crate::cost::MEMBER_TARGETS, child_complexity)")]
    pub targets: Vec<MemberTarget>,
}

/// Mutations of annual plans (ADMIN and OFFICE; committee staff record their items' stages)
/// and of members' targets (ADMIN and OFFICE).
#[derive(Default)]
pub struct PlanMutation;

#[Object]
impl PlanMutation {
    /// Creates a plan for a year.
    async fn create_plan(&self, ctx: &Context<'_>, input: CreatePlanInput) -> Result<PlanPayload> {
        let new = NewPlan::try_from(input).under("input")?;
        let plan = service::create_plan(ctx.db()?, ctx.actor()?, new).await.under("input")?;
        Ok(PlanPayload { plan: Plan(plan) })
    }

    /// Adds an item at the end of a plan, with its goal when given.
    async fn add_plan_item(&self, ctx: &Context<'_>, input: AddPlanItemInput) -> Result<PlanItemPayload> {
        let new = NewPlanItem::try_from(input).under("input")?;
        let item = service::add_item(ctx.db()?, ctx.actor()?, new).await.under("input")?;
        Ok(PlanItemPayload { plan_item: PlanItem(item) })
    }

    /// Changes a plan item's details.
    async fn update_plan_item(&self, ctx: &Context<'_>, input: UpdatePlanItemInput) -> Result<PlanItemPayload> {
        let (id, changes): (i64, PlanItemChanges) = input.try_into().under("input")?;
        let item = service::update_item(ctx.db()?, ctx.actor()?, id, changes).await.under("input")?;
        Ok(PlanItemPayload { plan_item: PlanItem(item) })
    }

    /// Records (or replaces) a plan item's goal, progress or result ("三亮"). Office staff for
    /// any item; committee staff for the items their committee leads.
    async fn record_plan_stage(&self, ctx: &Context<'_>, input: RecordPlanStageInput) -> Result<PlanItemPayload> {
        let id = decode_id(Kind::PlanItem, &input.plan_item_id, "planItemId").under("input")?;
        let item = service::record_stage(ctx.db()?, ctx.actor()?, id, input.stage, &input.text, input.recorded_on)
            .await
            .under("input")?;
        Ok(PlanItemPayload { plan_item: PlanItem(item) })
    }

    /// Links an activity that carried out a plan item.
    async fn link_plan_activity(&self, ctx: &Context<'_>, input: PlanActivityInput) -> Result<PlanItemPayload> {
        let (item, activity) = <(i64, i64)>::try_from(&input).under("input")?;
        let item = service::link_activity(ctx.db()?, ctx.actor()?, item, activity).await.under("input")?;
        Ok(PlanItemPayload { plan_item: PlanItem(item) })
    }

    /// Removes the link between a plan item and an activity.
    async fn unlink_plan_activity(&self, ctx: &Context<'_>, input: PlanActivityInput) -> Result<PlanItemPayload> {
        let (item, activity) = <(i64, i64)>::try_from(&input).under("input")?;
        let item = service::unlink_activity(ctx.db()?, ctx.actor()?, item, activity).await.under("input")?;
        Ok(PlanItemPayload { plan_item: PlanItem(item) })
    }

    /// Sets a member's personal targets of a year (the list replaces the earlier set).
    async fn set_member_targets(
        &self,
        ctx: &Context<'_>,
        input: SetMemberTargetsInput,
    ) -> Result<MemberTargetsPayload> {
        let member_id = decode_id(Kind::Member, &input.member_id, "memberId").under("input")?;
        let targets = input
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| NewTarget::read(i, t))
            .collect::<Result<_, _>>()
            .under("input")?;
        let list =
            targets::set_targets(ctx.db()?, ctx.actor()?, member_id, input.year, targets).await.under("input")?;
        let member = loader::one(&ctx.loaders()?.get::<MemberLoaders>().member, member_id)
            .await?
            .ok_or_else(|| AppError::not_found("member", member_id))?;
        Ok(MemberTargetsPayload { member: Member(member), targets: list.into_iter().map(MemberTarget).collect() })
    }
}
