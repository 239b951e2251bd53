//! The organisation's relations that not every role may read: the memberships of a committee,
//! studio, group or sector, and the member in a membership. Each takes the
//! [`MembershipScope`] that `policy::read_memberships` grants, so none is reached without that
//! decision; each batches through the request's DataLoaders.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;

use crate::{
    auth::policy::MembershipScope,
    error::AppError,
    loader::{self, ByColumn, ById, Cached, LoaderSet, Loaders, by_column, by_id, cached, live_by_column},
    member::loader::MemberLoaders,
};
use entity::{
    committee_membership, group_membership, handling_unit, member, member_group, region, sector, sector_convener,
    special_committee, studio, studio_assignment, term,
};

/// The organisation's loaders of one request (`ctx.loaders()?.get::<OrganisationLoaders>()`).
pub struct OrganisationLoaders {
    /// Terms by id.
    pub term: Cached<ById<term::Entity>>,
    /// Sectors by id.
    pub sector: Cached<ById<sector::Entity>>,
    /// Special committees by id.
    pub committee: Cached<ById<special_committee::Entity>>,
    /// Regions by id.
    pub region: Cached<ById<region::Entity>>,
    /// Studios by id.
    pub studio: Cached<ById<studio::Entity>>,
    /// Groups by id.
    pub group: Cached<ById<member_group::Entity>>,
    /// Handling units by id.
    pub handling_unit: Cached<ById<handling_unit::Entity>>,
    /// A member's committee memberships (voided ones left out, as in every loader below).
    pub committee_memberships_by_member: Cached<ByColumn<committee_membership::Entity>>,
    /// A committee's memberships.
    pub committee_memberships_by_committee: Cached<ByColumn<committee_membership::Entity>>,
    /// A member's studio assignments.
    pub studio_assignments_by_member: Cached<ByColumn<studio_assignment::Entity>>,
    /// A studio's assignments.
    pub studio_assignments_by_studio: Cached<ByColumn<studio_assignment::Entity>>,
    /// A member's group memberships.
    pub group_memberships_by_member: Cached<ByColumn<group_membership::Entity>>,
    /// A group's memberships.
    pub group_memberships_by_group: Cached<ByColumn<group_membership::Entity>>,
    /// A sector's conveners.
    pub conveners_by_sector: Cached<ByColumn<sector_convener::Entity>>,
    /// The villages and communities under a town or street.
    pub regions_by_parent: Cached<ByColumn<region::Entity>>,
    /// The studios in a region.
    pub studios_by_region: Cached<ByColumn<studio::Entity>>,
    /// The current term (the only key is `()`), looked up once per request.
    pub current_term: Cached<CurrentTerm>,
}

impl LoaderSet for OrganisationLoaders {
    fn new(db: &DatabaseConnection) -> Self {
        Self {
            term: by_id(db),
            sector: by_id(db),
            committee: by_id(db),
            region: by_id(db),
            studio: by_id(db),
            group: by_id(db),
            handling_unit: by_id(db),
            committee_memberships_by_member: live_by_column(
                db,
                committee_membership::Column::MemberId,
                committee_membership::Column::VoidedAt,
            ),
            committee_memberships_by_committee: live_by_column(
                db,
                committee_membership::Column::CommitteeId,
                committee_membership::Column::VoidedAt,
            ),
            studio_assignments_by_member: live_by_column(
                db,
                studio_assignment::Column::MemberId,
                studio_assignment::Column::VoidedAt,
            ),
            studio_assignments_by_studio: live_by_column(
                db,
                studio_assignment::Column::StudioId,
                studio_assignment::Column::VoidedAt,
            ),
            group_memberships_by_member: live_by_column(
                db,
                group_membership::Column::MemberId,
                group_membership::Column::VoidedAt,
            ),
            group_memberships_by_group: live_by_column(
                db,
                group_membership::Column::GroupId,
                group_membership::Column::VoidedAt,
            ),
            conveners_by_sector: by_column(db, sector_convener::Column::SectorId),
            regions_by_parent: by_column(db, region::Column::ParentId),
            studios_by_region: by_column(db, studio::Column::RegionId),
            current_term: cached(CurrentTerm { db: db.clone() }),
        }
    }
}

/// Loads the term in force today. A loader rather than a once-cell, so that every resolver
/// asking at the same moment shares one query and none waits behind another.
pub struct CurrentTerm {
    db: DatabaseConnection,
}

impl Loader<()> for CurrentTerm {
    type Value = term::Model;
    type Error = Arc<AppError>;

    async fn load(&self, _: &[()]) -> Result<HashMap<(), term::Model>, Self::Error> {
        let today = crate::dates::today();
        let term = super::service::current_term(&self.db, today).await.map_err(Arc::new)?;
        Ok(term.map(|t| ((), t)).into_iter().collect())
    }
}

/// The conveners of `sector`, ended ones included.
pub async fn conveners(
    loaders: &Loaders,
    _: MembershipScope,
    sector: i64,
) -> Result<Vec<sector_convener::Model>, AppError> {
    Ok(loader::one(&loaders.get::<OrganisationLoaders>().conveners_by_sector, sector).await?.unwrap_or_default())
}

/// The memberships of special committee `committee`, ended ones included.
pub async fn committee_memberships(
    loaders: &Loaders,
    _: MembershipScope,
    committee: i64,
) -> Result<Vec<committee_membership::Model>, AppError> {
    Ok(loader::one(&loaders.get::<OrganisationLoaders>().committee_memberships_by_committee, committee)
        .await?
        .unwrap_or_default())
}

/// The assignments to `studio`, ended ones included.
pub async fn studio_assignments(
    loaders: &Loaders,
    _: MembershipScope,
    studio: i64,
) -> Result<Vec<studio_assignment::Model>, AppError> {
    Ok(loader::one(&loaders.get::<OrganisationLoaders>().studio_assignments_by_studio, studio)
        .await?
        .unwrap_or_default())
}

/// The memberships of `group`, ended ones included.
pub async fn group_memberships(
    loaders: &Loaders,
    _: MembershipScope,
    group: i64,
) -> Result<Vec<group_membership::Model>, AppError> {
    Ok(loader::one(&loaders.get::<OrganisationLoaders>().group_memberships_by_group, group).await?.unwrap_or_default())
}

/// The member a membership row places.
pub async fn member(loaders: &Loaders, _: MembershipScope, id: i64) -> Result<Option<member::Model>, AppError> {
    loader::one(&loaders.get::<MemberLoaders>().member, id).await
}
