//! The proposal domain's request-scoped loaders.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::DatabaseConnection;

use super::service;
use crate::{
    error::AppError,
    loader::{ByColumn, ById, Cached, LoaderSet, by_column, by_id, cached},
    signed::loader::{MemberRecords, ScopedRecords},
};
use entity::enums::ResultClass;

/// Loads the result-class labels (the office's own or the defaults) once per request.
pub struct ResultLabels {
    db: DatabaseConnection,
}

impl ResultLabels {
    /// A loader reading from `db`.
    pub fn loader(db: &DatabaseConnection) -> DataLoader<Self, HashMapCache> {
        DataLoader::with_cache(Self { db: db.clone() }, tokio::spawn, HashMapCache::default())
    }
}

impl Loader<()> for ResultLabels {
    type Value = Vec<(ResultClass, String)>;
    type Error = Arc<AppError>;

    async fn load(&self, _: &[()]) -> Result<HashMap<(), Self::Value>, Self::Error> {
        let labels = service::result_class_labels(&self.db).await.map_err(Arc::new)?;
        Ok(HashMap::from([((), labels)]))
    }
}

/// The proposal loaders of one request (`ctx.loaders()?.get::<ProposalLoaders>()`).
pub struct ProposalLoaders {
    /// Proposals by id within the reader's scope (a hidden one is absent).
    pub readable: Cached<ScopedRecords<entity::proposal::Model>>,
    /// Proposal actions by id (a proposal's latest action).
    pub proposal_action: Cached<ById<entity::proposal_action::Entity>>,
    /// A proposal's signers.
    pub signers_by_proposal: Cached<ByColumn<entity::proposal_signer::Entity>>,
    /// A proposal's assignments to handling units.
    pub assignments_by_proposal: Cached<ByColumn<entity::proposal_assignment::Entity>>,
    /// A proposal's logged actions, oldest first.
    pub actions_by_proposal: Cached<ByColumn<entity::proposal_action::Entity>>,
    /// The labels of proposal result classes (the only key is `()`).
    pub result_class_labels: Cached<ResultLabels>,
    /// The first proposals signed by each member of a page.
    pub member_proposals: Cached<MemberRecords<entity::proposal::Model>>,
}

impl LoaderSet for ProposalLoaders {
    fn new(db: &DatabaseConnection) -> Self {
        Self {
            readable: cached(ScopedRecords::new(db.clone(), |db, scope, ids| {
                Box::pin(service::readable_by_id(db, scope, ids))
            })),
            proposal_action: by_id(db),
            signers_by_proposal: by_column(db, entity::proposal_signer::Column::ProposalId),
            assignments_by_proposal: by_column(db, entity::proposal_assignment::Column::ProposalId),
            actions_by_proposal: by_column(db, entity::proposal_action::Column::ProposalId),
            result_class_labels: ResultLabels::loader(db),
            member_proposals: cached(MemberRecords::new(db.clone(), |db, scope, members, year, limit| {
                Box::pin(service::signed_first_pages(db, scope, members, year, limit))
            })),
        }
    }
}
