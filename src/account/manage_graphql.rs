//! Stopping and restoring accounts in the API: `disableAccount`, `enableAccount` and
//! `resetPassword` (ADMIN); `changePassword` and `endAllSessions` (every account, as itself).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::{
    graphql::{Account, AccountPayload},
    manage,
    throttle::LoginThrottle,
};
use crate::{
    context::ContextExt,
    error::Under,
    relay::{Kind, decode_id},
};

/// The account to disable or enable.
#[derive(InputObject)]
pub struct AccountIdInput {
    /// The account.
    pub id: ID,
}

/// A new password for an account.
#[derive(InputObject)]
pub struct ResetPasswordInput {
    /// The account.
    pub id: ID,
    /// Its new password, of at least 8 characters.
    #[graphql(secret)]
    pub new_password: String,
}

/// The signed-in account's password change.
#[derive(InputObject)]
pub struct ChangePasswordInput {
    /// The password now.
    #[graphql(secret)]
    pub current_password: String,
    /// The new password, of at least 8 characters.
    #[graphql(secret)]
    pub new_password: String,
}

/// Which sessions `endAllSessions` ends.
#[derive(InputObject, Default)]
pub struct EndAllSessionsInput {
    /// Keep the session this request came with (sign out every other device).
    #[graphql(default = false)]
    pub keep_current: bool,
}

/// The result of `endAllSessions`.
#[derive(SimpleObject)]
pub struct EndAllSessionsPayload {
    /// How many sessions ended.
    pub ended: u64,
}

/// Stopping and restoring accounts.
#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Disables an account (ADMIN): it can no longer sign in, and its sessions end at once.
    async fn disable_account(&self, ctx: &Context<'_>, input: AccountIdInput) -> Result<AccountPayload> {
        let id = decode_id(Kind::Account, &input.id, "id").under("input")?;
        let account = manage::set_disabled(ctx.db()?, ctx.actor()?, ctx.events()?, id, true).await.under("input")?;
        Ok(AccountPayload { account: Account(account) })
    }
    /// Enables a disabled account again (ADMIN); its old sessions stay ended.
    async fn enable_account(&self, ctx: &Context<'_>, input: AccountIdInput) -> Result<AccountPayload> {
        let id = decode_id(Kind::Account, &input.id, "id").under("input")?;
        let account = manage::set_disabled(ctx.db()?, ctx.actor()?, ctx.events()?, id, false).await.under("input")?;
        Ok(AccountPayload { account: Account(account) })
    }
    /// Sets a new password for an account (ADMIN); its sessions end. It is a one-time
    /// password: at its next sign-in the account must `changePassword` before anything else.
    async fn reset_password(&self, ctx: &Context<'_>, input: ResetPasswordInput) -> Result<AccountPayload> {
        let id = decode_id(Kind::Account, &input.id, "id").under("input")?;
        let account = manage::reset_password(ctx.db()?, ctx.actor()?, ctx.events()?, id, &input.new_password)
            .await
            .under("input")?;
        Ok(AccountPayload { account: Account(account) })
    }
    /// Changes the signed-in account's password (the current one required); its other
    /// sessions end, this one goes on. After a one-time password this is the one operation
    /// (with `logout`, `endAllSessions` and `viewer`) the account may use.
    async fn change_password(&self, ctx: &Context<'_>, input: ChangePasswordInput) -> Result<AccountPayload> {
        let account = manage::change_password(
            ctx.db()?,
            ctx.actor()?,
            ctx.shared::<LoginThrottle>("sign-in throttle")?,
            ctx.events()?,
            ctx.client_addr(),
            &input.current_password,
            &input.new_password,
        )
        .await
        .under("input")?;
        Ok(AccountPayload { account: Account(account) })
    }
    /// Ends every session of the signed-in account (every token it holds), or every one but
    /// this request's with `keepCurrent`.
    async fn end_all_sessions(
        &self,
        ctx: &Context<'_>,
        input: Option<EndAllSessionsInput>,
    ) -> Result<EndAllSessionsPayload> {
        let keep_current = input.unwrap_or_default().keep_current;
        let ended = manage::end_all_sessions(ctx.db()?, ctx.actor()?, ctx.events()?, keep_current).await?;
        Ok(EndAllSessionsPayload { ended })
    }
}
