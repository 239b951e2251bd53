//! The application's error type and how it reaches a GraphQL client: a specific lower-case
//! message and a stable `extensions.code`. Internal details go to the log, never to the client.

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, SqlErr};

/// The stable `extensions.code` values clients switch on.
pub mod code {
    /// No valid credentials.
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    /// The role may not do this.
    pub const FORBIDDEN: &str = "FORBIDDEN";
    /// The account signed in with a one-time password and may do nothing but `changePassword`
    /// (and sign out) until it has.
    pub const PASSWORD_CHANGE_REQUIRED: &str = "PASSWORD_CHANGE_REQUIRED";
    /// The record does not exist or is hidden from the role.
    pub const NOT_FOUND: &str = "NOT_FOUND";
    /// Invalid input; `extensions.field` names the field at fault.
    pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    /// A duplicate, or a state that forbids the change.
    pub const CONFLICT: &str = "CONFLICT";
    /// Anything else; the message is masked.
    pub const INTERNAL_SERVER_ERROR: &str = "INTERNAL_SERVER_ERROR";
    /// HTTP only: the request ran past the request timeout.
    pub const TIMEOUT: &str = "TIMEOUT";
    /// HTTP only: the request is not one GraphQL request (a batch, an unreadable body).
    pub const BAD_REQUEST: &str = "BAD_REQUEST";
    /// HTTP only: the body is larger than the limit.
    pub const PAYLOAD_TOO_LARGE: &str = "PAYLOAD_TOO_LARGE";
}

/// The HTTP status that answers each code when an error ends a request outside GraphQL (a
/// download, a refused body); GraphQL responses themselves answer 200 or 400.
pub mod status {
    /// For [`super::code::UNAUTHENTICATED`].
    pub const UNAUTHENTICATED: u16 = 401;
    /// For [`super::code::FORBIDDEN`].
    pub const FORBIDDEN: u16 = 403;
    /// For [`super::code::NOT_FOUND`].
    pub const NOT_FOUND: u16 = 404;
    /// For [`super::code::BAD_USER_INPUT`] and [`super::code::BAD_REQUEST`].
    pub const BAD_REQUEST: u16 = 400;
    /// For [`super::code::CONFLICT`].
    pub const CONFLICT: u16 = 409;
    /// For [`super::code::INTERNAL_SERVER_ERROR`].
    pub const INTERNAL: u16 = 500;
    /// For [`super::code::TIMEOUT`].
    pub const TIMEOUT: u16 = 503;
    /// For [`super::code::PAYLOAD_TOO_LARGE`].
    pub const PAYLOAD_TOO_LARGE: u16 = 413;
    /// For a content type other than JSON or multipart (code [`super::code::BAD_REQUEST`]).
    pub const UNSUPPORTED_MEDIA_TYPE: u16 = 415;
}

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
    /// The account holds a one-time password and must change it first.
    PasswordChangeRequired,
    /// The record does not exist (or is not visible to the actor).
    NotFound {
        /// What kind of record, e.g. "member".
        entity: &'static str,
        /// The identifier the client sent.
        id: String,
    },
    /// The input is invalid; `field` names the input field at fault when there is one.
    ///
    /// Services name the field as their own input calls it (`participants.2.memberId`); the
    /// boundary that received the input places it with [`AppError::under`] (the GraphQL layer
    /// under `input`, the command line under its flags).
    BadInput {
        /// The input field at fault, as a path such as `participants.2.memberId`.
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

    /// Places the field of a bad-input error under `prefix` (`title` becomes `input.title`);
    /// every other error passes unchanged.
    #[must_use]
    pub fn under(self, prefix: &str) -> Self {
        match self {
            Self::BadInput { field: Some(field), message } => {
                Self::BadInput { field: Some(format!("{prefix}.{field}")), message }
            }
            other => other,
        }
    }

    /// The HTTP status for this error when it ends a request outside GraphQL.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::Unauthenticated(_) => status::UNAUTHENTICATED,
            Self::Forbidden(_) | Self::PasswordChangeRequired => status::FORBIDDEN,
            Self::NotFound { .. } => status::NOT_FOUND,
            Self::BadInput { .. } => status::BAD_REQUEST,
            Self::Conflict(_) => status::CONFLICT,
            Self::Internal(_) => status::INTERNAL,
        }
    }

    /// The message for the client (or, for internal errors, for the log).
    pub fn message(&self) -> String {
        match self {
            Self::Unauthenticated(m) => (*m).to_owned(),
            Self::Forbidden(m) | Self::Conflict(m) => m.clone(),
            Self::PasswordChangeRequired => {
                "set a new password first: this account signed in with a one-time password".to_owned()
            }
            Self::NotFound { entity, id } => format!("{entity} {id} does not exist"),
            Self::BadInput { message, .. } => message.clone(),
            Self::Internal(detail) => format!("internal error: {detail}"),
        }
    }

    /// The stable code clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => code::UNAUTHENTICATED,
            Self::Forbidden(_) => code::FORBIDDEN,
            Self::PasswordChangeRequired => code::PASSWORD_CHANGE_REQUIRED,
            Self::NotFound { .. } => code::NOT_FOUND,
            Self::BadInput { .. } => code::BAD_USER_INPUT,
            Self::Conflict(_) => code::CONFLICT,
            Self::Internal(_) => code::INTERNAL_SERVER_ERROR,
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

/// [`AppError::under`] on a result: `service::create(db, actor, new).await.under("input")`.
pub trait Under {
    /// Places a bad-input error's field under `prefix`.
    #[must_use]
    fn under(self, prefix: &str) -> Self;
}

impl<T> Under for AppResult<T> {
    fn under(self, prefix: &str) -> Self {
        self.map_err(|e| e.under(prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_places_a_bad_fields_path_and_leaves_other_errors_alone() {
        let placed = AppError::bad_field("seat.sectorId", "sector 9 does not exist").under("input");
        assert!(matches!(placed, AppError::BadInput { field: Some(f), .. } if f == "input.seat.sectorId"));
        let whole = AppError::bad_input("nothing to change").under("input");
        assert!(matches!(whole, AppError::BadInput { field: None, .. }));
        assert_eq!(AppError::not_found("member", 3).under("input").code(), code::NOT_FOUND);
        let result: AppResult<()> = Err(AppError::bad_field("year", "year 0 is out of range"));
        assert!(matches!(result.under("input"), Err(AppError::BadInput { field: Some(f), .. }) if f == "input.year"));
    }
}
