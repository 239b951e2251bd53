//! The bearer token a request or a WebSocket connection presents, and the actor it stands for.
//! One parser for both: the `Authorization` header of an HTTP request and the
//! `Authorization` (or bare `token`) entry of a graphql-transport-ws `connection_init` payload.

use std::sync::Arc;

use actix_web::{HttpRequest, http::header};
use sea_orm::DatabaseConnection;

use crate::{
    account,
    auth::{Actor, LiveActor, live::Recheck},
    error::AppResult,
};

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

/// The actor `token` signs in as now, for an operation that lasts (on a WebSocket): read with
/// the same lookup as [`actor`], and read again by the returned [`LiveActor`] before each
/// delivery. Anonymous without a token; `None` when the token does not sign in (revoked,
/// expired, its account disabled, or never issued).
pub async fn live_actor(db: &DatabaseConnection, token: Option<&str>) -> AppResult<Option<LiveActor>> {
    let Some(token) = token else { return Ok(Some(LiveActor::fixed(Actor::Anonymous))) };
    let Some((session, expires_at)) = account::service::live_session(db, token).await? else { return Ok(None) };
    let (db, token) = (db.clone(), token.to_owned());
    let recheck: Recheck = Arc::new(move || {
        let (db, token) = (db.clone(), token.clone());
        Box::pin(async move { account::service::authenticate(&db, &token).await })
    });
    Ok(Some(LiveActor::checked(Actor::Account(session), Some(expires_at), recheck)))
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
