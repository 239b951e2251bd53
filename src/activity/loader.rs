//! DataLoaders of a member's duty figures for a page of members: the first participations and
//! the attendance summary of every member of the page, each in one query per argument set.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;

use super::service::{self, AttendanceSummary};
use crate::error::AppError;
use crate::pagination::Page;
use entity::{enums::Attendance, participation};

/// The first participations of a member: (member, year, page size).
pub type ParticipationsKey = (i64, Option<i32>, u64);

/// Loads the first page of participations (and the total) of many members at once.
pub struct FirstParticipations {
    /// The database.
    pub db: DatabaseConnection,
}

impl Loader<ParticipationsKey> for FirstParticipations {
    type Value = (Vec<participation::Model>, u64);
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[ParticipationsKey]) -> Result<HashMap<ParticipationsKey, Self::Value>, Self::Error> {
        let mut groups: HashMap<(Option<i32>, u64), Vec<i64>> = HashMap::new();
        for &(member, year, limit) in keys {
            groups.entry((year, limit)).or_default().push(member);
        }
        let mut out = HashMap::new();
        for ((year, limit), members) in groups {
            let mut found = service::first_participations(&self.db, &members, year, limit).await.map_err(Arc::new)?;
            for member in members {
                out.insert((member, year, limit), found.remove(&member).unwrap_or_default());
            }
        }
        Ok(out)
    }
}

/// Loads the attendance summaries of many members in a year at once: (member, year).
pub struct AttendanceByMember {
    /// The database.
    pub db: DatabaseConnection,
}

impl Loader<(i64, i32)> for AttendanceByMember {
    type Value = AttendanceSummary;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[(i64, i32)]) -> Result<HashMap<(i64, i32), AttendanceSummary>, Self::Error> {
        let mut years: HashMap<i32, Vec<i64>> = HashMap::new();
        for &(member, year) in keys {
            years.entry(year).or_default().push(member);
        }
        let mut out = HashMap::new();
        for (year, members) in years {
            let found = service::attendance(&self.db, &members, year).await.map_err(Arc::new)?;
            out.extend(found.into_iter().map(|(member, summary)| ((member, year), summary)));
        }
        Ok(out)
    }
}

/// The first participants of an activity: (activity, attendance filter, member the caller is
/// limited to, page size).
pub type ParticipantsKey = (i64, Option<Attendance>, Option<i64>, u64);

/// Loads the first page of participants (and the total) of many activities at once.
pub struct FirstParticipants {
    /// The database.
    pub db: DatabaseConnection,
}

impl Loader<ParticipantsKey> for FirstParticipants {
    type Value = (Page<participation::Model>, u64);
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[ParticipantsKey]) -> Result<HashMap<ParticipantsKey, Self::Value>, Self::Error> {
        let mut groups: HashMap<(Option<Attendance>, Option<i64>, u64), Vec<i64>> = HashMap::new();
        for &(activity, attendance, own, limit) in keys {
            groups.entry((attendance, own, limit)).or_default().push(activity);
        }
        let mut out = HashMap::new();
        for ((attendance, own, limit), activities) in groups {
            let mut found =
                service::first_participants(&self.db, &activities, attendance, own, limit).await.map_err(Arc::new)?;
            for activity in activities {
                let value = found.remove(&activity).unwrap_or_else(|| (Page::default(), 0));
                out.insert((activity, attendance, own, limit), value);
            }
        }
        Ok(out)
    }
}
