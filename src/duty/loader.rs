//! The duty items' request-scoped loaders.

use sea_orm::DatabaseConnection;

use crate::loader::{ByColumn, Cached, LoaderSet, by_column};
use entity::duty_item;

/// The duty-item loaders of one request (`ctx.loaders()?.get::<DutyLoaders>()`).
pub struct DutyLoaders {
    /// A member's duty items.
    pub duty_items_by_member: Cached<ByColumn<duty_item::Entity>>,
}

impl LoaderSet for DutyLoaders {
    fn new(db: &DatabaseConnection) -> Self {
        Self { duty_items_by_member: by_column(db, duty_item::Column::MemberId) }
    }
}
