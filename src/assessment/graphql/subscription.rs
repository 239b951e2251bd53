//! The assessment's subscription: a run's changes.

use async_graphql::{Context, ID, Result};
use futures_util::StreamExt;

use super::AssessmentRun;
use crate::{
    assessment::service,
    context::ContextExt,
    relay::{Kind, decode_id},
};

/// Subscriptions of the assessment.
#[derive(Default)]
pub struct AssessmentSubscription;

#[async_graphql::Subscription]
impl AssessmentSubscription {
    /// The run each time it is computed, confirmed or published from now on, while the
    /// subscriber may read results; the subscription ends (UNAUTHENTICATED) when the
    /// subscriber's session ends.
    async fn assessment_run_changed(
        &self,
        ctx: &Context<'_>,
        run_id: ID,
    ) -> Result<impl futures_util::Stream<Item = Result<AssessmentRun>> + use<>> {
        let wanted = decode_id(Kind::AssessmentRun, &run_id, "runId")?;
        let changes = service::run_changes(ctx.db()?, ctx.live_actor()?, ctx.events()?, wanted)?;
        Ok(changes.map(|run| run.map(AssessmentRun).map_err(Into::into)))
    }
}
