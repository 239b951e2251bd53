//! `plans`, `plan` and `planItem`, and the plans' arm of `node(id:)`.

use async_graphql::{Context, ID, Object, Result};

use super::{Plan, PlanItem};
use crate::{
    context::ContextExt,
    error::AppError,
    plan::service,
    relay::{Kind, decode_id},
};

/// Queries of annual plans.
#[derive(Default)]
pub struct PlanQuery;

#[Object]
impl PlanQuery {
    /// The plans of a year (年度工作要点, 协商计划), in creation order (at most 20).
    #[graphql(complexity = "crate::cost::list(crate::cost::PLANS, child_complexity)")]
    async fn plans(&self, ctx: &Context<'_>, year: i32) -> Result<Vec<Plan>> {
        let plans = service::plans(ctx.db()?, ctx.actor()?, year).await?;
        Ok(crate::cost::capped(plans, crate::cost::PLANS).into_iter().map(Plan).collect())
    }
    /// One plan by ID.
    async fn plan(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Plan>> {
        let id = decode_id(Kind::Plan, &id, "id")?;
        match Plan::find(ctx, id).await {
            Ok(p) => Ok(Some(p)),
            Err(AppError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
    /// One plan item by ID.
    async fn plan_item(&self, ctx: &Context<'_>, id: ID) -> Result<Option<PlanItem>> {
        let id = decode_id(Kind::PlanItem, &id, "id")?;
        match PlanItem::find(ctx, id).await {
            Ok(i) => Ok(Some(i)),
            Err(AppError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
