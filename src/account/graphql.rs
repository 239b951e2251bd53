//! Accounts and sign-in in the API.

use crate::member::loader::MemberLoaders;
use crate::organisation::loader::OrganisationLoaders;
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::{service, throttle::LoginThrottle};
use crate::{
    auth::Role,
    error::{AppError, Under},
};
use crate::{
    context::ContextExt,
    loader,
    member::graphql::Member,
    organisation::graphql::{Group, HandlingUnit, Sector, SpecialCommittee, Studio},
    relay::{Kind, decode_opt, encode_id},
};
use entity::account;

/// An account that can sign in.
pub struct Account(pub account::Model);

impl Account {
    /// The account `id`, for `node(id:)`: the actor's own, or any for ADMIN; NOT_FOUND when it
    /// does not exist.
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::find(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }
}

#[Object]
impl Account {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Account, self.0.id)
    }
    /// Login name.
    async fn username(&self) -> &str {
        &self.0.username
    }
    /// What the account may do.
    async fn role(&self) -> Role {
        self.0.role
    }
    /// Chinese label of the role.
    async fn role_label(&self) -> &'static str {
        self.0.role.label()
    }
    /// The member a MEMBER account belongs to.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        let Some(id) = self.0.member_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.get::<MemberLoaders>().member, id).await?.map(Member))
    }
    /// The committee a COMMITTEE_STAFF account works for.
    async fn special_committee(&self, ctx: &Context<'_>) -> Result<Option<SpecialCommittee>> {
        let Some(id) = self.0.committee_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().committee, id).await?.map(SpecialCommittee))
    }
    /// The studio a STUDIO_LEAD account leads.
    async fn studio(&self, ctx: &Context<'_>) -> Result<Option<Studio>> {
        let Some(id) = self.0.studio_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().studio, id).await?.map(Studio))
    }
    /// The handling unit a HANDLING_UNIT account answers for.
    async fn handling_unit(&self, ctx: &Context<'_>) -> Result<Option<HandlingUnit>> {
        let Some(id) = self.0.handling_unit_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().handling_unit, id).await?.map(HandlingUnit))
    }
    /// The sector a SECTOR_CONVENER account convenes.
    async fn sector(&self, ctx: &Context<'_>) -> Result<Option<Sector>> {
        let Some(id) = self.0.sector_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().sector, id).await?.map(Sector))
    }
    /// The group a GROUP_LEAD account leads.
    async fn group(&self, ctx: &Context<'_>) -> Result<Option<Group>> {
        let Some(id) = self.0.group_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().group, id).await?.map(Group))
    }
    /// The account holds a one-time password (`createMemberAccounts`, `resetPassword`): until
    /// `changePassword` succeeds, every other operation answers `PASSWORD_CHANGE_REQUIRED`.
    async fn must_change_password(&self) -> bool {
        self.0.must_change_password
    }
    /// A disabled account cannot sign in.
    async fn disabled(&self) -> bool {
        self.0.disabled
    }
    /// When the account was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Queries about the signed-in account.
#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The account the request's token belongs to; null without a token.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Option<Account>> {
        Ok(service::viewer(ctx.db()?, ctx.actor()?).await?.map(Account))
    }
}

/// Credentials.
#[derive(InputObject)]
pub struct LoginInput {
    /// Login name.
    pub username: String,
    /// Password.
    #[graphql(secret)]
    pub password: String,
}

/// A token and the account it signs in.
#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
    /// The account signed in with a one-time password: it must `changePassword` before any
    /// other operation (they answer `PASSWORD_CHANGE_REQUIRED` until then).
    pub must_change_password: bool,
    /// The account.
    pub account: Account,
}

/// The result of `logout`.
#[derive(SimpleObject)]
pub struct LogoutPayload {
    /// Whether a token was revoked.
    pub revoked: bool,
}

/// An account to create.
#[derive(InputObject)]
pub struct CreateAccountInput {
    /// Login name: 3–64 letters, digits, '.', '_' or '-'.
    pub username: String,
    /// Password of at least 8 characters.
    #[graphql(secret)]
    pub password: String,
    /// Role.
    pub role: Role,
    /// For MEMBER accounts: the member.
    pub member_id: Option<ID>,
    /// For COMMITTEE_STAFF accounts: the committee.
    pub special_committee_id: Option<ID>,
    /// For STUDIO_LEAD accounts: the studio.
    pub studio_id: Option<ID>,
    /// For HANDLING_UNIT accounts: the unit.
    pub handling_unit_id: Option<ID>,
    /// For SECTOR_CONVENER accounts: the sector they convene.
    pub sector_id: Option<ID>,
    /// For GROUP_LEAD accounts: the group they lead.
    pub group_id: Option<ID>,
}

/// The result of `createAccount`.
#[derive(SimpleObject)]
pub struct AccountPayload {
    /// The created account.
    pub account: Account,
}

/// Sign-in, sign-out and account management.
#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Signs in and returns a bearer token.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> Result<LoginPayload> {
        let issued = service::login(
            ctx.db()?,
            ctx.shared::<LoginThrottle>("sign-in throttle")?,
            &input.username,
            &input.password,
            ctx.client_addr(),
        )
        .await?;
        Ok(LoginPayload {
            token: issued.token,
            expires_at: issued.expires_at,
            must_change_password: issued.account.must_change_password,
            account: Account(issued.account),
        })
    }
    /// Revokes the token this request came with.
    async fn logout(&self, ctx: &Context<'_>) -> Result<LogoutPayload> {
        Ok(LogoutPayload { revoked: service::logout(ctx.db()?, ctx.actor()?, ctx.events()?).await? })
    }
    /// Creates an account (ADMIN).
    async fn create_account(&self, ctx: &Context<'_>, input: CreateAccountInput) -> Result<AccountPayload> {
        let new = service::NewAccount::try_from(input).under("input")?;
        let account = service::create_account(ctx.db()?, ctx.actor()?, new).await.under("input")?;
        Ok(AccountPayload { account: Account(account) })
    }
}

impl TryFrom<CreateAccountInput> for service::NewAccount {
    type Error = AppError;

    fn try_from(input: CreateAccountInput) -> Result<Self, AppError> {
        Ok(Self {
            username: input.username,
            password: input.password,
            role: input.role,
            member_id: decode_opt(Kind::Member, input.member_id.as_ref(), "memberId")?,
            committee_id: decode_opt(
                Kind::SpecialCommittee,
                input.special_committee_id.as_ref(),
                "specialCommitteeId",
            )?,
            studio_id: decode_opt(Kind::Studio, input.studio_id.as_ref(), "studioId")?,
            handling_unit_id: decode_opt(Kind::HandlingUnit, input.handling_unit_id.as_ref(), "handlingUnitId")?,
            sector_id: decode_opt(Kind::Sector, input.sector_id.as_ref(), "sectorId")?,
            group_id: decode_opt(Kind::Group, input.group_id.as_ref(), "groupId")?,
        })
    }
}
