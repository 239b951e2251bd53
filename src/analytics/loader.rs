//! DataLoaders of the analytics: the size of a run's cohorts and every year's results of many
//! members, each batch one or two statements.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;

use super::{
    duty::{self, KindFigures},
    standing::{self, CohortOf},
};
use crate::{
    assessment::service as assessments,
    auth::policy::{AssessmentScope, DutyRecordsOf},
    error::AppError,
    loader::{Cached, LoaderSet, cached},
};
use entity::member_assessment;

/// How many results a cohort of a run holds.
pub struct CohortSize {
    db: DatabaseConnection,
}

impl Loader<CohortOf> for CohortSize {
    type Value = i64;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[CohortOf]) -> Result<HashMap<CohortOf, i64>, Self::Error> {
        standing::cohort_sizes(&self.db, keys).await.map_err(Arc::new)
    }
}

/// Every year's result of a member as a scope allows, newest first: (member, scope).
pub struct History {
    db: DatabaseConnection,
}

impl Loader<(i64, AssessmentScope)> for History {
    type Value = Vec<member_assessment::Model>;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[(i64, AssessmentScope)],
    ) -> Result<HashMap<(i64, AssessmentScope), Vec<member_assessment::Model>>, Self::Error> {
        // One batch per scope; a request has at most two (a member's own and everyone's).
        let mut by_scope: HashMap<AssessmentScope, Vec<i64>> = HashMap::new();
        for &(member, scope) in keys {
            by_scope.entry(scope).or_default().push(member);
        }
        let mut out = HashMap::new();
        for (scope, members) in by_scope {
            let found = standing::history(&self.db, scope, &members).await.map_err(Arc::new)?;
            out.extend(members.into_iter().map(|m| ((m, scope), found.get(&m).cloned().unwrap_or_default())));
        }
        Ok(out)
    }
}

/// A member's result of a year as a scope allows, or none — an answer the cache keeps either
/// way, so a year without a result is asked once: (member, year, scope).
pub struct ResultOrNone {
    db: DatabaseConnection,
}

impl Loader<(i64, i32, AssessmentScope)> for ResultOrNone {
    type Value = Option<member_assessment::Model>;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[(i64, i32, AssessmentScope)],
    ) -> Result<HashMap<(i64, i32, AssessmentScope), Option<member_assessment::Model>>, Self::Error> {
        let mut by_scope: HashMap<AssessmentScope, Vec<(i64, i32)>> = HashMap::new();
        for &(member, year, scope) in keys {
            by_scope.entry(scope).or_default().push((member, year));
        }
        let mut out = HashMap::new();
        for (scope, wanted) in by_scope {
            let mut found = assessments::for_members(&self.db, scope, &wanted).await.map_err(Arc::new)?;
            out.extend(wanted.into_iter().map(|(m, y)| ((m, y, scope), found.remove(&(m, y)))));
        }
        Ok(out)
    }
}

/// A member's participations per activity kind in a year, as the policy let the reader see
/// them: (member's records, year).
pub struct ActivityCounts {
    db: DatabaseConnection,
}

impl Loader<(DutyRecordsOf, i32)> for ActivityCounts {
    type Value = Vec<KindFigures>;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[(DutyRecordsOf, i32)],
    ) -> Result<HashMap<(DutyRecordsOf, i32), Vec<KindFigures>>, Self::Error> {
        let mut by_year: HashMap<i32, Vec<DutyRecordsOf>> = HashMap::new();
        for &(of, year) in keys {
            by_year.entry(year).or_default().push(of);
        }
        let mut out = HashMap::new();
        for (year, ofs) in by_year {
            let members: Vec<i64> = ofs.iter().map(|o| o.member()).collect();
            let mut found = duty::member_counts(&self.db, &members, year).await.map_err(Arc::new)?;
            out.extend(ofs.into_iter().map(|o| ((o, year), found.remove(&o.member()).unwrap_or_default())));
        }
        Ok(out)
    }
}

/// The analytics' loaders of one request (`ctx.loaders()?.get::<AnalyticsLoaders>()`).
pub struct AnalyticsLoaders {
    /// Cohort sizes.
    pub cohort_size: Cached<CohortSize>,
    /// Members' results across years.
    pub history: Cached<History>,
    /// A member's result of a year, or none (for `change`).
    pub result: Cached<ResultOrNone>,
    /// A member's participations per activity kind in a year.
    pub activity_counts: Cached<ActivityCounts>,
}

impl LoaderSet for AnalyticsLoaders {
    fn new(db: &DatabaseConnection) -> Self {
        Self {
            cohort_size: cached(CohortSize { db: db.clone() }),
            history: cached(History { db: db.clone() }),
            result: cached(ResultOrNone { db: db.clone() }),
            activity_counts: cached(ActivityCounts { db: db.clone() }),
        }
    }
}
