//! DataLoaders of a member's duty figures for a page of members (the first participations and
//! the attendance summary of every member of the page) and of the first participants of a page
//! of activities, each in one query per argument set. Their keys carry the policy's decision:
//! [`DutyRecordsOf`] a member, or the [`DutyScope`] of a participant list.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;

use super::service::{self, AttendanceSummary, Rows};
use crate::{
    auth::policy::{DutyRecordsOf, DutyScope},
    error::AppError,
    pagination::Page,
};
use entity::{activity, enums::Attendance, participation};

/// The first participations (or invitations) of a member: (the member, as the policy lets the
/// caller read them, which rows, year, page size, whether their activities come with them).
pub type ParticipationsKey = (DutyRecordsOf, Rows, Option<i32>, u64, bool);

/// Loads the first page of participations or invitations (and the total) of many members at
/// once, with the rows' activities when the key asks for them (fetched in the same statement).
pub struct FirstParticipations {
    /// The database.
    pub db: DatabaseConnection,
}

/// A member's first participations, their total, and (when asked for) their activities.
pub type FirstRows = (Vec<participation::Model>, u64, Vec<activity::Model>);

impl Loader<ParticipationsKey> for FirstParticipations {
    type Value = FirstRows;
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[ParticipationsKey]) -> Result<HashMap<ParticipationsKey, Self::Value>, Self::Error> {
        let mut groups: HashMap<(Rows, Option<i32>, u64, bool), Vec<DutyRecordsOf>> = HashMap::new();
        for &(member, rows, year, limit, with) in keys {
            groups.entry((rows, year, limit, with)).or_default().push(member);
        }
        let mut out = HashMap::new();
        for ((rows, year, limit, with), members) in groups {
            let (mut found, activities) =
                service::first_participations(&self.db, &members, rows, year, limit, with).await.map_err(Arc::new)?;
            for member in members {
                let (rows_found, total) = found.remove(&member.member()).unwrap_or_default();
                let mut seen = std::collections::HashSet::new();
                let own = rows_found
                    .iter()
                    .filter(|row| seen.insert(row.activity_id))
                    .filter_map(|row| activities.get(&row.activity_id).cloned())
                    .collect();
                out.insert((member, rows, year, limit, with), (rows_found, total, own));
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

impl Loader<(DutyRecordsOf, i32)> for AttendanceByMember {
    type Value = AttendanceSummary;
    type Error = Arc<AppError>;

    async fn load(
        &self,
        keys: &[(DutyRecordsOf, i32)],
    ) -> Result<HashMap<(DutyRecordsOf, i32), AttendanceSummary>, Self::Error> {
        let mut years: HashMap<i32, Vec<DutyRecordsOf>> = HashMap::new();
        for &(member, year) in keys {
            years.entry(year).or_default().push(member);
        }
        let mut out = HashMap::new();
        for (year, members) in years {
            let ids: Vec<i64> = members.iter().map(|m| m.member()).collect();
            let mut found = service::attendance(&self.db, &ids, year).await.map_err(Arc::new)?;
            for member in members {
                out.insert((member, year), found.remove(&member.member()).unwrap_or_default());
            }
        }
        Ok(out)
    }
}

/// The first participants (or invitations) of an activity: (activity, which rows, attendance
/// filter, the rows the caller may see, page size).
pub type ParticipantsKey = (i64, Rows, Option<Attendance>, DutyScope, u64);

/// Loads the first page of participants (and the total) of many activities at once.
pub struct FirstParticipants {
    /// The database.
    pub db: DatabaseConnection,
}

impl Loader<ParticipantsKey> for FirstParticipants {
    type Value = (Page<participation::Model>, u64);
    type Error = Arc<AppError>;

    async fn load(&self, keys: &[ParticipantsKey]) -> Result<HashMap<ParticipantsKey, Self::Value>, Self::Error> {
        let mut groups: HashMap<(Rows, Option<Attendance>, DutyScope, u64), Vec<i64>> = HashMap::new();
        for &(activity, rows, attendance, scope, limit) in keys {
            groups.entry((rows, attendance, scope, limit)).or_default().push(activity);
        }
        let mut out = HashMap::new();
        for ((rows, attendance, scope, limit), activities) in groups {
            let mut found = service::first_participants(&self.db, scope, &activities, rows, attendance, limit)
                .await
                .map_err(Arc::new)?;
            for activity in activities {
                let value = found.remove(&activity).unwrap_or_else(|| (Page::default(), 0));
                out.insert((activity, rows, attendance, scope, limit), value);
            }
        }
        Ok(out)
    }
}

/// The activity loaders of one request (`ctx.loaders()?.get::<ActivityLoaders>()`).
pub struct ActivityLoaders {
    /// Activities by id.
    pub activity: crate::loader::Cached<crate::loader::ById<entity::activity::Entity>>,
    /// The first participations or invitations of a member: (member, rows, year, page size).
    pub first_participations: crate::loader::Cached<FirstParticipations>,
    /// The first participants of each activity of a page.
    pub first_participants: crate::loader::Cached<FirstParticipants>,
    /// A member's attendance summary in a year.
    pub attendance: crate::loader::Cached<AttendanceByMember>,
    /// The requests for leave from an activity, by activity.
    pub leave_by_activity: crate::loader::Cached<crate::loader::ByColumn<entity::leave_request::Entity>>,
}

impl crate::loader::LoaderSet for ActivityLoaders {
    fn new(db: &DatabaseConnection) -> Self {
        use crate::loader::{by_id, cached};
        Self {
            activity: by_id(db),
            first_participations: cached(FirstParticipations { db: db.clone() }),
            first_participants: cached(FirstParticipants { db: db.clone() }),
            attendance: cached(AttendanceByMember { db: db.clone() }),
            leave_by_activity: crate::loader::by_column(db, entity::leave_request::Column::ActivityId),
        }
    }
}
