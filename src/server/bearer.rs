//! The bearer token a request or a WebSocket connection presents, and the actor it stands for.
//! One parser for both: the `Authorization` header of an HTTP request and the
//! `Authorization` (or bare `token`) entry of a graphql-transport-ws `connection_init` payload.

use actix_web::{HttpRequest, http::header};
use sea_orm::DatabaseConnection;

use crate::{account, auth::Actor};

/// The token in an `Authorization` value: `Bearer <token>` (the scheme in any case).
pub fn token(authorization: &str) -> Option<&str> {
    let (scheme, token) = authorization.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The actor `token` signs in as: anonymous without a token, with an unknown or expired one,
/// or when the lookup fails (logged).
pub async fn actor(db: &DatabaseConnection, token: Option<&str>) -> Actor {
    let Some(token) = token else { return Actor::Anonymous };
    match account::service::authenticate(db, token).await {
        Ok(Some(session)) => Actor::Account(session),
        Ok(None) => Actor::Anonymous,
        Err(err) => {
            tracing::error!(error = %err.message(), "token lookup failed");
            Actor::Anonymous
        }
    }
}

/// The actor behind an HTTP request's `Authorization` header.
pub async fn of_request(req: &HttpRequest, db: &DatabaseConnection) -> Actor {
    let authorization = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    actor(db, authorization.and_then(token)).await
}

#[cfg(test)]
mod tests {
    use super::token;

    #[test]
    fn a_bearer_token_is_read_in_any_case_of_the_scheme_and_nothing_else_is() {
        assert_eq!(token("Bearer abc "), Some("abc"));
        assert_eq!(token("bearer abc"), Some("abc"));
        assert_eq!(token("Basic abc"), None);
        assert_eq!(token("abc"), None);
    }
}
