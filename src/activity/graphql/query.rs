//! `activities` and `activity`: the activity list, with what its nodes select loaded page-wide.

use crate::activity::loader::ActivityLoaders;
use crate::member::loader::MemberLoaders;
use crate::organisation::loader::OrganisationLoaders;
use async_graphql::{Context, ID, Object, Result};

use super::{Activity, ActivityFilterInput, ActivityOrder, ActivityOrderField, page_size};
use crate::{
    activity::service::{self, ActivityFilter, Rows, organiser_of},
    context::ContextExt,
    error::{AppError, Under},
    loader,
    member::graphql::OrderDirection,
    pagination::PageArgs,
    relay::{CountedConnection, Kind, TotalCount, connection, decode_id, nodes_select},
};
use entity::enums::Attendance;
use entity::organiser::Organiser;

/// Loads the first pages of participants and of invitations (and their members) that a page of
/// activities will ask for: one query per field and distinct argument set for the whole page.
async fn prefetch_participants(ctx: &Context<'_>, ids: &[i64]) -> Result<(), AppError> {
    let look = ctx.look_ahead();
    let l = ctx.loaders()?;
    let scope = service::attendance_scope(ctx.actor()?)?;
    let lists = [("participants", Rows::Marked), ("invitations", Rows::Invited)];
    for (name, rows, field) in lists.into_iter().flat_map(|(name, rows)| {
        [(name, rows, look.field("nodes").field(name)), (name, rows, look.field("edges").field("node").field(name))]
    }) {
        let wants_member = field.field("nodes").field("member").exists()
            || field.field("edges").field("node").field("member").exists();
        for selection in field.selection_fields() {
            let Ok(args) = selection.arguments() else { continue };
            let arg = |name: &str| args.iter().find(|(n, _)| n.as_str() == name).map(|(_, v)| v.clone());
            let present = |name: &str| arg(name).is_some_and(|v| v != async_graphql::Value::Null);
            if present("after") || present("before") || present("last") {
                continue;
            }
            let first = match arg("first") {
                Some(async_graphql::Value::Number(n)) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
                _ => None,
            };
            let attendance = match arg("attendance").filter(|_| name == "participants") {
                Some(async_graphql::Value::Enum(name)) => <Attendance as async_graphql::EnumType>::items()
                    .iter()
                    .find(|i| i.name == name.as_str())
                    .map(|i| i.value),
                _ => None,
            };
            let Ok(limit) = page_size(first) else { continue };
            let keys: Vec<_> = ids.iter().map(|&a| (a, rows, attendance, scope, limit)).collect();
            let pages = crate::loader::many(&l.get::<ActivityLoaders>().first_participants, keys).await?;
            if wants_member {
                let members: Vec<i64> =
                    pages.iter().flat_map(|(page, _)| &page.rows).map(|(_, p)| p.member_id).collect();
                loader::many(&l.get::<MemberLoaders>().member, members).await?;
            }
        }
    }
    Ok(())
}

/// Queries of activities.
#[derive(Default)]
pub struct ActivityQuery;

#[Object]
impl ActivityQuery {
    /// Activities, newest first unless `orderBy` says `{ field: DATE, direction: ASC }`.
    #[expect(clippy::too_many_arguments, reason = "a connection's arguments, as GraphQL names them")]
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn activities(
        &self,
        ctx: &Context<'_>,
        filter: Option<ActivityFilterInput>,
        order_by: Option<Vec<ActivityOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<Activity>> {
        let filter = ActivityFilter::try_from(filter.unwrap_or_default()).under("filter")?;
        let descending = order_by
            .unwrap_or_default()
            .first()
            .is_none_or(|o| o.field == ActivityOrderField::Date && o.direction == OrderDirection::Desc);
        let args = PageArgs { first, after, last, before };
        let (page, count) = service::list(ctx.db()?, ctx.actor()?, filter, descending, &args).await?;
        let ids: Vec<i64> = page.rows.iter().map(|(_, a)| a.id).collect();
        prefetch_participants(ctx, &ids).await?;
        if nodes_select(ctx, &["organiser", "name"]) {
            let l = ctx.loaders()?;
            let organisers: Vec<Organiser> = page.rows.iter().map(|(_, a)| organiser_of(a)).collect();
            let pick = |f: fn(Organiser) -> Option<i64>| organisers.iter().filter_map(move |&o| f(o));
            let org = l.get::<OrganisationLoaders>();
            futures_util::try_join!(
                loader::many(&org.committee, pick(|o| if let Organiser::Committee(id) = o { Some(id) } else { None })),
                loader::many(&org.sector, pick(|o| if let Organiser::Sector(id) = o { Some(id) } else { None })),
                loader::many(&org.studio, pick(|o| if let Organiser::Studio(id) = o { Some(id) } else { None })),
                loader::many(&org.group, pick(|o| if let Organiser::Group(id) = o { Some(id) } else { None })),
            )?;
        }
        Ok(connection(page, TotalCount::new(count), Activity))
    }

    /// One activity by ID.
    async fn activity(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Activity>> {
        let id = decode_id(Kind::Activity, &id, "id")?;
        match Activity::find(ctx, id).await {
            Ok(a) => Ok(Some(a)),
            Err(AppError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
