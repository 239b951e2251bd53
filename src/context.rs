//! What a resolver reads from the GraphQL context: the database, the actor, the loaders.

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use crate::{auth::Actor, error::AppError, loader::Loaders};

/// Accessors for the per-schema and per-request data every resolver needs.
pub trait ContextExt {
    /// The database pool.
    fn db(&self) -> Result<&DatabaseConnection, AppError>;
    /// Who is asking.
    fn actor(&self) -> Result<&Actor, AppError>;
    /// This request's DataLoaders.
    fn loaders(&self) -> Result<&Loaders, AppError>;
}

fn missing(what: &str) -> AppError {
    AppError::Internal(format!("{what} missing from the GraphQL context"))
}

impl ContextExt for Context<'_> {
    fn db(&self) -> Result<&DatabaseConnection, AppError> {
        self.data::<DatabaseConnection>().map_err(|_| missing("database"))
    }

    fn actor(&self) -> Result<&Actor, AppError> {
        self.data::<Actor>().map_err(|_| missing("actor"))
    }

    fn loaders(&self) -> Result<&Loaders, AppError> {
        self.data::<Loaders>().map_err(|_| missing("loaders"))
    }
}
