//! DataLoaders of exit cases: a case's steps and its seat. Each batch is one query; both are
//! reached only from cases the policy let the actor read.

use sea_orm::DatabaseConnection;

use crate::loader::{ByColumn, ById, Cached, LoaderSet, by_column, by_id};
use entity::{exit_case_step, seat};

/// The exit-case loaders of one request (`ctx.loaders()?.get::<ExitLoaders>()`).
pub struct ExitLoaders {
    /// A case's steps, in the order they were taken.
    pub steps: Cached<ByColumn<exit_case_step::Entity>>,
    /// Seats by id.
    pub seat: Cached<ById<seat::Entity>>,
}

impl LoaderSet for ExitLoaders {
    fn new(db: &DatabaseConnection) -> Self {
        Self { steps: by_column(db, exit_case_step::Column::CaseId), seat: by_id(db) }
    }
}
