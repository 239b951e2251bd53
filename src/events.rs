//! The in-process event broker behind subscriptions: services publish what happened, each
//! subscription receives what was published after it began. Events are not persisted; a
//! subscriber that falls too far behind skips the events it missed.
//!
//! A subscription lasts longer than the request that started it, so [`deliver`] asks again at
//! each event whether its subscriber may still see it, and ends the subscription when the
//! subscriber's session ends ([`Event::SessionsEnded`], or the session's expiry).

use std::{future::Future, pin::Pin};

use chrono::Utc;
use futures_util::Stream;
use tokio::sync::broadcast::{self, error::RecvError};

use crate::{
    auth::{Actor, LiveActor, Session, live::SESSION_ENDED},
    error::{AppError, AppResult},
};
use entity::{activity, proposal};

/// How many events a slow subscriber may fall behind before it skips some.
const CAPACITY: usize = 256;

/// Something that happened, for live dashboards.
#[derive(Clone, Debug)]
pub enum Event {
    /// An activity was recorded (with its participants).
    ActivityRecorded(activity::Model),
    /// A proposal was submitted or moved through its lifecycle.
    ProposalChanged(proposal::Model),
    /// An assessment run was computed, adjusted, confirmed or published.
    AssessmentRunChanged(entity::assessment_run::Model),
    /// Members were invited to an activity (应出席): one event for all of them, the members
    /// sorted, so a plenary's thousands of invitations cost one message.
    Invited {
        /// The activity.
        activity: activity::Model,
        /// The members invited, in ascending order.
        members: std::sync::Arc<[i64]>,
    },
    /// A request for leave was approved or refused.
    LeaveDecided(entity::leave_request::Model),
    /// Sessions ended before their time: their subscriptions end, their WebSockets close.
    SessionsEnded(SessionsEnded),
}

/// Sessions ended before their time: one signed out, or all of an account whose access was
/// taken away (disabled, password reset, every session ended).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionsEnded {
    /// The account.
    pub account_id: i64,
    /// Only this session (a sign-out); every session of the account when none.
    pub only: Option<i64>,
    /// Every session but this one (the one that changed the password or ended the others).
    pub except: Option<i64>,
}

impl SessionsEnded {
    /// The one session `token_id` of `account_id` (a sign-out).
    pub fn one(account_id: i64, token_id: i64) -> Self {
        Self { account_id, only: Some(token_id), except: None }
    }

    /// Every session of `account_id` but `except`.
    pub fn all_but(account_id: i64, except: Option<i64>) -> Self {
        Self { account_id, only: None, except }
    }

    /// Whether `session` is one of those that ended.
    pub fn ends(&self, session: &Session) -> bool {
        session.account_id == self.account_id
            && self.only.is_none_or(|token| session.token_id == Some(token))
            && (self.except.is_none() || session.token_id != self.except)
    }
}

/// Publishes events to every current subscriber. Cheap to clone; clones share the channel.
#[derive(Clone, Debug)]
pub struct Broker {
    sender: broadcast::Sender<Event>,
}

impl Default for Broker {
    fn default() -> Self {
        Self::new()
    }
}

impl Broker {
    /// A broker with no subscribers.
    pub fn new() -> Self {
        Self { sender: broadcast::channel(CAPACITY).0 }
    }

    /// Sends `event` to the current subscribers; nobody listening is fine.
    pub fn publish(&self, event: Event) {
        let _ = self.sender.send(event);
    }

    /// How many subscribers are listening now.
    pub fn subscribers(&self) -> usize {
        self.sender.receiver_count()
    }

    /// A receiver of the events published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}

/// A subscription's state between two deliveries.
struct Delivery<P, A> {
    receiver: broadcast::Receiver<Event>,
    subscriber: LiveActor,
    pick: P,
    admit: A,
    expiry: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<P, A> Delivery<P, A> {
    /// The next event, or none once the session has expired.
    async fn next(&mut self) -> Option<Result<Event, RecvError>> {
        match &mut self.expiry {
            Some(expiry) => tokio::select! {
                () = expiry => None,
                event = self.receiver.recv() => Some(event),
            },
            None => Some(self.receiver.recv().await),
        }
    }

    fn ended_by(&self, ended: &SessionsEnded) -> bool {
        self.subscriber.at_start().session().is_some_and(|s| ended.ends(s))
    }
}

/// The events of one subscription, from `receiver`: `pick` chooses those the subscription asked
/// for, and each is delivered only if `admit` lets the subscriber, as they are at that moment
/// ([`LiveActor::now`], the policy asked again), see it: a record hidden from them now
/// (NOT_FOUND, FORBIDDEN) is skipped. When the subscriber's session ends (signed out, the
/// account disabled or its password reset, or the session expired) the stream answers
/// UNAUTHENTICATED once and ends.
pub fn deliver<T, P, A, F>(
    receiver: broadcast::Receiver<Event>,
    subscriber: LiveActor,
    pick: P,
    admit: A,
) -> impl Stream<Item = AppResult<T>> + Send + 'static
where
    T: Send + 'static,
    P: Fn(Event) -> Option<T> + Send + 'static,
    A: Fn(Actor, T) -> F + Send + 'static,
    F: Future<Output = AppResult<T>> + Send,
{
    let expiry = subscriber.expires_at().map(|at| {
        let left = (at - Utc::now()).to_std().unwrap_or_default();
        Box::pin(tokio::time::sleep(left))
    });
    let state = Delivery { receiver, subscriber, pick, admit, expiry };
    let ended = || AppError::Unauthenticated(SESSION_ENDED);
    futures_util::stream::unfold(Some(state), move |state| async move {
        let mut state = state?;
        loop {
            let event = match state.next().await {
                None => return Some((Err(ended()), None)),
                Some(Ok(Event::SessionsEnded(e))) if state.ended_by(&e) => return Some((Err(ended()), None)),
                Some(Ok(event)) => event,
                // Missed events may have ended the session: ask the database.
                Some(Err(RecvError::Lagged(_))) => match state.subscriber.now().await {
                    Err(err @ AppError::Unauthenticated(_)) => return Some((Err(err), None)),
                    _ => continue,
                },
                Some(Err(RecvError::Closed)) => return None,
            };
            let Some(item) = (state.pick)(event) else { continue };
            let now = match state.subscriber.now().await {
                Ok(now) => now,
                Err(err @ AppError::Unauthenticated(_)) => return Some((Err(err), None)),
                Err(err) => return Some((Err(err), Some(state))),
            };
            match (state.admit)(now, item).await {
                Ok(item) => return Some((Ok(item), Some(state))),
                Err(AppError::NotFound { .. } | AppError::Forbidden(_)) => {}
                Err(err @ AppError::Unauthenticated(_)) => return Some((Err(err), None)),
                Err(err) => return Some((Err(err), Some(state))),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::Duration;
    use futures_util::StreamExt;

    use super::*;
    use crate::auth::Role;

    fn session(account_id: i64, token_id: i64) -> Session {
        Session {
            account_id,
            token_id: Some(token_id),
            username: format!("user{account_id}"),
            role: Role::Office,
            member_id: None,
            committee_id: None,
            studio_id: None,
            handling_unit_id: None,
            sector_id: None,
            group_id: None,
            must_change_password: false,
        }
    }

    #[test]
    fn ended_sessions_are_one_token_or_all_of_an_account_but_one() {
        let (mine, other_device, someone_else) = (session(1, 10), session(1, 11), session(2, 20));

        assert!(SessionsEnded::one(1, 10).ends(&mine));
        assert!(!SessionsEnded::one(1, 10).ends(&other_device));
        assert!(SessionsEnded::all_but(1, None).ends(&mine) && SessionsEnded::all_but(1, None).ends(&other_device));
        assert!(!SessionsEnded::all_but(1, Some(10)).ends(&mine));
        assert!(SessionsEnded::all_but(1, Some(10)).ends(&other_device));
        assert!(!SessionsEnded::all_but(1, None).ends(&someone_else));
    }

    #[tokio::test]
    async fn a_subscription_ends_unauthenticated_when_its_session_expires() {
        let broker = Broker::new();
        let still_valid = session(1, 10);
        let recheck: crate::auth::live::Recheck = Arc::new(move || {
            let session = still_valid.clone();
            Box::pin(async move { Ok(Some(session)) })
        });
        let expired = Utc::now() - Duration::seconds(1);
        let live = LiveActor::checked(Actor::Account(session(1, 10)), Some(expired), recheck);

        let mut events = std::pin::pin!(deliver(broker.subscribe(), live, Some, |_, e| async move { Ok(e) }));

        assert!(matches!(events.next().await, Some(Err(AppError::Unauthenticated(_)))));
        assert!(events.next().await.is_none());
    }
}
