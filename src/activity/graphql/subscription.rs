//! `activityRecorded`: each activity recorded from now on.

use async_graphql::{Context, ID, Result, Subscription, futures_util::Stream};
use tokio::sync::broadcast::error::RecvError;

use super::{Activity, decode_organiser};
use crate::{
    activity::service::{self, organiser_of},
    context::ContextExt,
    events::Event,
};

/// Subscriptions to activities.
#[derive(Default)]
pub struct ActivitySubscription;

#[Subscription]
impl ActivitySubscription {
    /// Each activity recorded from now on, optionally only those of one organiser (a special
    /// committee, sector, studio or group).
    async fn activity_recorded(
        &self,
        ctx: &Context<'_>,
        organiser_id: Option<ID>,
    ) -> Result<impl Stream<Item = Activity> + use<>> {
        let receiver = service::recorded(ctx.actor()?, ctx.events()?)?;
        let wanted = match organiser_id {
            Some(id) => Some(decode_organiser(Some(&id), "organiserId")?),
            None => None,
        };
        Ok(futures_util::stream::unfold(receiver, move |mut receiver| async move {
            loop {
                match receiver.recv().await {
                    Ok(Event::ActivityRecorded(a)) if wanted.is_none_or(|o| organiser_of(&a) == o) => {
                        return Some((Activity(a), receiver));
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                }
            }
        }))
    }
}
