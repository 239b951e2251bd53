//! The duty fields of `Member` that activities answer (`participations`, `invitations`,
//! `attendance`), and the page-wide prefetch of every duty field a page of members selects.

use crate::activity::loader::ActivityLoaders;
use crate::duty::loader::DutyLoaders;
use crate::training::loader::TrainingLoaders;
use std::collections::HashSet;

use async_graphql::{Context, Lookahead, Result, SelectionField};
use futures_util::FutureExt;

use super::{AttendanceSummaryObject, Invitation, Participation, page_size};
use crate::{
    activity::service::{self, Rows, member_participation_cursor},
    context::ContextExt,
    error::AppError,
    loader,
    pagination::{Page, PageArgs},
    relay::{CountedConnection, TotalCount, connection, nodes_select},
};
use entity::participation;

/// A member's participations or invitations: the first page comes from the page-wide loader
/// (one windowed query for every member of the page); later pages (`after`) are keyset pages of
/// one member.
async fn member_rows(
    ctx: &Context<'_>,
    member_id: i64,
    rows: Rows,
    year: Option<i32>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<(Page<participation::Model>, TotalCount)> {
    let actor = ctx.actor()?;
    if after.is_some() {
        let args = PageArgs { first, after, last: None, before: None };
        let (page, count) = service::member_participations(ctx.db()?, actor, member_id, rows, year, &args).await?;
        return Ok((page, TotalCount::new(count)));
    }
    let of = service::records_of(actor, member_id, year)?;
    let limit = page_size(first)?;
    // The activities the nodes ask for come in the rows' statement.
    let with_activities = nodes_select(ctx, &["activity"]);
    let loaders = ctx.loaders()?.get::<ActivityLoaders>();
    let (mut found, total, activities) =
        crate::loader::one(&loaders.first_participations, (of, rows, year, limit, with_activities))
            .await?
            .unwrap_or_default();
    loaders.activity.feed_many(activities.into_iter().map(|a| (a.id, a))).await;
    let more = found.len() as u64 > limit;
    found.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let page = Page {
        rows: found.into_iter().map(|p| (member_participation_cursor(&p), p)).collect(),
        has_previous_page: false,
        has_next_page: more,
    };
    let count = TotalCount::new(move || async move { Ok(total) }.boxed());
    Ok((page, count))
}

/// `Member.participations`: the marked rows, newest first.
pub async fn member_participations(
    ctx: &Context<'_>,
    member_id: i64,
    year: Option<i32>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<CountedConnection<crate::plain::Fast<Participation>>> {
    let (page, count) = member_rows(ctx, member_id, Rows::Marked, year, first, after).await?;
    Ok(connection(page, count, |p| crate::plain::Fast(Participation(p))))
}

/// `Member.invitations`: every invitation (应出席), marked or pending, newest first, with the
/// leave requests of the page's activities loaded at once when asked for.
pub async fn member_invitations(
    ctx: &Context<'_>,
    member_id: i64,
    year: Option<i32>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<CountedConnection<Invitation>> {
    let (page, count) = member_rows(ctx, member_id, Rows::Invited, year, first, after).await?;
    if nodes_select(ctx, &["leaveRequest"]) {
        let activities: Vec<i64> = page.rows.iter().map(|(_, p)| p.activity_id).collect();
        loader::many(&ctx.loaders()?.get::<ActivityLoaders>().leave_by_activity, activities).await?;
    }
    Ok(connection(page, count, Invitation))
}

/// `Member.attendance(year)`, through the page-wide loader.
pub async fn member_attendance(ctx: &Context<'_>, member_id: i64, year: i32) -> Result<AttendanceSummaryObject> {
    let of = service::records_of(ctx.actor()?, member_id, Some(year))?;
    let summary =
        crate::loader::one(&ctx.loaders()?.get::<ActivityLoaders>().attendance, (of, year)).await?.unwrap_or_default();
    Ok(AttendanceSummaryObject { year, summary })
}

/// The `year` and `first` arguments of every selection of a field.
pub fn arguments_of(look: &Lookahead<'_>) -> Vec<(Option<i32>, Option<i32>, bool)> {
    look.selection_fields().iter().filter_map(arguments).collect()
}

/// Whether a connection's selection asks for its nodes' `activity`.
fn selects_activity(field: &SelectionField<'_>) -> bool {
    field.selection_set().any(|child| match child.name() {
        "nodes" => child.selection_set().any(|node| node.name() == "activity"),
        "edges" => child
            .selection_set()
            .any(|edge| edge.name() == "node" && edge.selection_set().any(|node| node.name() == "activity")),
        _ => false,
    })
}

/// The `year` and `first` arguments of one selection of a field, and whether it has `after`.
fn arguments(field: &SelectionField<'_>) -> Option<(Option<i32>, Option<i32>, bool)> {
    field.arguments().ok().map(|args| {
        let int = |name: &str| {
            args.iter().find(|(n, _)| n.as_str() == name).and_then(|(_, v)| match v {
                async_graphql::Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
                _ => None,
            })
        };
        let after = args.iter().any(|(n, v)| n.as_str() == "after" && *v != async_graphql::Value::Null);
        (int("year"), int("first"), after)
    })
}

/// Loads, for a page of members, the duty fields its nodes select: first participations (and
/// their activities), attendance, training hours and duty items, one query per field, argument
/// set and level, so the statement count does not depend on the page size.
pub async fn prefetch_members(ctx: &Context<'_>, ids: &[i64]) -> Result<(), AppError> {
    let l = ctx.loaders()?;
    let readable = service::readable_records(ctx.actor()?, ids);
    let look = ctx.look_ahead();
    let fields = |name: &str| [look.field("nodes").field(name), look.field("edges").field("node").field(name)];

    let mut participation_keys = HashSet::new();
    for (name, rows) in [("participations", Rows::Marked), ("invitations", Rows::Invited)] {
        for field in fields(name) {
            for selection in field.selection_fields() {
                if let Some((year, first, false)) = arguments(&selection)
                    && let Ok(limit) = page_size(first)
                {
                    participation_keys.insert((rows, year, limit, selects_activity(&selection)));
                }
            }
        }
    }
    let mut attendance_years = HashSet::new();
    for field in fields("attendance") {
        attendance_years.extend(arguments_of(&field).into_iter().filter_map(|(year, _, _)| year));
    }
    let mut hour_years = HashSet::new();
    for field in fields("trainingHours") {
        hour_years.extend(arguments_of(&field).into_iter().filter_map(|(year, _, _)| year));
    }
    let wants_items = fields("dutyItems").iter().any(Lookahead::exists);

    let participations = async {
        let loaders = l.get::<ActivityLoaders>();
        for (rows, year, limit, with_activities) in participation_keys {
            let keys: Vec<_> = readable.iter().map(|&m| (m, rows, year, limit, with_activities)).collect();
            let pages = crate::loader::many(&loaders.first_participations, keys).await?;
            let activities = pages.into_iter().flat_map(|(_, _, activities)| activities);
            loaders.activity.feed_many(activities.map(|a| (a.id, a))).await;
        }
        Ok::<_, AppError>(())
    };
    let attendance = async {
        for year in attendance_years {
            crate::loader::many(&l.get::<ActivityLoaders>().attendance, readable.iter().map(|&m| (m, year))).await?;
        }
        Ok(())
    };
    let hours = async {
        for year in hour_years {
            crate::loader::many(&l.get::<TrainingLoaders>().training_hours, readable.iter().map(|&m| (m, year)))
                .await?;
        }
        Ok(())
    };
    let items = async {
        if wants_items {
            loader::many(&l.get::<DutyLoaders>().duty_items_by_member, readable.iter().map(|m| m.member())).await?;
        }
        Ok(())
    };
    futures_util::try_join!(participations, attendance, hours, items)?;
    Ok(())
}
