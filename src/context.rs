//! What a resolver reads from the GraphQL context: the database, the actor, the loaders.

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use std::net::IpAddr;

use crate::{
    auth::{Actor, LiveActor},
    error::AppError,
    events::Broker,
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
    /// Who is asking, for an operation that lasts (a subscription): the actor as it is now,
    /// read again at each use where the server can (a WebSocket's session).
    fn live_actor(&self) -> Result<LiveActor, AppError>;
    /// This request's DataLoaders.
    fn loaders(&self) -> Result<&Loaders, AppError>;
    /// The broker that carries events to subscriptions.
    fn events(&self) -> Result<&Broker, AppError>;
    /// Any other value the schema was built with, named `what` in the error when missing.
    fn shared<T: std::any::Any + Send + Sync>(&self, what: &str) -> Result<&T, AppError>;
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

    fn live_actor(&self) -> Result<LiveActor, AppError> {
        match self.data_opt::<LiveActor>() {
            Some(live) => Ok(live.clone()),
            None => Ok(LiveActor::fixed(self.actor()?.clone())),
        }
    }

    fn loaders(&self) -> Result<&Loaders, AppError> {
        self.data::<Loaders>().map_err(|_| missing("loaders"))
    }

    fn events(&self) -> Result<&Broker, AppError> {
        self.data::<Broker>().map_err(|_| missing("event broker"))
    }

    fn shared<T: std::any::Any + Send + Sync>(&self, what: &str) -> Result<&T, AppError> {
        self.data::<T>().map_err(|_| missing(what))
    }

    fn client_addr(&self) -> Option<IpAddr> {
        self.data_opt::<ClientAddr>().and_then(|a| a.0)
    }
}
