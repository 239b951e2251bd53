//! Accounts, passwords and bearer tokens.
//!
//! Passwords are stored as Argon2id hashes; tokens are 32 random bytes given to the client
//! once and stored only as their SHA-256, so a copy of the database signs nobody in.

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use std::net::IpAddr;

use super::throttle::LoginThrottle;
use crate::auth::{Actor, Role, Session, policy};
use crate::{
    db::exists,
    error::{AppError, AppResult},
    events::{Broker, Event, SessionsEnded},
};
use entity::{account, handling_unit, member, member_group, sector, session_token, special_committee, studio};

/// How long a token works after sign-in.
pub const TOKEN_LIFETIME_HOURS: i64 = 12;
/// Fewest characters of a password.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The prefix of every token, so that leaked tokens are easy to recognise.
const TOKEN_PREFIX: &str = "lvz_";

/// An account to create.
#[derive(Clone, Debug)]
pub struct NewAccount {
    /// Login name: 3–64 letters, digits, `.`, `_` or `-`.
    pub username: String,
    /// Password, at least [`MIN_PASSWORD_CHARS`] characters.
    pub password: String,
    /// Role.
    pub role: Role,
    /// For MEMBER: the member.
    pub member_id: Option<i64>,
    /// For COMMITTEE_STAFF: the committee.
    pub committee_id: Option<i64>,
    /// For STUDIO_LEAD: the studio.
    pub studio_id: Option<i64>,
    /// For HANDLING_UNIT: the unit.
    pub handling_unit_id: Option<i64>,
    /// For SECTOR_CONVENER: the sector.
    pub sector_id: Option<i64>,
    /// For GROUP_LEAD: the group.
    pub group_id: Option<i64>,
}

fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()))
        .await
        .map_err(|e| AppError::Internal(format!("password hashing task failed: {e}")))?
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

pub(super) async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A hash that no password matches, checked when the username is unknown or the account is
/// disabled, so that a refused sign-in costs one password check either way and its timing does
/// not tell which usernames exist.
async fn decoy_hash() -> AppResult<&'static str> {
    static DECOY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DECOY
        .get_or_try_init(|| async {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
            hash_password(URL_SAFE_NO_PAD.encode(bytes)).await
        })
        .await
        .map(String::as_str)
}

fn check_username(username: &str) -> AppResult<String> {
    let username = username.trim();
    let ok_chars = username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !(3..=64).contains(&username.len()) || !ok_chars {
        return Err(AppError::bad_field("username", "username must be 3 to 64 letters, digits, '.', '_' or '-'"));
    }
    Ok(username.to_owned())
}

/// Creates an account (ADMIN only; the command line acts as the system).
pub async fn create_account(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    new: NewAccount,
) -> AppResult<account::Model> {
    policy::manage_accounts(actor)?;
    let username = check_username(&new.username)?;
    if new.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::bad_field(
            "password",
            format!("password must have at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    let scope = match new.role {
        Role::Member => new.member_id.map(|_| ()).ok_or("memberId"),
        Role::CommitteeStaff => new.committee_id.map(|_| ()).ok_or("specialCommitteeId"),
        Role::StudioLead => new.studio_id.map(|_| ()).ok_or("studioId"),
        Role::HandlingUnit => new.handling_unit_id.map(|_| ()).ok_or("handlingUnitId"),
        Role::SectorConvener => new.sector_id.map(|_| ()).ok_or("sectorId"),
        Role::GroupLead => new.group_id.map(|_| ()).ok_or("groupId"),
        Role::Admin | Role::Office | Role::Viewer => Ok(()),
    };
    if let Err(field) = scope {
        return Err(AppError::bad_field(field, format!("a {} account needs {field}", new.role.label_en())));
    }
    let password_hash = hash_password(new.password.clone()).await?;
    crate::db::atomically(db, async |txn| {
        if let Some(id) = new.member_id {
            exists::<member::Entity>(txn, id, "memberId", "member").await?;
        }
        if let Some(id) = new.committee_id {
            exists::<special_committee::Entity>(txn, id, "specialCommitteeId", "special committee").await?;
        }
        if let Some(id) = new.studio_id {
            exists::<studio::Entity>(txn, id, "studioId", "studio").await?;
        }
        if let Some(id) = new.handling_unit_id {
            exists::<handling_unit::Entity>(txn, id, "handlingUnitId", "handling unit").await?;
        }
        if let Some(id) = new.sector_id {
            exists::<sector::Entity>(txn, id, "sectorId", "sector").await?;
        }
        if let Some(id) = new.group_id {
            exists::<member_group::Entity>(txn, id, "groupId", "group").await?;
        }
        if account::Entity::find().filter(account::Column::Username.eq(&username)).one(txn).await?.is_some() {
            return Err(AppError::Conflict(format!("username {username} is taken")));
        }
        let row = account::ActiveModel {
            username: Set(username),
            password_hash: Set(password_hash),
            role: Set(new.role),
            member_id: Set(new.member_id),
            committee_id: Set(new.committee_id),
            studio_id: Set(new.studio_id),
            handling_unit_id: Set(new.handling_unit_id),
            sector_id: Set(new.sector_id),
            group_id: Set(new.group_id),
            must_change_password: Set(false),
            disabled: Set(false),
            created_at: Set(Utc::now()),
            ..Default::default()
        };
        let account = row.insert(txn).await?;
        crate::audit::service::created(txn, actor, "createAccount", "account", account.id, &account).await?;
        Ok(account)
    })
    .await
}

/// A signed-in client's token, shown once.
#[derive(Clone, Debug)]
pub struct Issued {
    /// The bearer token.
    pub token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// The account.
    pub account: account::Model,
}

/// A session as the audit log records it: the account and the times, never the token or its
/// hash.
#[derive(Debug, Serialize)]
struct AuditedSession<'a> {
    id: i64,
    account_id: i64,
    username: &'a str,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
}

impl<'a> AuditedSession<'a> {
    fn of(row: &session_token::Model, username: &'a str) -> Self {
        Self {
            id: row.id,
            account_id: row.account_id,
            username,
            created_at: row.created_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
        }
    }
}

/// Why a sign-in was refused, as the audit log spells it.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum Refusal {
    /// No account has the username.
    UnknownUsername,
    /// The account is disabled.
    AccountDisabled,
    /// The password does not match.
    WrongPassword,
}

/// A refused sign-in as the audit log records it: the username tried, never the password.
#[derive(Debug, Serialize)]
struct RefusedSignIn {
    username: String,
    account_id: Option<i64>,
    outcome: Refusal,
    address: Option<String>,
}

/// The account `username` and `password` sign in to, or why they do not. An unknown username
/// or a disabled account costs a password check as well, against a decoy hash.
async fn check_credentials(
    db: &impl ConnectionTrait,
    username: &str,
    password: &str,
) -> AppResult<Result<account::Model, (Refusal, Option<i64>)>> {
    let found = account::Entity::find().filter(account::Column::Username.eq(username.trim())).one(db).await?;
    Ok(match found {
        None => {
            verify_password(password.to_owned(), decoy_hash().await?.to_owned()).await;
            Err((Refusal::UnknownUsername, None))
        }
        Some(a) if a.disabled => {
            verify_password(password.to_owned(), decoy_hash().await?.to_owned()).await;
            Err((Refusal::AccountDisabled, Some(a.id)))
        }
        Some(a) if verify_password(password.to_owned(), a.password_hash.clone()).await => Ok(a),
        Some(a) => Err((Refusal::WrongPassword, Some(a.id))),
    })
}

/// Checks a username and password and issues a token. Any failure reads the same, so that
/// the answer does not tell which usernames exist; repeated failures for a username or from an
/// address are throttled, attempts still being checked counting as failures.
///
/// The audit log gets a "login" entry either way: the session issued, by the account that
/// signed in; or, with no actor, the username tried and why it was refused. Attempts the
/// throttle refuses are not written (they would let anyone fill the log), only traced.
pub async fn login(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    throttle: &LoginThrottle,
    username: &str,
    password: &str,
    addr: Option<IpAddr>,
) -> AppResult<Issued> {
    let Ok(attempt) = throttle.reserve(username, addr) else {
        tracing::warn!(address = ?addr, "sign-in refused: too many failures for the username or address");
        return Err(AppError::Unauthenticated("too many failed sign-ins; try again in 15 minutes"));
    };
    let account = match check_credentials(db, username, password).await {
        Ok(Ok(account)) => {
            throttle.forgive(attempt, username, true);
            account
        }
        Ok(Err((outcome, account_id))) => {
            // The attempt stays counted: it failed on its credentials.
            let refused = RefusedSignIn {
                // No longer than a username may be: the log keeps what was tried, not whatever
                // was sent.
                username: username.trim().chars().take(64).collect(),
                account_id,
                outcome,
                address: addr.map(|a| a.to_string()),
            };
            crate::audit::service::attempted(db, &Actor::Anonymous, "login", "session", &refused).await?;
            return Err(AppError::Unauthenticated("wrong username or password"));
        }
        Err(err) => {
            throttle.forgive(attempt, username, false);
            return Err(err);
        }
    };
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    let token = format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let now = Utc::now();
    let expires_at = now + Duration::hours(TOKEN_LIFETIME_HOURS);
    crate::db::atomically(db, async |txn| {
        let row = session_token::ActiveModel {
            account_id: Set(account.id),
            token_hash: Set(hash_token(&token)),
            created_at: Set(now),
            expires_at: Set(expires_at),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let signed_in = Actor::Account(session_of(&account, Some(row.id)));
        let entry = AuditedSession::of(&row, &account.username);
        crate::audit::service::created(txn, &signed_in, "login", "session", row.id, &entry).await
    })
    .await?;
    Ok(Issued { token, expires_at, account })
}

/// The session a bearer token stands for, if it is valid now.
pub async fn authenticate(db: &impl ConnectionTrait, token: &str) -> AppResult<Option<Session>> {
    Ok(live_session(db, token).await?.map(|(session, _)| session))
}

/// The session a bearer token stands for and when it expires, if it is valid now.
pub async fn live_session(db: &impl ConnectionTrait, token: &str) -> AppResult<Option<(Session, DateTime<Utc>)>> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    // The token and its account in one statement: every request with a token starts here.
    let found = session_token::Entity::find()
        .find_also_related(account::Entity)
        .filter(session_token::Column::TokenHash.eq(hash_token(token)))
        .filter(session_token::Column::RevokedAt.is_null())
        .filter(session_token::Column::ExpiresAt.gt(Utc::now()))
        .order_by_desc(session_token::Column::Id)
        .one(db)
        .await?;
    let Some((row, account)) = found else { return Ok(None) };
    Ok(account.filter(|a| !a.disabled).map(|a| (session_of(&a, Some(row.id)), row.expires_at)))
}

/// The session of an account (a token's, or the command line's when `token_id` is none).
pub fn session_of(account: &account::Model, token_id: Option<i64>) -> Session {
    Session {
        account_id: account.id,
        token_id,
        username: account.username.clone(),
        role: account.role,
        member_id: account.member_id,
        committee_id: account.committee_id,
        studio_id: account.studio_id,
        handling_unit_id: account.handling_unit_id,
        sector_id: account.sector_id,
        group_id: account.group_id,
        must_change_password: account.must_change_password,
    }
}

/// Revokes the token the actor signed in with, and records it in the audit log; its
/// subscriptions end and its WebSockets close (`events`). Returns whether there was one.
pub async fn logout(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    actor: &Actor,
    events: &Broker,
) -> AppResult<bool> {
    let Some((account_id, token_id, username)) =
        actor.session().and_then(|s| Some((s.account_id, s.token_id?, s.username.as_str())))
    else {
        return Err(AppError::Unauthenticated("authentication required"));
    };
    let revoked = crate::db::atomically(db, async |txn| {
        let Some(row) = session_token::Entity::find_by_id(token_id).one(txn).await? else { return Ok(false) };
        let mut revoked: session_token::ActiveModel = row.clone().into();
        revoked.revoked_at = Set(Some(Utc::now()));
        let revoked = revoked.update(txn).await?;
        let (before, after) = (AuditedSession::of(&row, username), AuditedSession::of(&revoked, username));
        crate::audit::service::changed(txn, actor, "logout", "session", token_id, &before, &after).await?;
        Ok(true)
    })
    .await?;
    events.publish(Event::SessionsEnded(SessionsEnded::one(account_id, token_id)));
    Ok(revoked)
}

/// The account behind the actor.
pub async fn viewer(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Option<account::Model>> {
    match actor.session() {
        Some(s) => Ok(account::Entity::find_by_id(s.account_id).one(db).await?),
        None => Ok(None),
    }
}

/// One account: ADMIN sees all, others only their own.
pub async fn find(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<account::Model> {
    if actor.session().is_none_or(|s| s.account_id != id) {
        policy::manage_accounts(actor)?;
    }
    account::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found("account", id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_decoy_hash_is_a_real_argon2_hash_that_no_password_matches() {
        let decoy = decoy_hash().await.unwrap();
        assert!(decoy.starts_with("$argon2id$"), "{decoy}");
        assert_eq!(decoy_hash().await.unwrap(), decoy, "made once");
        for password in ["", "lvzhi-demo-2024", decoy] {
            assert!(!verify_password(password.to_owned(), decoy.to_owned()).await);
        }
    }
}
