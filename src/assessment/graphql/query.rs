//! The assessment's queries: rule sets, runs and a year's results.

use async_graphql::{Context, ID, Object, Result};

use super::{
    AssessmentRun, MemberAssessment, RuleSet,
    inputs::{AssessmentFilter, AssessmentOrder},
};
use crate::{
    assessment::service::{self, AssessmentFilter as Filter, AssessmentSort},
    context::ContextExt,
    error::{AppError, Under},
    pagination::PageArgs,
    relay::{CountedConnection, Kind, TotalCount, connection, decode_id},
};

/// A page of the results of a year (of `assessments` and `AssessmentRun.assessments`).
pub(super) async fn results(
    ctx: &Context<'_>,
    year: i32,
    filter: AssessmentFilter,
    order_by: Option<Vec<AssessmentOrder>>,
    args: PageArgs,
) -> Result<CountedConnection<crate::plain::Fast<MemberAssessment>>> {
    let order = order_by.unwrap_or_default();
    if order.len() > 1 {
        return Err(AppError::bad_field("orderBy", "orderBy takes one key").into());
    }
    let sort = order.first().map_or((AssessmentSort::Rank, false), Into::into);
    let filter = Filter::try_from(filter).under("filter")?;
    // The members the nodes ask for come with the page (no statement of their own).
    let with_members = crate::relay::nodes_select(ctx, &["member"]);
    let (page, count, members) =
        service::list(ctx.db()?, ctx.actor()?, year, filter, sort, &args, with_members).await?;
    let loaders = ctx.loaders()?.get::<crate::member::loader::MemberLoaders>();
    loaders.member.feed_many(members.into_iter().map(|m| (m.id, m))).await;
    Ok(connection(page, TotalCount::new(count), |m| crate::plain::Fast(MemberAssessment(m))))
}

/// Queries of the assessment.
#[derive(Default)]
pub struct AssessmentQuery;

#[Object]
impl AssessmentQuery {
    /// Every rule set, by name and newest version first (at most 50).
    #[graphql(complexity = "crate::cost::list(crate::cost::RULE_SETS, child_complexity)")]
    async fn rule_sets(&self, ctx: &Context<'_>) -> Result<Vec<RuleSet>> {
        let sets = service::rule_sets(ctx.db()?, ctx.actor()?).await?;
        Ok(crate::cost::capped(sets, crate::cost::RULE_SETS).into_iter().map(RuleSet).collect())
    }
    /// An assessment run by id; null when there is none.
    async fn assessment_run(&self, ctx: &Context<'_>, id: ID) -> Result<Option<AssessmentRun>> {
        let id = decode_id(Kind::AssessmentRun, &id, "id")?;
        match AssessmentRun::find(ctx, id).await {
            Ok(run) => Ok(Some(run)),
            Err(AppError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
    /// The assessment runs of a year (the newest 5), or of every year when none (the newest
    /// 50), newest first.
    #[graphql(complexity = "crate::cost::runs(year, child_complexity)")]
    async fn assessment_runs(&self, ctx: &Context<'_>, year: Option<i32>) -> Result<Vec<AssessmentRun>> {
        let runs = service::runs(ctx.db()?, ctx.actor()?, year).await?;
        let cap = if year.is_some() { crate::cost::RUNS_OF_A_YEAR } else { crate::cost::RUNS };
        Ok(crate::cost::capped(runs, cap).into_iter().map(AssessmentRun).collect())
    }
    /// The results of a year: of the year's published run (else its latest), or of
    /// `filter.runId`; by rank unless ordered otherwise.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    #[expect(clippy::too_many_arguments, reason = "the Relay arguments of a connection field")]
    async fn assessments(
        &self,
        ctx: &Context<'_>,
        year: i32,
        filter: Option<AssessmentFilter>,
        order_by: Option<Vec<AssessmentOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<crate::plain::Fast<MemberAssessment>>> {
        results(ctx, year, filter.unwrap_or_default(), order_by, PageArgs { first, after, last, before }).await
    }
}
