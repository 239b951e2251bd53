//! Reading proposals: the list and its filters, one proposal, and the first pages of many
//! members' proposals in one query (the batch behind `Member.proposals`).

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Select,
    sea_query::{Expr, ExprTrait, Query, SimpleExpr},
};

use crate::{
    auth::{
        Actor,
        policy::{self, Reach, RecordScope},
    },
    dates::today,
    error::{AppError, AppResult},
    pagination::{Counter, Ordering, Page, PageArgs, SortKey, counter, paginate},
    signed::service as signed,
};
use entity::{
    enums::{ProposalKind, ProposalStatus},
    proposal, proposal_assignment, proposal_signer,
};

/// Which proposals to list.
#[derive(Clone, Debug, Default)]
pub struct ProposalFilter {
    /// Of this year.
    pub year: Option<i32>,
    /// In this state.
    pub status: Option<ProposalStatus>,
    /// Signed by this member.
    pub member_id: Option<i64>,
    /// Assigned to this handling unit.
    pub handling_unit_id: Option<i64>,
    /// Key proposals (or not).
    pub key_proposal: Option<bool>,
    /// Excellent proposals (or not).
    pub excellent: Option<bool>,
    /// Overdue (or not): past the due date without an answer, or answered after it.
    pub overdue: Option<bool>,
    /// Plenary or between sessions.
    pub kind: Option<ProposalKind>,
}

fn signed_by(member_id: i64) -> SimpleExpr {
    signed::signed_by::<proposal_signer::Entity>(proposal::Column::Id, member_id)
}

/// The proposals assigned (at any time) to handling unit `unit_id` and not refused by it: a
/// unit that refused an assignment (申请调整) no longer reads the proposal, unless it is
/// assigned to it again.
pub(super) fn assigned_to(unit_id: i64) -> SimpleExpr {
    proposal::Column::Id.in_subquery(
        Query::select()
            .column(proposal_assignment::Column::ProposalId)
            .from(proposal_assignment::Entity)
            .and_where(proposal_assignment::Column::HandlingUnitId.eq(unit_id))
            .and_where(proposal_assignment::Column::RefusedOn.is_null())
            .to_owned(),
    )
}

/// `select` narrowed to what `scope` lets through.
pub(super) fn scoped(select: Select<proposal::Entity>, scope: RecordScope) -> Select<proposal::Entity> {
    // A voided proposal counts nowhere: no list, page or change reaches it.
    reach(select, scope).filter(proposal::Column::VoidedAt.is_null())
}

/// [`scoped`] with voided proposals kept: the single lookup, which then asks `live::found`.
fn reach(select: Select<proposal::Entity>, scope: RecordScope) -> Select<proposal::Entity> {
    match scope.reach() {
        Reach::All => select,
        Reach::Member(id) => select.filter(signed_by(id)),
        Reach::HandlingUnit(id) => select.filter(assigned_to(id)),
    }
}

/// Overdue on `today`: past the due date without an answer, or answered after it.
pub(super) fn overdue_condition(today: NaiveDate) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(proposal::Column::AnsweredOn.is_null())
                .add(proposal::Column::Status.eq(ProposalStatus::Assigned))
                .add(proposal::Column::DueDate.lt(today)),
        )
        .add(Expr::col(proposal::Column::AnsweredOn).gt(Expr::col(proposal::Column::DueDate)))
}

fn newest_first() -> Ordering<proposal::Entity> {
    Ordering::new("PROPOSAL:ID:DESC", vec![SortKey { column: proposal::Column::Id, descending: true }])
}

/// A page of the proposals the actor may see, newest first, and the counter of all that match.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: ProposalFilter,
    page: &PageArgs,
) -> AppResult<(Page<proposal::Model>, Counter)> {
    let scope = policy::read_proposals(actor)?;
    let mut select = scoped(proposal::Entity::find(), scope);
    if let Some(year) = filter.year {
        select = select.filter(proposal::Column::Year.eq(year));
    }
    if let Some(status) = filter.status {
        select = select.filter(proposal::Column::Status.eq(status));
    }
    if let Some(member) = filter.member_id {
        select = select.filter(signed_by(member));
    }
    if let Some(unit) = filter.handling_unit_id {
        select = select.filter(assigned_to(unit));
    }
    if let Some(key) = filter.key_proposal {
        select = select.filter(proposal::Column::KeyProposal.eq(key));
    }
    if let Some(excellent) = filter.excellent {
        select = select.filter(proposal::Column::Excellent.eq(excellent));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(proposal::Column::Kind.eq(kind));
    }
    match filter.overdue {
        Some(true) => select = select.filter(overdue_condition(today())),
        Some(false) => select = select.filter(overdue_condition(today()).not()),
        None => {}
    }
    let page = paginate(db, select.clone(), &newest_first(), page).await?;
    Ok((page, counter(db, select)))
}

/// One proposal the actor may see, or NOT_FOUND (FORBIDDEN when the role reads no proposals).
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<proposal::Model> {
    let scope = policy::read_proposals(actor)?;
    let row = reach(proposal::Entity::find_by_id(id), scope)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("proposal", id))?;
    let voided_at = row.voided_at;
    crate::live::found(actor, row, voided_at, "proposal", id)
}

/// The proposals among `ids` that `scope` lets through, by id: ONE query for them all (the
/// batch behind `Proposal.mergedInto` and `OpinionReport.sourceProposal`); a hidden one is
/// absent.
pub async fn readable_by_id(
    db: &impl ConnectionTrait,
    scope: RecordScope,
    ids: &[i64],
) -> AppResult<HashMap<i64, proposal::Model>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows =
        scoped(proposal::Entity::find().filter(proposal::Column::Id.is_in(ids.iter().copied())), scope).all(db).await?;
    Ok(rows.into_iter().map(|p| (p.id, p)).collect())
}

/// Which proposals the actor may read, for the batched pages below (FORBIDDEN when the role
/// reads none).
pub fn readable(actor: &Actor) -> AppResult<RecordScope> {
    policy::read_proposals(actor)
}

/// The first `limit` proposals (newest first) signed by each of `members`, optionally in one
/// year, within what `scope` may read, with each member's total: ONE query for all of them.
/// The cursors are those of [`list`], so `Member.proposals(after:)` pages on from them.
pub async fn signed_first_pages(
    db: &impl ConnectionTrait,
    scope: RecordScope,
    members: &[i64],
    year: Option<i32>,
    limit: u64,
) -> AppResult<HashMap<i64, (Page<proposal::Model>, u64)>> {
    let mut select = scoped(proposal::Entity::find(), scope);
    if let Some(year) = year {
        select = select.filter(proposal::Column::Year.eq(year));
    }
    signed::first_pages_by_member::<_, proposal_signer::Entity>(
        db,
        select,
        proposal::Column::Id,
        members,
        &newest_first(),
        limit,
    )
    .await
}
