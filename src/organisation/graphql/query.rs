//! The organisation's queries: every unit list, each behind `policy::read_organisation`.

use async_graphql::{Context, Object, Result};

use super::{
    inputs::StudioFilterInput,
    types::{Group, HandlingUnit, Region, Sector, SpecialCommittee, Studio, Term},
};
use crate::{
    context::ContextExt,
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
    /// Every term, newest first.
    async fn terms(&self, ctx: &Context<'_>) -> Result<Vec<Term>> {
        Ok(service::terms(ctx.db()?, ctx.actor()?).await?.into_iter().map(Term).collect())
    }
    /// Every sector (界别), in published order.
    async fn sectors(&self, ctx: &Context<'_>) -> Result<Vec<Sector>> {
        Ok(service::sectors(ctx.db()?, ctx.actor()?).await?.into_iter().map(Sector).collect())
    }
    /// Every special committee (专委会), in published order.
    async fn special_committees(&self, ctx: &Context<'_>) -> Result<Vec<SpecialCommittee>> {
        Ok(service::committees(ctx.db()?, ctx.actor()?).await?.into_iter().map(SpecialCommittee).collect())
    }
    /// The towns and streets, each with its villages and communities under `children`.
    async fn regions(&self, ctx: &Context<'_>) -> Result<Vec<Region>> {
        Ok(service::regions(ctx.db()?, ctx.actor()?).await?.into_iter().map(Region).collect())
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
    /// Standing groups: activity groups, supervision groups, service teams, reading groups.
    async fn groups(&self, ctx: &Context<'_>) -> Result<Vec<Group>> {
        Ok(service::groups(ctx.db()?, ctx.actor()?).await?.into_iter().map(Group).collect())
    }
    /// Handling units (承办单位).
    async fn handling_units(&self, ctx: &Context<'_>) -> Result<Vec<HandlingUnit>> {
        Ok(service::handling_units(ctx.db()?, ctx.actor()?).await?.into_iter().map(HandlingUnit).collect())
    }
}
