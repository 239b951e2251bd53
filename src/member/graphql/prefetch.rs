//! What a page of members is about to ask for, loaded level by level before its nodes resolve:
//! one query per relation, argument set and level for the whole page.

use crate::member::loader::MemberLoaders;
use crate::opinion::loader::OpinionLoaders;
use crate::organisation::loader::OrganisationLoaders;
use crate::proposal::loader::ProposalLoaders;
use async_graphql::Context;

use super::types::current_term;
use crate::{context::ContextExt, error::AppError, loader, pagination::PageArgs, relay::nodes_select};
use entity::{committee_membership, seat, studio_assignment};

/// Primes the first pages of the proposals and reports every member of a page asks for, and
/// what those pages select in turn: one query per list and argument set for the whole page.
async fn prefetch_records(ctx: &Context<'_>, ids: &[i64]) -> Result<(), AppError> {
    let l = ctx.loaders()?;
    let look = ctx.look_ahead();
    let actor = ctx.actor()?;
    for name in ["proposals", "opinionReports"] {
        for field in [look.field("nodes").field(name), look.field("edges").field("node").field(name)] {
            if !field.exists() {
                continue;
            }
            for (year, first, after) in crate::activity::graphql::arguments_of(&field) {
                let Ok(Some(limit)) = PageArgs { first, ..PageArgs::default() }.first_page_size() else { continue };
                if after {
                    continue;
                }
                if name == "proposals" {
                    let scope = crate::proposal::service::readable(actor)?;
                    let keys = ids.iter().map(|&m| (m, year, limit, scope));
                    let pages = crate::loader::many(&l.get::<ProposalLoaders>().member_proposals, keys).await?;
                    let rows: Vec<_> = pages.iter().flat_map(|(page, _)| &page.rows).map(|(_, p)| p).collect();
                    crate::proposal::graphql::prefetch_for(l, actor, &field, &rows).await?;
                } else {
                    let scope = crate::opinion::service::readable(actor)?;
                    let keys = ids.iter().map(|&m| (m, year, limit, scope));
                    let pages = crate::loader::many(&l.get::<OpinionLoaders>().member_opinion_reports, keys).await?;
                    let rows: Vec<_> = pages.iter().flat_map(|(page, _)| &page.rows).map(|(_, r)| r).collect();
                    crate::opinion::graphql::prefetch_for(l, actor, &field, &rows).await?;
                }
            }
        }
    }
    Ok(())
}

/// Loads, level by level, what a page of members is about to ask for: one query per relation
/// and level for the whole page, a to-one relation joined into its parent's query (a seat
/// with its sector, a membership with its committee, an assignment with its studio), so that
/// the nodes' own loads find everything cached.
pub(super) async fn prefetch(ctx: &Context<'_>, ids: &[i64]) -> Result<(), AppError> {
    let l = ctx.loaders()?;
    let wants = |path: &[&str]| nodes_select(ctx, path);
    let records = prefetch_records(ctx, ids);
    let page = ids;
    let ids = || ids.iter().copied();
    let seats = async {
        if wants(&["currentSeat"]) {
            current_term(ctx).await?;
        }
        if !(wants(&["currentSeat"]) || wants(&["seats"])) {
            return Ok::<_, AppError>(());
        }
        if wants(&["currentSeat", "sector"]) || wants(&["seats", "sector"]) {
            // The seats with their sectors in one statement; the loads below find them cached.
            let o = l.get::<OrganisationLoaders>();
            loader::prime_with_related(
                &l.get::<MemberLoaders>().seats_by_member,
                &o.sector,
                seat::Column::SectorId,
                page,
            )
            .await?;
        }
        let seats: Vec<seat::Model> =
            loader::many(&l.get::<MemberLoaders>().seats_by_member, ids()).await?.into_iter().flatten().collect();
        if wants(&["currentSeat", "sector"]) || wants(&["seats", "sector"]) {
            loader::many(&l.get::<OrganisationLoaders>().sector, seats.iter().filter_map(|s| s.sector_id)).await?;
        }
        if wants(&["currentSeat", "term"]) || wants(&["seats", "term"]) {
            loader::many(&l.get::<OrganisationLoaders>().term, seats.iter().map(|s| s.term_id)).await?;
        }
        Ok(())
    };
    let committees = async {
        if wants(&["committeeMemberships"]) {
            let o = l.get::<OrganisationLoaders>();
            if wants(&["committeeMemberships", "specialCommittee"]) {
                let via = committee_membership::Column::CommitteeId;
                loader::prime_with_related(&o.committee_memberships_by_member, &o.committee, via, page).await?;
            }
            let rows = loader::many(&l.get::<OrganisationLoaders>().committee_memberships_by_member, ids()).await?;
            if wants(&["committeeMemberships", "specialCommittee"]) {
                loader::many(&l.get::<OrganisationLoaders>().committee, rows.iter().flatten().map(|r| r.committee_id))
                    .await?;
            }
        }
        Ok(())
    };
    let studios = async {
        if wants(&["studioAssignments"]) {
            let o = l.get::<OrganisationLoaders>();
            if wants(&["studioAssignments", "studio"]) {
                let via = studio_assignment::Column::StudioId;
                loader::prime_with_related(&o.studio_assignments_by_member, &o.studio, via, page).await?;
            }
            let rows = loader::many(&l.get::<OrganisationLoaders>().studio_assignments_by_member, ids()).await?;
            if wants(&["studioAssignments", "studio"]) {
                let studios =
                    loader::many(&l.get::<OrganisationLoaders>().studio, rows.iter().flatten().map(|r| r.studio_id))
                        .await?;
                if wants(&["studioAssignments", "studio", "region"]) {
                    loader::many(&l.get::<OrganisationLoaders>().region, studios.iter().filter_map(|s| s.region_id))
                        .await?;
                }
            }
        }
        Ok(())
    };
    let groups = async {
        if wants(&["groupMemberships"]) {
            let rows = loader::many(&l.get::<OrganisationLoaders>().group_memberships_by_member, ids()).await?;
            if wants(&["groupMemberships", "group"]) {
                loader::many(&l.get::<OrganisationLoaders>().group, rows.iter().flatten().map(|r| r.group_id)).await?;
            }
        }
        Ok(())
    };
    // Duty records: participations, attendance, training hours, duty items.
    let duty_ids: Vec<i64> = ids().collect();
    let duty = crate::activity::graphql::prefetch_members(ctx, &duty_ids);
    let assessments = crate::analytics::graphql::prefetch_members(ctx, &duty_ids);
    futures_util::try_join!(seats, committees, studios, groups, records, duty, assessments)?;
    Ok(())
}
