//! `createMember` and `updateMember`.

use async_graphql::{Context, Object, Result, SimpleObject};

use super::{CreateMemberInput, Member, UpdateMemberInput};
use crate::{
    context::ContextExt,
    error::Under,
    member::service::{self, MemberChanges, NewMember},
};

/// The result of `createMember` and `updateMember`.
#[derive(SimpleObject)]
pub struct MemberPayload {
    /// The member as stored.
    pub member: Member,
}

/// Mutations of members (ADMIN and OFFICE).
#[derive(Default)]
pub struct MemberMutation;

#[Object]
impl MemberMutation {
    /// Creates a member with their seat in a term, in one transaction.
    async fn create_member(&self, ctx: &Context<'_>, input: CreateMemberInput) -> Result<MemberPayload> {
        let new = NewMember::try_from(input).under("input")?;
        let member = service::create(ctx.db()?, ctx.actor()?, new).await.under("input")?;
        Ok(MemberPayload { member: Member(member) })
    }

    /// Changes a member's profile and, optionally, their seat in one term (or gives a returning
    /// member a seat in a new term), in one transaction.
    async fn update_member(&self, ctx: &Context<'_>, input: UpdateMemberInput) -> Result<MemberPayload> {
        let (id, changes): (i64, MemberChanges) = input.try_into().under("input")?;
        let member = service::update(ctx.db()?, ctx.actor()?, id, changes).await.under("input")?;
        Ok(MemberPayload { member: Member(member) })
    }
}
