//! The reads of members: the member list (filtered by seat, committee, studio, region and
//! search), one member, one seat, and who sees a member's personal data.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, Query},
};

use super::{
    MemberFilter, MemberSort,
    search::{Search, ordering},
};
use crate::{
    auth::{Actor, policy},
    dates::today,
    error::{AppError, AppResult},
    organisation::service as organisation,
    pagination::{Counter, Ordering, Page, PageArgs, counter, paginate},
};
use entity::{committee_membership, member, region, seat, studio, studio_assignment};

/// The id of the term that `filter.term_id` names, or of the current term.
async fn term_of(db: &impl ConnectionTrait, term_id: Option<i64>) -> AppResult<Option<i64>> {
    match term_id {
        Some(id) => Ok(Some(id)),
        None => Ok(organisation::current_term(db, today()).await?.map(|t| t.id)),
    }
}

/// A page of members and the counter of all that match.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: MemberFilter,
    sorts: &[(MemberSort, bool)],
    page: &PageArgs,
) -> AppResult<(Page<member::Model>, Counter)> {
    policy::read_members(actor)?;
    let today = today();
    let mut select = member::Entity::find();

    // The member's seat in the chosen term, with the seat conditions: EXISTS, so that the
    // database can walk members in page order and stop at the page's end (an `IN` list made
    // SQLite collect and sort every seated member first; figures in BENCHMARKS.md).
    let mut seats = Query::select();
    seats
        .expr(Expr::val(1))
        .from(seat::Entity)
        .and_where(Expr::col((seat::Entity, seat::Column::MemberId)).equals((member::Entity, member::Column::Id)));
    if !filter.any_term {
        match term_of(db, filter.term_id).await? {
            Some(term) => seats.and_where(seat::Column::TermId.eq(term)),
            // No term at all yet: nobody is seated.
            None => seats.and_where(seat::Column::Id.is_null()),
        };
    }
    if let Some(sector) = filter.sector_id {
        seats.and_where(seat::Column::SectorId.eq(sector));
    }
    if let Some(party) = filter.party {
        seats.and_where(seat::Column::Party.eq(party));
    }
    if let Some(standing) = filter.standing_committee {
        seats.and_where(seat::Column::StandingCommittee.eq(standing));
    }
    if let Some(status) = filter.status {
        seats.and_where(seat::Column::Status.eq(status));
    }
    select = select.filter(Expr::exists(seats.to_owned()));

    let open_on = |end: committee_membership::Column| Condition::any().add(end.is_null()).add(end.gte(today));
    if let Some(committee) = filter.committee_id {
        let q = Query::select()
            .column(committee_membership::Column::MemberId)
            .from(committee_membership::Entity)
            .and_where(committee_membership::Column::CommitteeId.eq(committee))
            .cond_where(open_on(committee_membership::Column::EndDate))
            .and_where(committee_membership::Column::VoidedAt.is_null())
            .to_owned();
        select = select.filter(member::Column::Id.in_subquery(q));
    }
    let open_assignment = Condition::all().add(studio_assignment::Column::VoidedAt.is_null()).add(
        Condition::any()
            .add(studio_assignment::Column::EndDate.is_null())
            .add(studio_assignment::Column::EndDate.gte(today)),
    );
    if let Some(studio) = filter.studio_id {
        let q = Query::select()
            .column(studio_assignment::Column::MemberId)
            .from(studio_assignment::Entity)
            .and_where(studio_assignment::Column::StudioId.eq(studio))
            .cond_where(open_assignment.clone())
            .to_owned();
        select = select.filter(member::Column::Id.in_subquery(q));
    }
    if let Some(region) = filter.region_id {
        let below = Query::select()
            .column(region::Column::Id)
            .from(region::Entity)
            .and_where(region::Column::ParentId.eq(region))
            .to_owned();
        let studios = Query::select()
            .column(studio::Column::Id)
            .from(studio::Entity)
            .cond_where(
                Condition::any()
                    .add(studio::Column::RegionId.eq(region))
                    .add(studio::Column::RegionId.in_subquery(below)),
            )
            .to_owned();
        let q = Query::select()
            .column(studio_assignment::Column::MemberId)
            .from(studio_assignment::Entity)
            .and_where(studio_assignment::Column::StudioId.in_subquery(studios))
            .cond_where(open_assignment)
            .to_owned();
        select = select.filter(member::Column::Id.in_subquery(q));
    }
    let search = filter.search.as_deref().and_then(Search::new);
    if let Some(search) = &search {
        select = select.filter(search.matches());
    }

    let ordering = match (&search, sorts.is_empty()) {
        // A search without an explicit order ranks exact matches first, then prefixes, then
        // the rest, each by name. The term is part of the ordering's name: a cursor of one
        // search is refused by another.
        (Some(search), true) => {
            let by_name = ordering(&[(MemberSort::Name, false)]);
            Ordering::ranked(format!("SEARCH:{}:{}", search.text, by_name.name()), search.rank(), by_name.into_keys())
        }
        (None, true) => ordering(&[(MemberSort::Name, false)]),
        (_, false) => ordering(sorts),
    };
    let page = paginate(db, select.clone(), &ordering, page).await?;
    Ok((page, counter(db, select)))
}

/// One member, or NOT_FOUND.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<member::Model> {
    policy::read_members(actor)?;
    member::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found("member", id))
}

/// One seat, or NOT_FOUND; FORBIDDEN when the actor may not read members.
pub async fn find_seat(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<seat::Model> {
    policy::read_members(actor)?;
    seat::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found("seat", id))
}

/// Whether `actor` sees the personal fields (phone, birth date, notes) of member `member_id`.
pub fn shows_personal_data(actor: &Actor, member_id: i64) -> bool {
    policy::sees_personal_data(actor, member_id)
}
