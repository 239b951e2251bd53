//! Annual plans and members' targets in the API: the output types in [`types`], the inputs in
//! [`inputs`], the roots in [`query`] and [`mutation`]. Resolvers read the context, call one
//! service function and convert; lists load what their nodes ask for level by level.

pub mod inputs;
pub mod mutation;
pub mod query;
pub mod types;

pub use inputs::{
    AddPlanItemInput, CreatePlanInput, MemberTargetInput, PlanActivityInput, PlanItemFilterInput, RecordPlanStageInput,
    SetMemberTargetsInput, UpdatePlanItemInput,
};
pub use mutation::{MemberTargetsPayload, PlanItemPayload, PlanMutation, PlanPayload};
pub use query::PlanQuery;
pub use types::{MemberTarget, Plan, PlanAreaProgress, PlanItem, PlanProgress, PlanStageRecord, member_targets};
