//! The duty items' request-scoped loaders.

use sea_orm::DatabaseConnection;

use crate::loader::{ByColumn, Cached, LoaderSet, live_by_column};
use entity::duty_item;

/// The duty-item loaders of one request (`ctx.loaders()?.get::<DutyLoaders>()`).
pub struct DutyLoaders {
    /// A member's duty items, voided ones left out.
    pub duty_items_by_member: Cached<ByColumn<duty_item::Entity>>,
}

impl LoaderSet for DutyLoaders {
    fn new(db: &DatabaseConnection) -> Self {
        Self { duty_items_by_member: live_by_column(db, duty_item::Column::MemberId, duty_item::Column::VoidedAt) }
    }
}
