//! The proposal queries: the list (and the loads a page primes), one proposal, the figures
//! and the result classes.

use crate::member::loader::MemberLoaders;
use crate::opinion::loader::OpinionLoaders;
use crate::organisation::loader::OrganisationLoaders;
use crate::proposal::loader::ProposalLoaders;
use async_graphql::{Context, ID, Object, Result};

use super::types::{Proposal, ProposalStatistics, ResultClassLabel, labels};
use crate::{
    context::ContextExt,
    error::{AppError, Under},
    loader,
    pagination::{Counter, Page, PageArgs},
    proposal::service,
    relay::{CountedConnection, Kind, TotalCount, connection, decode_id, decode_opt},
};
use entity::proposal;

/// Loads, level by level, what a page of proposals is about to ask for: one query per
/// relation and level for the whole page.
pub(crate) async fn prefetch(ctx: &Context<'_>, rows: &[&proposal::Model]) -> Result<(), AppError> {
    prefetch_for(ctx.loaders()?, ctx.actor()?, &ctx.look_ahead(), rows).await
}

/// [`prefetch`] for the connection that `look` selects, with `l`'s loaders: a parent list
/// (a page of members) primes all its members' lists at once through this.
pub(crate) async fn prefetch_for(
    l: &crate::loader::Loaders,
    actor: &crate::auth::Actor,
    look: &async_graphql::Lookahead<'_>,
    rows: &[&proposal::Model],
) -> Result<(), AppError> {
    let wants = |path: &[&str]| crate::relay::selects(look, path);
    let ids = || rows.iter().map(|p| p.id);
    let signers = async {
        if wants(&["signers"]) {
            let signers = loader::many(&l.get::<ProposalLoaders>().signers_by_proposal, ids()).await?;
            if wants(&["signers", "member"]) {
                loader::many(&l.get::<MemberLoaders>().member, signers.iter().flatten().map(|s| s.member_id)).await?;
            }
        }
        Ok::<_, AppError>(())
    };
    let assignments = async {
        if wants(&["assignments"]) {
            let rows = loader::many(&l.get::<ProposalLoaders>().assignments_by_proposal, ids()).await?;
            if wants(&["assignments", "handlingUnit"]) {
                loader::many(
                    &l.get::<OrganisationLoaders>().handling_unit,
                    rows.iter().flatten().map(|a| a.handling_unit_id),
                )
                .await?;
            }
        }
        Ok(())
    };
    let actions = async {
        if wants(&["latestAction"]) {
            loader::many(&l.get::<ProposalLoaders>().proposal_action, rows.iter().filter_map(|p| p.latest_action_id))
                .await?;
        }
        if wants(&["actions"]) {
            loader::many(&l.get::<ProposalLoaders>().actions_by_proposal, ids()).await?;
        }
        Ok(())
    };
    let links = async {
        if wants(&["mergedInto"]) {
            let scope = service::readable(actor)?;
            let keys = rows.iter().filter_map(|p| p.merged_into_id).map(|id| (id, scope));
            loader::many(&l.get::<ProposalLoaders>().readable, keys).await?;
        }
        if wants(&["opinionReport"])
            && let Some(scope) = crate::opinion::service::readable_through_proposals(actor)?
        {
            loader::many(&l.get::<OpinionLoaders>().opinion_report_by_proposal, ids().map(|id| (id, scope))).await?;
        }
        Ok(())
    };
    futures_util::try_join!(signers, assignments, actions, links)?;
    Ok(())
}

/// Builds a proposal connection from a page, priming the loaders for what its nodes select.
pub(crate) async fn proposal_connection(
    ctx: &Context<'_>,
    page: Page<proposal::Model>,
    count: Counter,
) -> Result<CountedConnection<Proposal>, AppError> {
    let rows: Vec<&proposal::Model> = page.rows.iter().map(|(_, p)| p).collect();
    prefetch(ctx, &rows).await?;
    Ok(connection(page, TotalCount::new(count), Proposal))
}

/// Queries of proposals.
#[derive(Default)]
pub struct ProposalQuery;

#[Object]
impl ProposalQuery {
    /// Proposals the viewer may see, newest first: everything for office staff, committee staff
    /// and studio leads; their own for members; those assigned to them for handling units.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn proposals(
        &self,
        ctx: &Context<'_>,
        filter: Option<super::ProposalFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<Proposal>> {
        let filter = service::ProposalFilter::try_from(filter.unwrap_or_default()).under("filter")?;
        let args = PageArgs { first, after, last, before };
        let (page, count) = service::list(ctx.db()?, ctx.actor()?, filter, &args).await?;
        Ok(proposal_connection(ctx, page, count).await?)
    }

    /// One proposal by ID; null when there is none the viewer may see.
    async fn proposal(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Proposal>> {
        let id = decode_id(Kind::Proposal, &id, "id")?;
        match Proposal::find(ctx, id).await {
            Ok(p) => Ok(Some(p)),
            Err(AppError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The figures of one year's proposals (optionally of those assigned to one handling
    /// unit): counts and rates, for every signed-in role. Scans the year's proposals and their
    /// assignments: it costs two scans in the complexity limit and waits for the request's turn.
    #[graphql(complexity = "crate::cost::aggregate(2, child_complexity)")]
    async fn proposal_statistics(
        &self,
        ctx: &Context<'_>,
        year: i32,
        handling_unit_id: Option<ID>,
    ) -> Result<ProposalStatistics> {
        let unit = decode_opt(Kind::HandlingUnit, handling_unit_id.as_ref(), "handlingUnitId")?;
        let _turn = crate::share::turn(ctx).await;
        let figures = service::statistics(ctx.db()?, ctx.actor()?, year, unit).await?;
        Ok(ProposalStatistics::new(figures, &labels(ctx).await?))
    }

    /// The result classes with the labels the office gives them.
    #[graphql(complexity = "crate::cost::list(crate::cost::RESULT_CLASSES, child_complexity)")]
    async fn proposal_result_classes(&self, ctx: &Context<'_>) -> Result<Vec<ResultClassLabel>> {
        let labels = service::result_classes(ctx.db()?, ctx.actor()?).await?;
        Ok(labels.into_iter().map(ResultClassLabel::from).collect())
    }
}
