//! Stopping and restoring accounts: ADMIN disables and re-enables an account and resets its
//! password; every account changes its own password and ends its own sessions. Each change is
//! audited in its own transaction, and each one that takes access away ends the account's
//! sessions at once: their tokens stop working, and the broker tells their subscriptions and
//! WebSockets to end.

use std::net::IpAddr;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    TransactionTrait, sea_query::Expr,
};
use serde::Serialize;

use super::{
    service::{MIN_PASSWORD_CHARS, hash_password, verify_password},
    throttle::LoginThrottle,
};
use crate::{
    audit::service as audit,
    auth::{Actor, policy},
    error::{AppError, AppResult},
    events::{Broker, Event, SessionsEnded},
};
use entity::{account, session_token};

/// `password` is long enough, or BAD_USER_INPUT naming `field`.
fn check_password(field: &str, password: &str) -> AppResult<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::bad_field(field, format!("{field} must have at least {MIN_PASSWORD_CHARS} characters")));
    }
    Ok(())
}

/// Ends every open session of `account_id` but `keep`; returns how many ended.
async fn end_sessions(txn: &DatabaseTransaction, account_id: i64, keep: Option<i64>) -> AppResult<u64> {
    let mut open = session_token::Entity::update_many()
        .col_expr(session_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(session_token::Column::AccountId.eq(account_id))
        .filter(session_token::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        open = open.filter(session_token::Column::Id.ne(keep));
    }
    Ok(open.exec(txn).await?.rows_affected)
}

async fn account_for_update(txn: &DatabaseTransaction, id: i64) -> AppResult<account::Model> {
    account::Entity::find_by_id(id).one(txn).await?.ok_or_else(|| AppError::not_found("account", id))
}

/// Disables (`disabled`) or re-enables an account (ADMIN). Disabling ends its sessions at once;
/// an account cannot disable itself (that would lock the last administrator out by mistake).
pub async fn set_disabled(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    events: &Broker,
    id: i64,
    disabled: bool,
) -> AppResult<account::Model> {
    policy::manage_accounts(actor)?;
    if disabled && actor.session().is_some_and(|s| s.account_id == id) {
        return Err(AppError::bad_field("id", "an account cannot disable itself"));
    }
    let operation = if disabled { "disableAccount" } else { "enableAccount" };
    let account = crate::db::atomically(db, async |txn| {
        let before = account_for_update(txn, id).await?;
        let mut row: account::ActiveModel = before.clone().into();
        row.disabled = Set(disabled);
        let after = row.update(txn).await?;
        if disabled {
            end_sessions(txn, id, None).await?;
        }
        audit::changed(txn, actor, operation, "account", id, &before, &after).await?;
        Ok(after)
    })
    .await?;
    if disabled {
        events.publish(Event::SessionsEnded(SessionsEnded::all_but(id, None)));
    }
    Ok(account)
}

/// Sets a new password for an account (ADMIN) and ends its sessions. The password is a
/// one-time one: the account must change it at its next sign-in.
pub async fn reset_password(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    events: &Broker,
    id: i64,
    new_password: &str,
) -> AppResult<account::Model> {
    policy::manage_accounts(actor)?;
    check_password("newPassword", new_password)?;
    let hash = hash_password(new_password.to_owned()).await?;
    let account = crate::db::atomically(db, async |txn| {
        let before = account_for_update(txn, id).await?;
        let mut row: account::ActiveModel = before.clone().into();
        row.password_hash = Set(hash);
        row.must_change_password = Set(true);
        let after = row.update(txn).await?;
        end_sessions(txn, id, None).await?;
        audit::changed(txn, actor, "resetPassword", "account", id, &before, &after).await?;
        Ok(after)
    })
    .await?;
    events.publish(Event::SessionsEnded(SessionsEnded::all_but(id, None)));
    Ok(account)
}

/// Changes the actor's own password, the current one required, and ends the account's other
/// sessions (the one making the change goes on). This clears a one-time password's demand for
/// a change, so the session may go on to anything its role allows. A wrong current password counts as a failed
/// sign-in in the throttle, so a stolen token cannot be used to guess the password.
pub async fn change_password(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    actor: &Actor,
    throttle: &LoginThrottle,
    events: &Broker,
    addr: Option<IpAddr>,
    current_password: &str,
    new_password: &str,
) -> AppResult<account::Model> {
    let session = policy::own_account(actor)?;
    check_password("newPassword", new_password)?;
    let Ok(attempt) = throttle.reserve(&session.username, addr) else {
        return Err(AppError::Unauthenticated("too many failed sign-ins; try again in 15 minutes"));
    };
    let stored = match account::Entity::find_by_id(session.account_id).one(db).await {
        Ok(Some(stored)) => stored,
        Ok(None) => return Err(AppError::Unauthenticated("authentication required")),
        Err(err) => {
            throttle.forgive(attempt, &session.username, false);
            return Err(err.into());
        }
    };
    if !verify_password(current_password.to_owned(), stored.password_hash.clone()).await {
        return Err(AppError::bad_field("currentPassword", "the current password is wrong"));
    }
    throttle.forgive(attempt, &session.username, true);
    let hash = hash_password(new_password.to_owned()).await?;
    let account = crate::db::atomically(db, async |txn| {
        let before = account_for_update(txn, session.account_id).await?;
        let mut row: account::ActiveModel = before.clone().into();
        row.password_hash = Set(hash);
        row.must_change_password = Set(false);
        let after = row.update(txn).await?;
        end_sessions(txn, session.account_id, session.token_id).await?;
        audit::changed(txn, actor, "changePassword", "account", session.account_id, &before, &after).await?;
        Ok(after)
    })
    .await?;
    events.publish(Event::SessionsEnded(SessionsEnded::all_but(session.account_id, session.token_id)));
    Ok(account)
}

/// An account's open sessions, as the audit log records `endAllSessions` before and after.
#[derive(Debug, Serialize)]
struct OpenSessions<'a> {
    account_id: i64,
    username: &'a str,
    open_sessions: u64,
}

/// Ends every session of the actor's account (all of them, or all but the current one);
/// returns how many ended.
pub async fn end_all_sessions(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    events: &Broker,
    keep_current: bool,
) -> AppResult<u64> {
    let session = policy::own_account(actor)?;
    let keep = if keep_current { session.token_id } else { None };
    let ended = crate::db::atomically(db, async |txn| {
        let ended = end_sessions(txn, session.account_id, keep).await?;
        let kept = u64::from(keep.is_some());
        let (account_id, username) = (session.account_id, session.username.as_str());
        let before = OpenSessions { account_id, username, open_sessions: ended + kept };
        let after = OpenSessions { account_id, username, open_sessions: kept };
        audit::changed(txn, actor, "endAllSessions", "account", account_id, &before, &after).await?;
        Ok(ended)
    })
    .await?;
    events.publish(Event::SessionsEnded(SessionsEnded::all_but(session.account_id, keep)));
    Ok(ended)
}
