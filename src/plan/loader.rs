//! DataLoaders of plans: plans by id, an item's stages and linked activities, a plan's progress
//! on a day, and a member's targets of a year with their progress. Each batch is one query (the
//! targets: one per kind of record they count).

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{
    service::{self, Progress},
    targets::{self, TargetProgress},
};
use crate::{auth::policy::DutyRecordsOf, error::AppError};
use entity::{plan, plan_item_activity, plan_stage};

fn arc(err: impl Into<AppError>) -> Arc<AppError> {
    Arc::new(err.into())
}

/// Loads plans by id.
pub struct PlanById {
    db: DatabaseConnection,
}

impl Loader<i64> for PlanById {
    type Value = plan::Model;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, plan::Model>, Self::Error> {
        let rows = plan::Entity::find().filter(plan::Column::Id.is_in(keys.iter().copied())).all(&self.db).await;
        Ok(rows.map_err(arc)?.into_iter().map(|p| (p.id, p)).collect())
    }
}

/// Loads the stages of plan items.
pub struct StagesByItem {
    db: DatabaseConnection,
}

impl Loader<i64> for StagesByItem {
    type Value = Vec<plan_stage::Model>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Vec<plan_stage::Model>>, Self::Error> {
        let rows = plan_stage::Entity::find()
            .filter(plan_stage::Column::PlanItemId.is_in(keys.iter().copied()))
            .order_by_asc(plan_stage::Column::Id)
            .all(&self.db)
            .await
            .map_err(arc)?;
        let mut out: HashMap<i64, Vec<plan_stage::Model>> = HashMap::new();
        for row in rows {
            out.entry(row.plan_item_id).or_default().push(row);
        }
        Ok(out)
    }
}

/// Loads the ids of the activities linked to plan items, in the order they were linked (voided
/// activities left out).
pub struct ActivitiesByItem {
    db: DatabaseConnection,
}

impl Loader<i64> for ActivitiesByItem {
    type Value = Vec<i64>;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Vec<i64>>, Self::Error> {
        let rows = plan_item_activity::Entity::find()
            .filter(plan_item_activity::Column::PlanItemId.is_in(keys.iter().copied()))
            // A voided activity carried nothing out.
            .filter(plan_item_activity::Column::ActivityId.not_in_subquery(crate::live::voided_activities()))
            .order_by_asc(plan_item_activity::Column::Id)
            .all(&self.db)
            .await
            .map_err(arc)?;
        let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
        for row in rows {
            out.entry(row.plan_item_id).or_default().push(row.activity_id);
        }
        Ok(out)
    }
}

/// Loads the progress of plans on a day: (plan, day).
pub struct ProgressByPlan {
    db: DatabaseConnection,
}

impl Loader<(i64, NaiveDate)> for ProgressByPlan {
    type Value = Progress;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[(i64, NaiveDate)]) -> Result<HashMap<(i64, NaiveDate), Progress>, Self::Error> {
        let mut days: HashMap<NaiveDate, Vec<i64>> = HashMap::new();
        for &(plan, day) in keys {
            days.entry(day).or_default().push(plan);
        }
        let mut out = HashMap::new();
        for (day, plans) in days {
            let found = service::progress(&self.db, &plans, day).await.map_err(Arc::new)?;
            out.extend(found.into_iter().map(|(plan, p)| ((plan, day), p)));
        }
        Ok(out)
    }
}

/// Loads members' targets of a year with their progress: (member, as the policy lets the caller
/// read them, year).
pub struct TargetsByMember {
    db: DatabaseConnection,
}

impl Loader<(DutyRecordsOf, i32)> for TargetsByMember {
    type Value = Vec<TargetProgress>;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[(DutyRecordsOf, i32)],
    ) -> Result<HashMap<(DutyRecordsOf, i32), Vec<TargetProgress>>, Self::Error> {
        let mut years: HashMap<i32, Vec<DutyRecordsOf>> = HashMap::new();
        for &(member, year) in keys {
            years.entry(year).or_default().push(member);
        }
        let mut out = HashMap::new();
        for (year, members) in years {
            let ids: Vec<i64> = members.iter().map(|m| m.member()).collect();
            let mut found = targets::progress(&self.db, &ids, year).await.map_err(Arc::new)?;
            for member in members {
                if let Some(list) = found.remove(&member.member()) {
                    out.insert((member, year), list);
                }
            }
        }
        Ok(out)
    }
}

/// The plan loaders of one request.
pub struct PlanLoaders {
    /// Plans by id.
    pub plan: DataLoader<PlanById, HashMapCache>,
    /// A plan item's stages.
    pub stages_by_item: DataLoader<StagesByItem, HashMapCache>,
    /// The activities linked to a plan item (their ids).
    pub activities_by_item: DataLoader<ActivitiesByItem, HashMapCache>,
    /// A plan's progress on a day.
    pub progress: DataLoader<ProgressByPlan, HashMapCache>,
    /// A member's targets of a year, with progress.
    pub targets: DataLoader<TargetsByMember, HashMapCache>,
}

impl crate::loader::LoaderSet for PlanLoaders {
    fn new(db: &DatabaseConnection) -> Self {
        use crate::loader::cached;
        Self {
            plan: cached(PlanById { db: db.clone() }),
            stages_by_item: cached(StagesByItem { db: db.clone() }),
            activities_by_item: cached(ActivitiesByItem { db: db.clone() }),
            progress: cached(ProgressByPlan { db: db.clone() }),
            targets: cached(TargetsByMember { db: db.clone() }),
        }
    }
}
