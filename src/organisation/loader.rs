//! The organisation's relations that not every role may read: the memberships of a committee,
//! studio, group or sector, and the member in a membership. Each takes the
//! [`MembershipScope`] that `policy::read_memberships` grants, so none is reached without that
//! decision; each batches through the request's DataLoaders.

use crate::{
    auth::policy::MembershipScope,
    error::AppError,
    loader::{self, Loaders},
};
use entity::{committee_membership, group_membership, member, sector_convener, studio_assignment};

/// The conveners of `sector`, ended ones included.
pub async fn conveners(
    loaders: &Loaders,
    _: MembershipScope,
    sector: i64,
) -> Result<Vec<sector_convener::Model>, AppError> {
    Ok(loader::one(&loaders.conveners_by_sector, sector).await?.unwrap_or_default())
}

/// The memberships of special committee `committee`, ended ones included.
pub async fn committee_memberships(
    loaders: &Loaders,
    _: MembershipScope,
    committee: i64,
) -> Result<Vec<committee_membership::Model>, AppError> {
    Ok(loader::one(&loaders.committee_memberships_by_committee, committee).await?.unwrap_or_default())
}

/// The assignments to `studio`, ended ones included.
pub async fn studio_assignments(
    loaders: &Loaders,
    _: MembershipScope,
    studio: i64,
) -> Result<Vec<studio_assignment::Model>, AppError> {
    Ok(loader::one(&loaders.studio_assignments_by_studio, studio).await?.unwrap_or_default())
}

/// The memberships of `group`, ended ones included.
pub async fn group_memberships(
    loaders: &Loaders,
    _: MembershipScope,
    group: i64,
) -> Result<Vec<group_membership::Model>, AppError> {
    Ok(loader::one(&loaders.group_memberships_by_group, group).await?.unwrap_or_default())
}

/// The member a membership row places.
pub async fn member(loaders: &Loaders, _: MembershipScope, id: i64) -> Result<Option<member::Model>, AppError> {
    loader::one(&loaders.member, id).await
}
