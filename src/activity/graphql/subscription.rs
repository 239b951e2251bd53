//! `activityRecorded`: each activity recorded from now on.

use async_graphql::{Context, ID, Result, Subscription, futures_util::Stream};
use futures_util::StreamExt;

use super::{Activity, decode_organiser};
use crate::{
    activity::service::{self, organiser_of},
    auth::Actor,
    context::ContextExt,
    events::{Event, deliver},
};

/// Subscriptions to activities.
#[derive(Default)]
pub struct ActivitySubscription;

#[Subscription]
impl ActivitySubscription {
    /// Each activity recorded from now on, optionally only those of one organiser (a special
    /// committee, sector, studio or group). Each is delivered only while the subscriber may read
    /// it; the subscription ends (UNAUTHENTICATED) when the subscriber's session ends.
    async fn activity_recorded(
        &self,
        ctx: &Context<'_>,
        organiser_id: Option<ID>,
    ) -> Result<impl Stream<Item = Result<Activity>> + use<>> {
        let receiver = service::recorded(ctx.actor()?, ctx.events()?)?;
        let wanted = match organiser_id {
            Some(id) => Some(decode_organiser(Some(&id), "organiserId")?),
            None => None,
        };
        let db = ctx.db()?.clone();
        let pick = move |event| match event {
            Event::ActivityRecorded(a) if wanted.is_none_or(|o| organiser_of(&a) == o) => Some(a),
            _ => None,
        };
        let admit = move |now: Actor, a: entity::activity::Model| {
            let db = db.clone();
            async move { service::find(&db, &now, a.id).await }
        };
        Ok(deliver(receiver, ctx.live_actor()?, pick, admit).map(|a| a.map(Activity).map_err(Into::into)))
    }
}
