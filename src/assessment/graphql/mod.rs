//! The assessment in the API: rule sets, runs, members' results with their lines. Output types
//! in `types` (rule sets, runs) and `results`, inputs and their conversions in `inputs`, the
//! roots in `query`, `mutation` and `subscription`.

mod absence;
mod inputs;
mod mutation;
mod query;
mod results;
mod subscription;
mod types;

pub use absence::{AbsenceLimitInput, AbsenceLimitRule};
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
