//! The organisation's queries: every unit list, each behind `policy::read_organisation`.

use async_graphql::{Context, Object, Result};

use super::{
    inputs::StudioFilterInput,
    types::{Group, HandlingUnit, Region, Sector, SpecialCommittee, Studio, Term},
};
use crate::{
    context::ContextExt,
    cost,
    error::Under,
    organisation::service::{self, StudioFilter},
    pagination::PageArgs,
    relay::{CountedConnection, TotalCount, connection},
};

/// Queries of the organisation.
#[derive(Default)]
pub struct OrganisationQuery;

#[Object]
impl OrganisationQuery {
    /// Every term, newest first (at most 50).
    #[graphql(complexity = "cost::list(cost::TERMS, child_complexity)")]
    async fn terms(&self, ctx: &Context<'_>) -> Result<Vec<Term>> {
        Ok(cost::capped(service::terms(ctx.db()?, ctx.actor()?).await?, cost::TERMS).into_iter().map(Term).collect())
    }
    /// Every sector (界别), in published order (at most 60).
    #[graphql(complexity = "cost::list(cost::SECTORS, child_complexity)")]
    async fn sectors(&self, ctx: &Context<'_>) -> Result<Vec<Sector>> {
        Ok(cost::capped(service::sectors(ctx.db()?, ctx.actor()?).await?, cost::SECTORS)
            .into_iter()
            .map(Sector)
            .collect())
    }
    /// Every special committee (专委会), in published order (at most 30).
    #[graphql(complexity = "cost::list(cost::SPECIAL_COMMITTEES, child_complexity)")]
    async fn special_committees(&self, ctx: &Context<'_>) -> Result<Vec<SpecialCommittee>> {
        let rows = service::committees(ctx.db()?, ctx.actor()?).await?;
        Ok(cost::capped(rows, cost::SPECIAL_COMMITTEES).into_iter().map(SpecialCommittee).collect())
    }
    /// The towns and streets (at most 50), each with its villages and communities under
    /// `children`.
    #[graphql(complexity = "cost::list(cost::TOWNS, child_complexity)")]
    async fn regions(&self, ctx: &Context<'_>) -> Result<Vec<Region>> {
        Ok(cost::capped(service::regions(ctx.db()?, ctx.actor()?).await?, cost::TOWNS)
            .into_iter()
            .map(Region)
            .collect())
    }
    /// Member studios (委员工作室), in creation order.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn studios(
        &self,
        ctx: &Context<'_>,
        filter: Option<StudioFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<Studio>> {
        let filter = StudioFilter::try_from(filter.unwrap_or_default()).under("filter")?;
        let args = PageArgs { first, after, last, before };
        let (page, count) = service::studios(ctx.db()?, ctx.actor()?, filter, &args).await?;
        Ok(connection(page, TotalCount::new(count), Studio))
    }
    /// Standing groups: activity groups, supervision groups, service teams, reading groups (at
    /// most 50).
    #[graphql(complexity = "cost::list(cost::GROUPS, child_complexity)")]
    async fn groups(&self, ctx: &Context<'_>) -> Result<Vec<Group>> {
        Ok(cost::capped(service::groups(ctx.db()?, ctx.actor()?).await?, cost::GROUPS).into_iter().map(Group).collect())
    }
    /// Handling units (承办单位), at most 200.
    #[graphql(complexity = "cost::list(cost::HANDLING_UNITS, child_complexity)")]
    async fn handling_units(&self, ctx: &Context<'_>) -> Result<Vec<HandlingUnit>> {
        let rows = service::handling_units(ctx.db()?, ctx.actor()?).await?;
        Ok(cost::capped(rows, cost::HANDLING_UNITS).into_iter().map(HandlingUnit).collect())
    }
}
