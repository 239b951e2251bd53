//! Accounts at scale in the API: `createMemberAccounts` (ADMIN).

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::{
    graphql::Account,
    handout::{self, Handouts},
};
use crate::context::ContextExt;

/// Where the workbook of one-time passwords can be downloaded: `GET` the `url` with the same
/// bearer token, before `expiresAt`. Only the session that made the accounts can fetch it.
#[derive(SimpleObject)]
pub struct AccountsDownload {
    /// The path to fetch, e.g. `/exports/accounts.xlsx?id=…`.
    pub url: String,
    /// When the download stops working (the workbook is then forgotten).
    pub expires_at: DateTime<Utc>,
}

/// The result of `createMemberAccounts`.
#[derive(SimpleObject)]
pub struct CreateMemberAccountsPayload {
    /// How many accounts were made.
    pub created: i32,
    /// The accounts made (MEMBER accounts, each with a one-time password), in the workbook's
    /// order: by name in pinyin order; the first 1,000 (`created` counts them all, and the
    /// workbook lists them all).
    #[graphql(complexity = "crate::cost::list(crate::cost::HANDED_OUT, child_complexity)")]
    pub accounts: Vec<Account>,
    /// The workbook of usernames and one-time passwords; null when no account was made.
    pub download: Option<AccountsDownload>,
}

/// Making accounts in bulk.
#[derive(Default)]
pub struct HandoutMutation;

#[Object]
impl HandoutMutation {
    /// Makes a MEMBER account for every member seated in the current term who has none (ADMIN),
    /// in one transaction. Usernames are the members' pinyin (a number appended on collision);
    /// each account gets a one-time password, which must be changed at its first sign-in. The
    /// passwords are only in the workbook at `download` (never in the audit or server log).
    async fn create_member_accounts(&self, ctx: &Context<'_>) -> Result<CreateMemberAccountsPayload> {
        let done = handout::hand_out(ctx.db()?, ctx.actor()?, ctx.shared::<Handouts>("account handouts")?).await?;
        Ok(CreateMemberAccountsPayload {
            created: i32::try_from(done.accounts.len()).unwrap_or(i32::MAX),
            accounts: crate::cost::capped(done.accounts, crate::cost::HANDED_OUT).into_iter().map(Account).collect(),
            download: done.download.map(|d| AccountsDownload { url: d.url, expires_at: d.expires_at }),
        })
    }
}
