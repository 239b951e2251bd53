//! The DataLoader of members' training hours in a year, for a page of members: one GROUP BY
//! query per year. Its keys carry the policy's leave to read each member's records.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;

use super::service::hours_tenths;
use crate::{auth::policy::DutyRecordsOf, error::AppError};

/// Loads the training hours (tenths) of many members in a year at once: (member, year).
pub struct HoursByMember {
    /// The database.
    pub db: DatabaseConnection,
}

impl Loader<(DutyRecordsOf, i32)> for HoursByMember {
    type Value = i64;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[(DutyRecordsOf, i32)]) -> Result<HashMap<(DutyRecordsOf, i32), i64>, Self::Error> {
        let mut years: HashMap<i32, Vec<DutyRecordsOf>> = HashMap::new();
        for &(member, year) in keys {
            years.entry(year).or_default().push(member);
        }
        let mut out = HashMap::new();
        for (year, members) in years {
            let ids: Vec<i64> = members.iter().map(|m| m.member()).collect();
            let found = hours_tenths(&self.db, &ids, year).await.map_err(Arc::new)?;
            for member in members {
                out.insert((member, year), found.get(&member.member()).copied().unwrap_or(0));
            }
        }
        Ok(out)
    }
}

/// The training loaders of one request (`ctx.loaders()?.get::<TrainingLoaders>()`).
pub struct TrainingLoaders {
    /// A member's training hours (tenths) in a year.
    pub training_hours: crate::loader::Cached<HoursByMember>,
    /// A training session's attendance rows.
    pub training_attendance_by_session:
        crate::loader::Cached<crate::loader::ByColumn<entity::training_attendance::Entity>>,
}

impl crate::loader::LoaderSet for TrainingLoaders {
    fn new(db: &DatabaseConnection) -> Self {
        Self {
            training_hours: crate::loader::cached(HoursByMember { db: db.clone() }),
            training_attendance_by_session: crate::loader::by_column(
                db,
                entity::training_attendance::Column::SessionId,
            ),
        }
    }
}
