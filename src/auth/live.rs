//! Who a long-lived operation acts as now. A subscription outlives the moment it was started:
//! its session may be signed out, its account disabled, its token expire. [`LiveActor`] is the
//! actor as it was when the operation began, with the means to ask again before each delivery.

use std::{fmt, sync::Arc};

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;

use super::{Actor, Session};
use crate::error::{AppError, AppResult};

/// Reads again which session a token stands for (none once it is revoked, expired or its account
/// disabled). The server makes it from the account service, so that `auth` depends on no domain.
pub type Recheck = Arc<dyn Fn() -> BoxFuture<'static, AppResult<Option<Session>>> + Send + Sync>;

/// The message of every operation refused because its session has ended.
pub const SESSION_ENDED: &str = "the session has ended: sign in again";

/// The actor of an operation that lasts (a subscription, or any operation on a WebSocket): as it
/// was when the operation began, when its session expires, and how to read it again.
#[derive(Clone)]
pub struct LiveActor {
    actor: Actor,
    expires_at: Option<DateTime<Utc>>,
    recheck: Option<Recheck>,
}

impl fmt::Debug for LiveActor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiveActor").field("actor", &self.actor).field("expires_at", &self.expires_at).finish()
    }
}

impl LiveActor {
    /// An actor that is not read again (the command line's, a test's): it still ends with its
    /// session when the broker says so.
    pub fn fixed(actor: Actor) -> Self {
        Self { actor, expires_at: None, recheck: None }
    }

    /// `actor`, whose session expires at `expires_at`, read again with `recheck`.
    pub fn checked(actor: Actor, expires_at: Option<DateTime<Utc>>, recheck: Recheck) -> Self {
        Self { actor, expires_at, recheck: Some(recheck) }
    }

    /// The actor as it was when the operation began.
    pub fn at_start(&self) -> &Actor {
        &self.actor
    }

    /// When the session expires, if it does.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.expires_at
    }

    /// The actor now: the same account while its session lives, UNAUTHENTICATED once it has
    /// ended (signed out, expired, the account disabled or its password reset). Without a
    /// session (anonymous, the system) nothing can end.
    pub async fn now(&self) -> AppResult<Actor> {
        let (Some(recheck), Some(_)) = (&self.recheck, self.actor.session()) else { return Ok(self.actor.clone()) };
        if self.expires_at.is_some_and(|at| at <= Utc::now()) {
            return Err(AppError::Unauthenticated(SESSION_ENDED));
        }
        match recheck().await? {
            Some(session) => Ok(Actor::Account(session)),
            None => Err(AppError::Unauthenticated(SESSION_ENDED)),
        }
    }
}
