//! DataLoaders of the assessment: a member's result of a year, a result's lines and
//! adjustments, runs and rule sets by id. Each batch is one or two queries.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::DatabaseConnection;

use super::service;
use crate::{
    auth::policy::AssessmentScope,
    error::AppError,
    loader::{ById, Cached, LoaderSet, by_id, cached},
};
use entity::{assessment_adjustment, assessment_lines::ScoreLine, assessment_run, member_assessment, rule_set};

/// A member's result of a year as a scope allows: (member, year, scope).
pub struct ResultByMember {
    db: DatabaseConnection,
}

impl Loader<(i64, i32, AssessmentScope)> for ResultByMember {
    type Value = member_assessment::Model;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[(i64, i32, AssessmentScope)],
    ) -> Result<HashMap<(i64, i32, AssessmentScope), member_assessment::Model>, Self::Error> {
        // One batch per scope; a request has at most two (a member's own and everyone's).
        let mut by_scope: HashMap<AssessmentScope, Vec<(i64, i32)>> = HashMap::new();
        for &(member, year, scope) in keys {
            by_scope.entry(scope).or_default().push((member, year));
        }
        let mut out = HashMap::new();
        for (scope, wanted) in by_scope {
            let found = service::for_members(&self.db, scope, &wanted).await.map_err(Arc::new)?;
            out.extend(found.into_iter().map(|((m, y), row)| ((m, y, scope), row)));
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

/// A request-scoped DataLoader over keys other than a row id.
/// The assessment's loaders of one request (`ctx.loaders()?.get::<AssessmentLoaders>()`).
pub struct AssessmentLoaders {
    /// A member's result of a year.
    pub result: DataLoader<ResultByMember, HashMapCache>,
    /// A result's lines.
    pub lines: Cached<LinesByResult>,
    /// A result's adjustments.
    pub adjustments: DataLoader<AdjustmentsByResult, HashMapCache>,
    /// Runs by id.
    pub run: Cached<ById<assessment_run::Entity>>,
    /// Rule sets by id.
    pub rule_set: Cached<ById<rule_set::Entity>>,
}

impl LoaderSet for AssessmentLoaders {
    fn new(db: &DatabaseConnection) -> Self {
        Self {
            result: cached(ResultByMember { db: db.clone() }),
            lines: cached(LinesByResult { db: db.clone() }),
            adjustments: cached(AdjustmentsByResult { db: db.clone() }),
            run: by_id(db),
            rule_set: by_id(db),
        }
    }
}
