//! DataLoaders of the assessment: a member's result of a year, a result's lines and
//! adjustments, runs and rule sets by id. Each batch is one or two queries.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::service;
use crate::error::AppError;
use entity::{assessment_adjustment, assessment_lines::ScoreLine, assessment_run, member_assessment, rule_set};

/// A member's result of a year: (member, year, published runs only).
pub struct ResultByMember {
    db: DatabaseConnection,
}

impl Loader<(i64, i32, bool)> for ResultByMember {
    type Value = member_assessment::Model;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[(i64, i32, bool)],
    ) -> Result<HashMap<(i64, i32, bool), member_assessment::Model>, Self::Error> {
        let mut out = HashMap::new();
        for published in [false, true] {
            let wanted: Vec<(i64, i32)> = keys.iter().filter(|k| k.2 == published).map(|k| (k.0, k.1)).collect();
            if wanted.is_empty() {
                continue;
            }
            let found = service::for_members(&self.db, &wanted, published).await.map_err(Arc::new)?;
            out.extend(found.into_iter().map(|((m, y), row)| ((m, y, published), row)));
        }
        Ok(out)
    }
}

/// A result's score lines, in order.
pub struct LinesByResult {
    db: DatabaseConnection,
}

impl Loader<i64> for LinesByResult {
    type Value = Vec<ScoreLine>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Vec<ScoreLine>>, Self::Error> {
        service::lines_of(&self.db, keys).await.map_err(Arc::new)
    }
}

/// The adjustments of a member in a run: (run, member).
pub struct AdjustmentsByResult {
    db: DatabaseConnection,
}

impl Loader<(i64, i64)> for AdjustmentsByResult {
    type Value = Vec<assessment_adjustment::Model>;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[(i64, i64)],
    ) -> Result<HashMap<(i64, i64), Vec<assessment_adjustment::Model>>, Self::Error> {
        service::adjustments_for(&self.db, keys).await.map_err(Arc::new)
    }
}

/// Runs by id.
pub struct RunById {
    db: DatabaseConnection,
}

impl Loader<i64> for RunById {
    type Value = assessment_run::Model;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, assessment_run::Model>, Self::Error> {
        let rows = assessment_run::Entity::find()
            .filter(assessment_run::Column::Id.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(|e| Arc::new(e.into()))?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

/// Rule sets by id.
pub struct RuleSetById {
    db: DatabaseConnection,
}

impl Loader<i64> for RuleSetById {
    type Value = rule_set::Model;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, rule_set::Model>, Self::Error> {
        let rows = rule_set::Entity::find()
            .filter(rule_set::Column::Id.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(|e| Arc::new(e.into()))?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

fn cached<L: Loader<K>, K: Send + Sync + Clone + Eq + std::hash::Hash + 'static>(
    loader: L,
) -> DataLoader<L, HashMapCache> {
    DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
}

/// The assessment's loaders of one request.
pub struct AssessmentLoaders {
    /// A member's result of a year.
    pub result: DataLoader<ResultByMember, HashMapCache>,
    /// A result's lines.
    pub lines: DataLoader<LinesByResult, HashMapCache>,
    /// A result's adjustments.
    pub adjustments: DataLoader<AdjustmentsByResult, HashMapCache>,
    /// Runs by id.
    pub run: DataLoader<RunById, HashMapCache>,
    /// Rule sets by id.
    pub rule_set: DataLoader<RuleSetById, HashMapCache>,
}

impl AssessmentLoaders {
    /// Fresh loaders for one request.
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            result: cached(ResultByMember { db: db.clone() }),
            lines: cached(LinesByResult { db: db.clone() }),
            adjustments: cached(AdjustmentsByResult { db: db.clone() }),
            run: cached(RunById { db: db.clone() }),
            rule_set: cached(RuleSetById { db: db.clone() }),
        }
    }
}
