//! The application's error type and how it reaches a GraphQL client: a specific lower-case
//! message and a stable `extensions.code`. Internal details go to the log, never to the client.

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, SqlErr};

/// Everything a service can refuse or fail with.
///
/// It deliberately does not implement `Display`: async-graphql converts any `Display` type into
/// an error without a code, so the only way into a GraphQL error is the `From` below, which
/// sets `extensions.code`.
#[derive(Clone, Debug)]
pub enum AppError {
    /// No valid credentials were presented; the text says which.
    Unauthenticated(&'static str),
    /// The actor may not do this.
    Forbidden(String),
    /// The record does not exist (or is not visible to the actor).
    NotFound {
        /// What kind of record, e.g. "member".
        entity: &'static str,
        /// The identifier the client sent.
        id: String,
    },
    /// The input is invalid; `field` names the input field at fault when there is one.
    BadInput {
        /// The input field at fault, as a path such as `input.participants.2.memberId`.
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// The request conflicts with the current state (a duplicate, a locked record).
    Conflict(String),
    /// Anything else: a database failure, a bug. Logged in full, masked for clients.
    Internal(String),
}

impl AppError {
    /// A bad-input error naming the field at fault.
    pub fn bad_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadInput { field: Some(field.into()), message: message.into() }
    }

    /// A bad-input error about the request as a whole.
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::BadInput { field: None, message: message.into() }
    }

    /// A not-found error.
    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound { entity, id: id.to_string() }
    }

    /// The message for the client (or, for internal errors, for the log).
    pub fn message(&self) -> String {
        match self {
            Self::Unauthenticated(m) => (*m).to_owned(),
            Self::Forbidden(m) | Self::Conflict(m) => m.clone(),
            Self::NotFound { entity, id } => format!("{entity} {id} does not exist"),
            Self::BadInput { message, .. } => message.clone(),
            Self::Internal(detail) => format!("internal error: {detail}"),
        }
    }

    /// The stable code clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound { .. } => "NOT_FOUND",
            Self::BadInput { .. } => "BAD_USER_INPUT",
            Self::Conflict(_) => "CONFLICT",
            Self::Internal(_) => "INTERNAL_SERVER_ERROR",
        }
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        // A unique violation that slipped past a service's own check (a race) is a conflict,
        // not a crash; its constraint name stays in the log.
        if let Some(SqlErr::UniqueConstraintViolation(detail)) = err.sql_err() {
            tracing::info!(%detail, "unique constraint violation");
            return Self::Conflict("a record with the same key already exists".to_owned());
        }
        Self::Internal(err.to_string())
    }
}

impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        let message = match self {
            Self::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                "internal server error".to_owned()
            }
            other => other.message(),
        };
        async_graphql::Error::new(message).extend_with(|_, ext| {
            ext.set("code", self.code());
            if let Self::BadInput { field: Some(field), .. } = self {
                ext.set("field", field.as_str());
            }
        })
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        err.extend()
    }
}

/// The result type of services.
pub type AppResult<T> = Result<T, AppError>;
