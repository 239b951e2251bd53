//! Accounts at scale: `createMemberAccounts` makes a MEMBER account for every member seated in
//! the current term who has none, each with a one-time password, in one transaction; the
//! passwords reach the office only as a workbook, downloaded once the operation is done from a
//! short-lived address bound to the session that made them ([`Handouts`]). They are never
//! written to the audit log or the server log.
//!
//! Usernames: the member's pinyin key (`member.name_pinyin`, toneless, lower case: 李晓秋 →
//! `lixiaoqiu`; ü written `v`), keeping only `a`–`z` and `0`–`9`, at most 60 characters
//! (`member` when nothing is left). When that name is taken — by an existing account or by an earlier member of the
//! same batch, members taken in the order of their ids — or shorter than three characters, the
//! smallest number from 2 up that makes it free is appended: `zhangwei`, `zhangwei2`,
//! `zhangwei3`; `wu2` for 吴.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use argon2::{Algorithm, Argon2, Params, Version, password_hash::PasswordHasher};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait, sea_query::Query,
};

use crate::{
    audit::service as audit,
    auth::{Actor, Role, policy},
    error::{AppError, AppResult},
    organisation::service as org,
};
use entity::{account, enums::SeatStatus, member, seat};

/// How long the workbook of one-time passwords can be downloaded.
pub const HANDOUT_LIFETIME: Duration = Duration::from_secs(10 * 60);
/// Most workbooks kept at once (past it, the oldest goes): a bound on the server's memory.
const MAX_HANDOUTS: usize = 16;
/// Characters of a one-time password.
pub const ONE_TIME_PASSWORD_CHARS: usize = 12;
/// The characters one-time passwords are made of: no 0/O, 1/l/I, which read alike on paper.
const PASSWORD_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Longest base of a generated username (a number may follow, within the 64 allowed).
const MAX_USERNAME_BASE: usize = 60;
/// Accounts inserted per statement (13 columns each, well under both databases' limits).
const INSERT_CHUNK: usize = 500;
/// Argon2id memory cost of a one-time password, in KiB (the default for chosen passwords is
/// 19 MiB). A one-time password is 12 random characters of 56 (about 70 bits), which no
/// guessing reaches whatever the hash's cost, and it lives only until its first sign-in; the
/// password its holder then chooses gets the full cost. A lighter hash keeps a batch of
/// 10,000 accounts to seconds.
const ONE_TIME_M_COST: u32 = 1024;

/// A member given an account, with the one-time password to hand over.
#[derive(Clone)]
struct Issued {
    member_id: i64,
    name: String,
    number: Option<String>,
    sort_key: String,
    username: String,
    password: String,
}

/// The accounts made, and the workbook of their one-time passwords.
pub struct MemberAccounts {
    /// The accounts, in the order of the workbook's rows.
    pub accounts: Vec<account::Model>,
    /// The workbook (.xlsx): name, member number, username, one-time password.
    pub workbook: Vec<u8>,
}

/// The result of `createMemberAccounts` in the API: the accounts, and where the workbook can be
/// downloaded (none when no account was made).
pub struct HandedOut {
    /// The accounts made.
    pub accounts: Vec<account::Model>,
    /// The workbook's download.
    pub download: Option<Download>,
}

/// Where a workbook of one-time passwords can be fetched, and until when.
#[derive(Clone, Debug)]
pub struct Download {
    /// The download's id, the `id` parameter of `GET /exports/accounts.xlsx`.
    pub id: String,
    /// The path to fetch, with the same bearer token.
    pub url: String,
    /// When the download stops working.
    pub expires_at: DateTime<Utc>,
}

/// The username for `pinyin` that `taken` does not hold (see the module's rule); adds it.
fn username_for(pinyin: &str, taken: &mut HashSet<String>) -> String {
    let base: String = pinyin
        .chars()
        .map(|c| if c == 'ü' { 'v' } else { c })
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        .take(MAX_USERNAME_BASE)
        .collect();
    let base = if base.is_empty() { "member".to_owned() } else { base };
    let mut name = base.clone();
    let mut n = 1u32;
    while name.len() < 3 || taken.contains(&name) {
        n += 1;
        name = format!("{base}{n}");
    }
    taken.insert(name.clone());
    name
}

/// A one-time password of [`ONE_TIME_PASSWORD_CHARS`] characters of [`PASSWORD_ALPHABET`].
fn one_time_password() -> AppResult<String> {
    let mut out = String::with_capacity(ONE_TIME_PASSWORD_CHARS);
    // Bytes past the largest multiple of the alphabet's size are dropped, so every character
    // is equally likely.
    let limit = (256 / PASSWORD_ALPHABET.len() * PASSWORD_ALPHABET.len()) as u8;
    while out.len() < ONE_TIME_PASSWORD_CHARS {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
        for b in bytes.into_iter().filter(|b| *b < limit) {
            if out.len() < ONE_TIME_PASSWORD_CHARS {
                out.push(char::from(PASSWORD_ALPHABET[usize::from(b) % PASSWORD_ALPHABET.len()]));
            }
        }
    }
    Ok(out)
}

/// Hashes one-time passwords off the async workers, spread over the machine's cores; answers
/// the hashes in the order of `passwords`.
async fn hash_one_time(passwords: Vec<String>) -> AppResult<Vec<String>> {
    let params = Params::new(ONE_TIME_M_COST, Params::DEFAULT_T_COST, Params::DEFAULT_P_COST, None)
        .map_err(|e| AppError::Internal(format!("password hashing parameters: {e}")))?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, passwords.len().max(1));
    let per_worker = passwords.len().div_ceil(workers).max(1);
    let mut tasks = Vec::with_capacity(workers);
    for part in passwords.chunks(per_worker) {
        let (part, params) = (part.to_vec(), params.clone());
        tasks.push(tokio::task::spawn_blocking(move || {
            let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
            part.iter()
                .map(|p| hasher.hash_password(p.as_bytes()).map(|h| h.to_string()))
                .collect::<Result<Vec<_>, _>>()
        }));
    }
    let mut hashes = Vec::with_capacity(passwords.len());
    for task in tasks {
        let part = task
            .await
            .map_err(|e| AppError::Internal(format!("password hashing task failed: {e}")))?
            .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))?;
        hashes.extend(part);
    }
    Ok(hashes)
}

/// Member ids of accounts (any role) linked to a member.
fn members_with_accounts() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(account::Column::MemberId)
        .from(account::Entity)
        .and_where(account::Column::MemberId.is_not_null())
        .to_owned()
}

/// The members seated (serving) in the current term without an account, with their member
/// numbers, ordered by id; two statements whatever their number.
async fn unaccounted(db: &impl ConnectionTrait) -> AppResult<Vec<(member::Model, Option<String>)>> {
    let Some(term) = org::current_term(db, crate::dates::today()).await? else { return Ok(Vec::new()) };
    let seated = Condition::all()
        .add(seat::Column::TermId.eq(term.id))
        .add(seat::Column::Status.eq(SeatStatus::Serving))
        .add(seat::Column::MemberId.not_in_subquery(members_with_accounts()));
    let numbers: HashMap<i64, Option<String>> = seat::Entity::find()
        .select_only()
        .columns([seat::Column::MemberId, seat::Column::MemberNumber])
        .filter(seated.clone())
        .into_tuple::<(i64, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let ids = Query::select().column(seat::Column::MemberId).from(seat::Entity).cond_where(seated).to_owned();
    let members = member::Entity::find()
        .filter(member::Column::Id.in_subquery(ids))
        .order_by_asc(member::Column::Id)
        .all(db)
        .await?;
    Ok(members.into_iter().map(|m| (numbers.get(&m.id).cloned().flatten(), m)).map(|(n, m)| (m, n)).collect())
}

/// The workbook handed to the office: one row per account, by name in pinyin order.
fn workbook(issued: &[Issued]) -> AppResult<Vec<u8>> {
    let xlsx = |e: XlsxError| AppError::Internal(format!("cannot write the workbook: {e}"));
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("委员账号").map_err(xlsx)?;
    let bold = Format::new().set_bold();
    for (c, (title, width)) in
        [("姓名", 12.0), ("委员证号", 12.0), ("用户名", 20.0), ("初始密码（首次登录须修改）", 28.0)].iter().enumerate()
    {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, c, *title, &bold).map_err(xlsx)?;
        sheet.set_column_width(c, *width).map_err(xlsx)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    for (i, one) in issued.iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
        sheet.write_string(r, 0, &one.name).map_err(xlsx)?;
        if let Some(number) = &one.number {
            sheet.write_string(r, 1, number).map_err(xlsx)?;
        }
        sheet.write_string(r, 2, &one.username).map_err(xlsx)?;
        sheet.write_string(r, 3, &one.password).map_err(xlsx)?;
    }
    book.save_to_buffer().map_err(xlsx)
}

/// Makes a MEMBER account with a one-time password for every member seated in the current term
/// who has no account (ADMIN; the command line acts as the system), in one transaction with
/// an audit entry per account (without password or hash). Answers the accounts and the workbook of their passwords.
///
/// The passwords are made and hashed before the transaction begins (the hashing is the slow
/// part, and runs on blocking threads); if a member gained an account or a username was taken
/// meanwhile, nothing is written and the answer is CONFLICT (run it again).
pub async fn create_member_accounts(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    actor: &Actor,
) -> AppResult<MemberAccounts> {
    policy::manage_accounts(actor)?;
    let candidates = unaccounted(db).await?;
    if candidates.is_empty() {
        return Ok(MemberAccounts { accounts: Vec::new(), workbook: workbook(&[])? });
    }
    let existing: Vec<String> =
        account::Entity::find().select_only().column(account::Column::Username).into_tuple().all(db).await?;
    let mut taken: HashSet<String> = existing.into_iter().map(|u| u.to_lowercase()).collect();
    let mut issued = Vec::with_capacity(candidates.len());
    for (m, number) in candidates {
        issued.push(Issued {
            member_id: m.id,
            username: username_for(&m.name_pinyin, &mut taken),
            password: one_time_password()?,
            sort_key: m.name_pinyin,
            name: m.name,
            number,
        });
    }
    let hashes = hash_one_time(issued.iter().map(|i| i.password.clone()).collect()).await?;
    let now = Utc::now();
    let accounts = crate::db::atomically(db, async |txn| {
        let member_ids: Vec<i64> = issued.iter().map(|i| i.member_id).collect();
        let usernames: Vec<&str> = issued.iter().map(|i| i.username.as_str()).collect();
        let mut clash = 0;
        for ids in member_ids.chunks(INSERT_CHUNK) {
            clash +=
                account::Entity::find().filter(account::Column::MemberId.is_in(ids.iter().copied())).count(txn).await?;
        }
        for names in usernames.chunks(INSERT_CHUNK) {
            clash += account::Entity::find()
                .filter(account::Column::Username.is_in(names.iter().copied()))
                .count(txn)
                .await?;
        }
        if clash > 0 {
            return Err(AppError::Conflict("accounts changed while these were made; run it again".to_owned()));
        }
        let mut accounts = Vec::with_capacity(issued.len());
        for (part, hashes) in issued.chunks(INSERT_CHUNK).zip(hashes.chunks(INSERT_CHUNK)) {
            let rows = part.iter().zip(hashes).map(|(one, hash)| account::ActiveModel {
                username: Set(one.username.clone()),
                password_hash: Set(hash.clone()),
                role: Set(Role::Member),
                member_id: Set(Some(one.member_id)),
                committee_id: Set(None),
                studio_id: Set(None),
                handling_unit_id: Set(None),
                sector_id: Set(None),
                group_id: Set(None),
                must_change_password: Set(true),
                disabled: Set(false),
                created_at: Set(now),
                ..Default::default()
            });
            accounts.extend(account::Entity::insert_many(rows).exec_with_returning(txn).await?);
        }
        let entries: Vec<(i64, &account::Model)> = accounts.iter().map(|a| (a.id, a)).collect();
        // The account rows serialise without their hash; the passwords are nowhere in them.
        audit::created_many(txn, actor, "createMemberAccounts", "account", &entries).await?;
        Ok(accounts)
    })
    .await?;
    // The workbook in pinyin order of the names, as the office reads a roster.
    let mut order: Vec<usize> = (0..issued.len()).collect();
    order.sort_by(|&a, &b| (&issued[a].sort_key, issued[a].member_id).cmp(&(&issued[b].sort_key, issued[b].member_id)));
    let sorted: Vec<Issued> = order.iter().map(|&i| issued[i].clone()).collect();
    let by_member: HashMap<Option<i64>, account::Model> = accounts.into_iter().map(|a| (a.member_id, a)).collect();
    let accounts = sorted.iter().filter_map(|i| by_member.get(&Some(i.member_id)).cloned()).collect();
    Ok(MemberAccounts { accounts, workbook: workbook(&sorted)? })
}

/// `createMemberAccounts` in the API: makes the accounts and keeps their workbook for the
/// session that asked, to download within [`HANDOUT_LIFETIME`].
pub async fn hand_out(
    db: &(impl ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>),
    actor: &Actor,
    handouts: &Handouts,
) -> AppResult<HandedOut> {
    let made = create_member_accounts(db, actor).await?;
    if made.accounts.is_empty() {
        return Ok(HandedOut { accounts: made.accounts, download: None });
    }
    let download = handouts.keep(actor, made.workbook)?;
    Ok(HandedOut { accounts: made.accounts, download: Some(download) })
}

/// A workbook of one-time passwords waiting to be downloaded.
struct Handout {
    account_id: i64,
    token_id: Option<i64>,
    until: Instant,
    bytes: Vec<u8>,
}

/// The workbooks of one-time passwords waiting to be downloaded, in memory only (a restart
/// forgets them): each under a random id, for the session that made it, for
/// [`HANDOUT_LIFETIME`]. Clones share the store: the schema and the download route hold one.
#[derive(Clone, Default)]
pub struct Handouts {
    kept: Arc<Mutex<HashMap<String, Handout>>>,
}

impl std::fmt::Debug for Handouts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handouts").finish_non_exhaustive()
    }
}

impl Handouts {
    /// Keeps `bytes` for the actor's session; answers the download.
    fn keep(&self, actor: &Actor, bytes: Vec<u8>) -> AppResult<Download> {
        let session = policy::own_account(actor)?;
        let mut raw = [0u8; 32];
        getrandom::fill(&mut raw).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
        let id = URL_SAFE_NO_PAD.encode(raw);
        let now = Instant::now();
        let mut kept = self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        kept.retain(|_, h| h.until > now);
        while kept.len() >= MAX_HANDOUTS {
            let oldest = kept.iter().min_by_key(|(_, h)| h.until).map(|(k, _)| k.clone());
            match oldest {
                Some(key) => kept.remove(&key),
                None => break,
            };
        }
        let handout = Handout {
            account_id: session.account_id,
            token_id: session.token_id,
            until: now + HANDOUT_LIFETIME,
            bytes,
        };
        kept.insert(id.clone(), handout);
        let lifetime = chrono::Duration::from_std(HANDOUT_LIFETIME).unwrap_or_else(|_| chrono::Duration::minutes(10));
        Ok(Download { url: format!("/exports/accounts.xlsx?id={id}"), id, expires_at: Utc::now() + lifetime })
    }

    /// The workbook kept under `id`, for the session that made it while it lasts (ADMIN);
    /// NOT_FOUND for anyone else, after it expired, or for an id never given.
    pub fn fetch(&self, actor: &Actor, id: &str) -> AppResult<Vec<u8>> {
        policy::manage_accounts(actor)?;
        let session = policy::own_account(actor)?;
        let now = Instant::now();
        let mut kept = self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        kept.retain(|_, h| h.until > now);
        match kept.get(id) {
            Some(h) if h.account_id == session.account_id && h.token_id == session.token_id => Ok(h.bytes.clone()),
            _ => Err(AppError::not_found("download", "of one-time passwords")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_the_pinyin_key_numbered_from_2_on_collision() {
        let mut taken: HashSet<String> = ["zhangwei".to_owned()].into();
        assert_eq!(username_for("zhangwei", &mut taken), "zhangwei2");
        assert_eq!(username_for("zhangwei", &mut taken), "zhangwei3");
        assert_eq!(username_for("lixiaoqiu", &mut taken), "lixiaoqiu");
        assert_eq!(username_for("wu", &mut taken), "wu2");
        assert_eq!(username_for("ayigulimaimaiti", &mut taken), "ayigulimaimaiti");
        assert_eq!(username_for("lü", &mut taken), "lv2");
        assert_eq!(username_for("", &mut taken), "member");
        assert!(username_for(&"a".repeat(80), &mut taken).len() <= 64);
    }

    #[test]
    fn one_time_passwords_are_twelve_unambiguous_characters_and_differ() {
        let a = one_time_password().unwrap();
        let b = one_time_password().unwrap();
        assert_eq!(a.chars().count(), ONE_TIME_PASSWORD_CHARS);
        assert!(a.bytes().all(|c| PASSWORD_ALPHABET.contains(&c)), "{a}");
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn one_time_hashes_verify_with_the_ordinary_check() {
        let hashes = hash_one_time(vec!["abcDEF234567".to_owned(), "zyxWVU765432".to_owned()]).await.unwrap();
        assert!(super::super::service::verify_password("abcDEF234567".to_owned(), hashes[0].clone()).await);
        assert!(!super::super::service::verify_password("abcDEF234567".to_owned(), hashes[1].clone()).await);
    }
}
