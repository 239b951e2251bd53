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
    /// The run each time it is computed, confirmed or published from now on.
    async fn assessment_run_changed(
        &self,
        ctx: &Context<'_>,
        run_id: ID,
    ) -> Result<impl futures_util::Stream<Item = AssessmentRun> + use<>> {
        let wanted = decode_id(Kind::AssessmentRun, &run_id, "runId")?;
        Ok(service::run_changes(ctx.actor()?, ctx.events()?, wanted)?.map(AssessmentRun))
    }
}
