//! `members` and `member`.

use async_graphql::{Context, ID, Object, Result};

use super::{Member, MemberFilterInput, MemberOrder, prefetch::prefetch, types::current_term};
use crate::{
    context::ContextExt,
    error::{AppError, Under},
    member::service::{self, MemberFilter, MemberSort},
    pagination::PageArgs,
    relay::{CountedConnection, Kind, TotalCount, connection, decode_id},
};

/// Queries of members.
#[derive(Default)]
pub struct MemberQuery;

#[Object]
impl MemberQuery {
    /// Members, filtered and sorted (by name in pinyin order unless `orderBy` says otherwise).
    #[expect(clippy::too_many_arguments, reason = "a connection's arguments, as GraphQL names them")]
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        filter: Option<MemberFilterInput>,
        order_by: Option<Vec<MemberOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<crate::plain::Fast<Member>>> {
        let mut filter = MemberFilter::try_from(filter.unwrap_or_default()).under("filter")?;
        if filter.term_id.is_none() && !filter.any_term {
            // The current term through the request's loader: `currentSeat` asks for it again.
            filter.term_id = current_term(ctx).await?.map(|t| t.id);
        }
        let sorts: Vec<(MemberSort, bool)> = order_by.unwrap_or_default().into_iter().map(Into::into).collect();
        let args = PageArgs { first, after, last, before };
        let (page, count) = service::list(ctx.db()?, ctx.actor()?, filter, &sorts, &args).await?;
        let ids: Vec<i64> = page.rows.iter().map(|(_, m)| m.id).collect();
        prefetch(ctx, &ids).await?;
        Ok(connection(page, TotalCount::new(count), |m| crate::plain::Fast(Member(m))))
    }

    /// One member by ID.
    async fn member(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Member>> {
        let id = decode_id(Kind::Member, &id, "id")?;
        match Member::find(ctx, id).await {
            Ok(m) => Ok(Some(m)),
            Err(AppError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
