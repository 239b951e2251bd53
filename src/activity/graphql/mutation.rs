//! `recordActivity`, `setAttendance`, `updateActivity`, `cancelActivity`.

use async_graphql::{Context, Object, Result, SimpleObject};

use super::{
    Activity, CancelActivityInput, RecordActivityInput, SetAttendanceInput, UpdateActivityInput, inputs::participants,
};
use crate::{
    activity::service::{self, NewActivity},
    context::ContextExt,
    error::Under,
    relay::{Kind, decode_id},
};

/// The result of the activity mutations.
#[derive(SimpleObject)]
pub struct ActivityPayload {
    /// The activity as stored.
    pub activity: Activity,
}

/// Mutations of activities and attendance (the organiser's staff, the office).
#[derive(Default)]
pub struct ActivityMutation;

#[Object]
impl ActivityMutation {
    /// Records an activity with all its participants in one transaction: any bad participant
    /// (unknown, listed twice) rejects the whole request and nothing is written.
    async fn record_activity(&self, ctx: &Context<'_>, input: RecordActivityInput) -> Result<ActivityPayload> {
        let new = NewActivity::try_from(input).under("input")?;
        let activity = service::record(ctx.db()?, ctx.actor()?, ctx.events()?, new).await.under("input")?;
        Ok(ActivityPayload { activity: Activity(activity) })
    }

    /// Sets attendance: upserts the listed participants, or (mode REPLACE) makes the list the
    /// whole attendance. One transaction.
    async fn set_attendance(&self, ctx: &Context<'_>, input: SetAttendanceInput) -> Result<ActivityPayload> {
        let id = decode_id(Kind::Activity, &input.activity_id, "activityId").under("input")?;
        let list = participants(input.participants).under("input")?;
        let activity =
            service::set_attendance(ctx.db()?, ctx.actor()?, id, input.mode.into(), list).await.under("input")?;
        Ok(ActivityPayload { activity: Activity(activity) })
    }

    /// Changes an activity's details.
    async fn update_activity(&self, ctx: &Context<'_>, input: UpdateActivityInput) -> Result<ActivityPayload> {
        let (id, changes) = input.try_into().under("input")?;
        let activity = service::update(ctx.db()?, ctx.actor()?, id, changes).await.under("input")?;
        Ok(ActivityPayload { activity: Activity(activity) })
    }

    /// Cancels an activity: it stays on record but no longer counts.
    async fn cancel_activity(&self, ctx: &Context<'_>, input: CancelActivityInput) -> Result<ActivityPayload> {
        let id = decode_id(Kind::Activity, &input.id, "id").under("input")?;
        let activity = service::cancel(ctx.db()?, ctx.actor()?, id, input.reason).await.under("input")?;
        Ok(ActivityPayload { activity: Activity(activity) })
    }
}
