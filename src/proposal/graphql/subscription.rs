//! The proposal subscription: a proposal each time it changes.

use async_graphql::{Context, ID, Result, Subscription};
use futures_util::{Stream, StreamExt};

use super::types::Proposal;
use crate::{
    auth::Actor,
    context::ContextExt,
    events::{Event, deliver},
    proposal::service,
    relay::{Kind, decode_id},
};

/// Subscriptions to proposals.
#[derive(Default)]
pub struct ProposalSubscription;

#[Subscription]
impl ProposalSubscription {
    /// The proposal each time it changes from now on (a review, an assignment, an answer,
    /// feedback …), for those who may see it: each change is delivered only while the
    /// subscriber may still read the proposal; the subscription ends (UNAUTHENTICATED) when the
    /// subscriber's session ends.
    async fn proposal_changed(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<impl Stream<Item = Result<Proposal>> + use<>> {
        let id = decode_id(Kind::Proposal, &id, "id")?;
        // Subscribing needs the same right as reading the proposal now.
        Proposal::find(ctx, id).await?;
        let db = ctx.db()?.clone();
        let pick = move |event| match event {
            Event::ProposalChanged(p) if p.id == id => Some(p),
            _ => None,
        };
        let admit = move |now: Actor, p: entity::proposal::Model| {
            let db = db.clone();
            async move { service::find(&db, &now, p.id).await }
        };
        let changes = deliver(ctx.events()?.subscribe(), ctx.live_actor()?, pick, admit);
        Ok(changes.map(|p| p.map(Proposal).map_err(Into::into)))
    }
}
