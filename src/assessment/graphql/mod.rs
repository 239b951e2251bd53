//! The assessment in the API: rule sets, runs, members' results with their lines. Output types
//! in `types` (rule sets, runs) and `results`, inputs and their conversions in `inputs`, the
//! roots in `query`, `mutation` and `subscription`.

mod inputs;
mod mutation;
mod query;
mod results;
mod subscription;
mod types;

use async_graphql::{Context, Result};

pub use inputs::{
    AdjustAssessmentInput, AssessmentFilter, AssessmentOrder, AssessmentOrderField, ConfirmAssessmentRunInput,
    CreateRuleSetInput, GradeBandInput, MinimumRequirementInput, PublishAssessmentRunInput, RuleCategoryInput,
    RunAssessmentInput, ScoringRuleInput,
};
pub use mutation::{AssessmentMutation, AssessmentRunPayload, MemberAssessmentPayload, RuleSetPayload};
pub use query::AssessmentQuery;
pub use results::{
    Adjustment, CategorySubtotal, FlagDetail, MemberAssessment, ScoreLine, line_text, member_assessment,
};
pub use subscription::AssessmentSubscription;
pub use types::{AssessmentRun, GradeBand, GradeCount, MinimumRequirement, RuleCategory, RuleSet, ScoringRule};

use crate::{error::AppError, relay::Kind, schema::Node};

/// Fetches a rule set, run or result for `node(id:)` through its type's `find`, with the same
/// access rules as its list; null when absent or hidden.
pub async fn node(ctx: &Context<'_>, kind: Kind, id: i64) -> Result<Option<Node>> {
    let found = match kind {
        Kind::RuleSet => RuleSet::find(ctx, id).await.map(Node::RuleSet),
        Kind::AssessmentRun => AssessmentRun::find(ctx, id).await.map(Node::AssessmentRun),
        Kind::MemberAssessment => MemberAssessment::find(ctx, id).await.map(Node::MemberAssessment),
        _ => return Ok(None),
    };
    match found {
        Ok(node) => Ok(Some(node)),
        Err(AppError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
