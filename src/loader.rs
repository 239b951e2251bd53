//! Generic DataLoaders: rows by primary key and rows by a foreign key, one query per batch.
//! [`Loaders`] is a request's registry: each domain declares its own [`LoaderSet`] beside its
//! resolvers, and the registry makes it on first use, fresh for each request.

use std::{
    any::{Any, TypeId},
    collections::HashMap,
    marker::PhantomData,
    sync::{Arc, Mutex},
};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, Iterable, ModelTrait, PrimaryKeyToColumn, QueryFilter, QueryOrder,
    Value,
};

use crate::error::AppError;
use entity::{
    committee_membership, group_membership, handling_unit, member, member_group, region, seat, sector, sector_convener,
    special_committee, studio, studio_assignment, term,
};

fn as_i64(value: Value) -> Option<i64> {
    match value {
        Value::BigInt(v) => v,
        Value::Int(v) => v.map(i64::from),
        _ => None,
    }
}

fn primary_column<E: EntityTrait>() -> Result<E::Column, Arc<AppError>> {
    E::PrimaryKey::iter()
        .next()
        .map(|pk| pk.into_column())
        .ok_or_else(|| Arc::new(AppError::Internal("entity without a primary key".into())))
}

/// Loads rows of `E` by primary key.
pub struct ById<E> {
    db: DatabaseConnection,
    entity: PhantomData<E>,
}

impl<E> Loader<i64> for ById<E>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = E::Model;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, E::Model>, Self::Error> {
        let pk = primary_column::<E>()?;
        let rows =
            E::find().filter(pk.is_in(keys.iter().copied())).all(&self.db).await.map_err(|e| Arc::new(e.into()))?;
        Ok(rows.into_iter().filter_map(|m| as_i64(m.get(pk)).map(|id| (id, m))).collect())
    }
}

/// Loads the rows of `E` whose `column` equals each key, in primary-key order.
pub struct ByColumn<E: EntityTrait> {
    db: DatabaseConnection,
    column: E::Column,
}

impl<E> Loader<i64> for ByColumn<E>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
    E::Column: Send + Sync,
{
    type Value = Vec<E::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Vec<E::Model>>, Self::Error> {
        let pk = primary_column::<E>()?;
        let rows = E::find()
            .filter(self.column.is_in(keys.iter().copied()))
            .order_by_asc(pk)
            .all(&self.db)
            .await
            .map_err(|e| Arc::new(e.into()))?;
        let mut map: HashMap<i64, Vec<E::Model>> = HashMap::new();
        for row in rows {
            if let Some(key) = as_i64(row.get(self.column)) {
                map.entry(key).or_default().push(row);
            }
        }
        Ok(map)
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
        let term = crate::organisation::service::current_term(&self.db, today).await.map_err(Arc::new)?;
        Ok(term.map(|t| ((), t)).into_iter().collect())
    }
}

/// A request-scoped DataLoader with its cache.
pub type Cached<L> = DataLoader<L, HashMapCache>;

/// Wraps a loader in a request-scoped DataLoader.
pub fn cached<L>(loader: L) -> Cached<L>
where
    L: Loader<i64> + Send + Sync + 'static,
{
    DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
}

/// A domain's DataLoaders for one request, made by the registry on first use.
pub trait LoaderSet: Send + Sync + 'static {
    /// Fresh loaders over `db`.
    fn new(db: &DatabaseConnection) -> Self;
}

/// Rows of `E` by primary key, as a request-scoped DataLoader.
pub fn by_id<E: EntityTrait>(db: &DatabaseConnection) -> DataLoader<ById<E>, HashMapCache>
where
    E::Model: Clone + Send + Sync + 'static,
{
    DataLoader::with_cache(ById { db: db.clone(), entity: PhantomData }, tokio::spawn, HashMapCache::default())
}

/// Rows of `E` by the foreign key `column`, as a request-scoped DataLoader.
pub fn by_column<E: EntityTrait>(db: &DatabaseConnection, column: E::Column) -> DataLoader<ByColumn<E>, HashMapCache>
where
    E::Model: Clone + Send + Sync + 'static,
    E::Column: Send + Sync,
{
    DataLoader::with_cache(ByColumn { db: db.clone(), column }, tokio::spawn, HashMapCache::default())
}

/// The loaders of one request. Their caches live as long as the request.
pub struct Loaders {
    db: DatabaseConnection,
    sets: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
    /// Terms by id.
    pub term: DataLoader<ById<term::Entity>, HashMapCache>,
    /// Members by id.
    pub member: DataLoader<ById<member::Entity>, HashMapCache>,
    /// Sectors by id.
    pub sector: DataLoader<ById<sector::Entity>, HashMapCache>,
    /// Special committees by id.
    pub committee: DataLoader<ById<special_committee::Entity>, HashMapCache>,
    /// Regions by id.
    pub region: DataLoader<ById<region::Entity>, HashMapCache>,
    /// Studios by id.
    pub studio: DataLoader<ById<studio::Entity>, HashMapCache>,
    /// Groups by id.
    pub group: DataLoader<ById<member_group::Entity>, HashMapCache>,
    /// Handling units by id.
    pub handling_unit: DataLoader<ById<handling_unit::Entity>, HashMapCache>,
    /// A member's seats.
    pub seats_by_member: DataLoader<ByColumn<seat::Entity>, HashMapCache>,
    /// A member's committee memberships.
    pub committee_memberships_by_member: DataLoader<ByColumn<committee_membership::Entity>, HashMapCache>,
    /// A committee's memberships.
    pub committee_memberships_by_committee: DataLoader<ByColumn<committee_membership::Entity>, HashMapCache>,
    /// A member's studio assignments.
    pub studio_assignments_by_member: DataLoader<ByColumn<studio_assignment::Entity>, HashMapCache>,
    /// A studio's assignments.
    pub studio_assignments_by_studio: DataLoader<ByColumn<studio_assignment::Entity>, HashMapCache>,
    /// A member's group memberships.
    pub group_memberships_by_member: DataLoader<ByColumn<group_membership::Entity>, HashMapCache>,
    /// A group's memberships.
    pub group_memberships_by_group: DataLoader<ByColumn<group_membership::Entity>, HashMapCache>,
    /// A sector's conveners.
    pub conveners_by_sector: DataLoader<ByColumn<sector_convener::Entity>, HashMapCache>,
    /// The villages and communities under a town or street.
    pub regions_by_parent: DataLoader<ByColumn<region::Entity>, HashMapCache>,
    /// The studios in a region.
    pub studios_by_region: DataLoader<ByColumn<studio::Entity>, HashMapCache>,
    /// The current term (the only key is `()`), looked up once per request.
    pub current_term: DataLoader<CurrentTerm, HashMapCache>,
    /// Activities by id.
    pub activity: DataLoader<ById<entity::activity::Entity>, HashMapCache>,
    /// The first participations of a member: (member, year, page size).
    pub first_participations: DataLoader<crate::activity::loader::FirstParticipations, HashMapCache>,
    /// The first proposals signed by each member of a page.
    pub member_proposals: DataLoader<crate::member::loader::MemberRecords<entity::proposal::Model>, HashMapCache>,
    /// The first reports written by each member of a page.
    pub member_opinion_reports:
        DataLoader<crate::member::loader::MemberRecords<entity::opinion_report::Model>, HashMapCache>,
    /// The first participants of each activity of a page.
    pub first_participants: DataLoader<crate::activity::loader::FirstParticipants, HashMapCache>,
    /// A member's attendance summary in a year: (member, year).
    pub attendance: DataLoader<crate::activity::loader::AttendanceByMember, HashMapCache>,
    /// A member's training hours (tenths) in a year: (member, year).
    pub training_hours: DataLoader<crate::training::service::HoursByMember, HashMapCache>,
    /// A training session's attendance rows.
    pub training_attendance_by_session: DataLoader<ByColumn<entity::training_attendance::Entity>, HashMapCache>,
    /// A member's duty items.
    pub duty_items_by_member: DataLoader<ByColumn<entity::duty_item::Entity>, HashMapCache>,
    /// Proposals by id.
    pub proposal: DataLoader<ById<entity::proposal::Entity>, HashMapCache>,
    /// Proposal actions by id (a proposal's latest action).
    pub proposal_action: DataLoader<ById<entity::proposal_action::Entity>, HashMapCache>,
    /// A proposal's signers.
    pub signers_by_proposal: DataLoader<ByColumn<entity::proposal_signer::Entity>, HashMapCache>,
    /// A proposal's assignments to handling units.
    pub assignments_by_proposal: DataLoader<ByColumn<entity::proposal_assignment::Entity>, HashMapCache>,
    /// A proposal's logged actions, oldest first.
    pub actions_by_proposal: DataLoader<ByColumn<entity::proposal_action::Entity>, HashMapCache>,
    /// The public-opinion report a proposal was converted to.
    pub opinion_reports_by_proposal: DataLoader<ByColumn<entity::opinion_report::Entity>, HashMapCache>,
    /// A public-opinion report's authors.
    pub authors_by_opinion_report: DataLoader<ByColumn<entity::opinion_author::Entity>, HashMapCache>,
    /// A public-opinion report's adoptions.
    pub adoptions_by_opinion_report: DataLoader<ByColumn<entity::opinion_adoption::Entity>, HashMapCache>,
    /// The labels of proposal result classes (the only key is `()`).
    pub result_class_labels: DataLoader<crate::proposal::graphql::ResultLabels, HashMapCache>,
    /// The assessment's loaders: results, lines, adjustments, runs, rule sets.
    pub assessment: crate::assessment::loader::AssessmentLoaders,
    /// The plans' loaders: plans, item stages and activities, progress, members' targets.
    pub plan: crate::plan::loader::PlanLoaders,
}

impl Loaders {
    /// The request's loader set `S`, made on first use; every resolver of the request shares
    /// it, so its loads batch together.
    pub fn get<S: LoaderSet>(&self) -> Arc<S> {
        let mut sets = self.sets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let set =
            sets.entry(TypeId::of::<S>()).or_insert_with(|| Arc::new(S::new(&self.db)) as Arc<dyn Any + Send + Sync>);
        match Arc::clone(set).downcast::<S>() {
            Ok(set) => set,
            // The map is keyed by the set's own type, so the entry is always an `S`.
            Err(_) => Arc::new(S::new(&self.db)),
        }
    }

    /// Fresh loaders for one request.
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            db: db.clone(),
            sets: Mutex::default(),
            term: by_id(db),
            member: by_id(db),
            sector: by_id(db),
            committee: by_id(db),
            region: by_id(db),
            studio: by_id(db),
            group: by_id(db),
            handling_unit: by_id(db),
            seats_by_member: by_column(db, seat::Column::MemberId),
            committee_memberships_by_member: by_column(db, committee_membership::Column::MemberId),
            committee_memberships_by_committee: by_column(db, committee_membership::Column::CommitteeId),
            studio_assignments_by_member: by_column(db, studio_assignment::Column::MemberId),
            studio_assignments_by_studio: by_column(db, studio_assignment::Column::StudioId),
            group_memberships_by_member: by_column(db, group_membership::Column::MemberId),
            group_memberships_by_group: by_column(db, group_membership::Column::GroupId),
            conveners_by_sector: by_column(db, sector_convener::Column::SectorId),
            regions_by_parent: by_column(db, region::Column::ParentId),
            studios_by_region: by_column(db, studio::Column::RegionId),
            current_term: DataLoader::with_cache(CurrentTerm { db: db.clone() }, tokio::spawn, HashMapCache::default()),
            activity: by_id(db),
            member_proposals: DataLoader::with_cache(
                crate::member::loader::MemberRecords::new(db.clone(), |db, scope, members, year, limit| {
                    Box::pin(crate::proposal::service::signed_first_pages(db, scope, members, year, limit))
                }),
                tokio::spawn,
                HashMapCache::default(),
            ),
            member_opinion_reports: DataLoader::with_cache(
                crate::member::loader::MemberRecords::new(db.clone(), |db, scope, members, year, limit| {
                    Box::pin(crate::opinion::service::written_first_pages(db, scope, members, year, limit))
                }),
                tokio::spawn,
                HashMapCache::default(),
            ),
            first_participants: DataLoader::with_cache(
                crate::activity::loader::FirstParticipants { db: db.clone() },
                tokio::spawn,
                HashMapCache::default(),
            ),
            first_participations: DataLoader::with_cache(
                crate::activity::loader::FirstParticipations { db: db.clone() },
                tokio::spawn,
                HashMapCache::default(),
            ),
            attendance: DataLoader::with_cache(
                crate::activity::loader::AttendanceByMember { db: db.clone() },
                tokio::spawn,
                HashMapCache::default(),
            ),
            training_hours: DataLoader::with_cache(
                crate::training::service::HoursByMember { db: db.clone() },
                tokio::spawn,
                HashMapCache::default(),
            ),
            training_attendance_by_session: by_column(db, entity::training_attendance::Column::SessionId),
            duty_items_by_member: by_column(db, entity::duty_item::Column::MemberId),
            proposal: by_id(db),
            proposal_action: by_id(db),
            signers_by_proposal: by_column(db, entity::proposal_signer::Column::ProposalId),
            assignments_by_proposal: by_column(db, entity::proposal_assignment::Column::ProposalId),
            actions_by_proposal: by_column(db, entity::proposal_action::Column::ProposalId),
            opinion_reports_by_proposal: by_column(db, entity::opinion_report::Column::SourceProposalId),
            authors_by_opinion_report: by_column(db, entity::opinion_author::Column::ReportId),
            adoptions_by_opinion_report: by_column(db, entity::opinion_adoption::Column::ReportId),
            result_class_labels: crate::proposal::graphql::ResultLabels::loader(db),
            assessment: crate::assessment::loader::AssessmentLoaders::new(db),
            plan: crate::plan::loader::PlanLoaders::new(db),
        }
    }
}

/// Loads one value through `loader`, turning a shared batch error back into an [`AppError`].
pub async fn one<L>(loader: &DataLoader<L, HashMapCache>, key: i64) -> Result<Option<L::Value>, AppError>
where
    L: Loader<i64, Error = Arc<AppError>>,
{
    loader.load_one(key).await.map_err(|e| (*e).clone())
}

/// Loads the values of many keys through `loader` in one batch, in key order, skipping missing
/// ones.
pub async fn many<L>(
    loader: &DataLoader<L, HashMapCache>,
    keys: impl IntoIterator<Item = i64>,
) -> Result<Vec<L::Value>, AppError>
where
    L: Loader<i64, Error = Arc<AppError>>,
{
    let keys: Vec<i64> = keys.into_iter().collect();
    let found = loader.load_many(keys.iter().copied()).await.map_err(|e| (*e).clone())?;
    Ok(keys.iter().filter_map(|k| found.get(k).cloned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Counted(usize);

    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    impl LoaderSet for Counted {
        fn new(_: &DatabaseConnection) -> Self {
            Self(MADE.fetch_add(1, std::sync::atomic::Ordering::SeqCst))
        }
    }

    #[test]
    fn a_request_makes_each_loader_set_once_and_shares_it() {
        let loaders = Loaders::new(&DatabaseConnection::default());
        let (first, again) = (loaders.get::<Counted>(), loaders.get::<Counted>());
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(first.0, again.0);
        let other_request = Loaders::new(&DatabaseConnection::default());
        assert_ne!(other_request.get::<Counted>().0, first.0);
    }
}
