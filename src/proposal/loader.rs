//! The proposal domain's request-scoped loaders.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::DatabaseConnection;

use super::service;
use crate::error::AppError;
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
