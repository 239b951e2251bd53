//! The proposal subscription: a proposal each time it changes.

use async_graphql::{Context, ID, Result, Subscription};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::types::Proposal;
use crate::{
    context::ContextExt,
    events::Event,
    relay::{Kind, decode_id},
};

/// Subscriptions to proposals.
#[derive(Default)]
pub struct ProposalSubscription;

#[Subscription]
impl ProposalSubscription {
    /// The proposal each time it changes from now on (a review, an assignment, an answer,
    /// feedback …), for those who may see it.
    async fn proposal_changed(&self, ctx: &Context<'_>, id: ID) -> Result<impl Stream<Item = Proposal> + use<>> {
        let id = decode_id(Kind::Proposal, &id, "id")?;
        // Subscribing needs the same right as reading the proposal now.
        Proposal::find(ctx, id).await?;
        let receiver = ctx.events()?.subscribe();
        Ok(futures_util::stream::unfold(receiver, move |mut receiver| async move {
            loop {
                match receiver.recv().await {
                    Ok(Event::ProposalChanged(p)) if p.id == id => return Some((Proposal(p), receiver)),
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                }
            }
        }))
    }
}
