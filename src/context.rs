//! What a resolver reads from the GraphQL context: the database, the actor, the loaders.

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use std::net::IpAddr;

use crate::{
    auth::{Actor, throttle::LoginThrottle},
    error::AppError,
    loader::Loaders,
};

/// The address of the client that sent the request, when known.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientAddr(pub Option<IpAddr>);

/// Accessors for the per-schema and per-request data every resolver needs.
pub trait ContextExt {
    /// The database pool.
    fn db(&self) -> Result<&DatabaseConnection, AppError>;
    /// Who is asking.
    fn actor(&self) -> Result<&Actor, AppError>;
    /// This request's DataLoaders.
    fn loaders(&self) -> Result<&Loaders, AppError>;
    /// The sign-in throttle shared by all requests.
    fn throttle(&self) -> Result<&LoginThrottle, AppError>;
    /// The client's address, when known.
    fn client_addr(&self) -> Option<IpAddr>;
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

    fn throttle(&self) -> Result<&LoginThrottle, AppError> {
        self.data::<LoginThrottle>().map_err(|_| missing("sign-in throttle"))
    }

    fn client_addr(&self) -> Option<IpAddr> {
        self.data_opt::<ClientAddr>().and_then(|a| a.0)
    }
}
