//! The member domain's request-scoped loaders: members by id and their seats.

use sea_orm::DatabaseConnection;

use crate::loader::{ByColumn, ById, Cached, LoaderSet, by_column, by_id};
use entity::{member, seat};

/// The member loaders of one request (`ctx.loaders()?.get::<MemberLoaders>()`).
pub struct MemberLoaders {
    /// Members by id.
    pub member: Cached<ById<member::Entity>>,
    /// A member's seats.
    pub seats_by_member: Cached<ByColumn<seat::Entity>>,
}

impl LoaderSet for MemberLoaders {
    fn new(db: &DatabaseConnection) -> Self {
        Self { member: by_id(db), seats_by_member: by_column(db, seat::Column::MemberId) }
    }
}
