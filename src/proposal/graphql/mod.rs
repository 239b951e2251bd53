//! Proposals in the API: [`types`] (a proposal and what hangs off it), [`inputs`], and the
//! thin resolvers of [`query`], [`mutation`] and [`subscription`]: they read the context, call
//! one service function and convert.

pub mod inputs;
pub mod mutation;
pub mod query;
pub mod subscription;
pub mod types;

pub use inputs::*;
pub use mutation::ProposalMutation;
pub use query::ProposalQuery;
pub(crate) use query::{prefetch_for, proposal_connection};
pub use subscription::ProposalSubscription;
pub use types::*;

/// Where the request's loader registry finds it.
pub use super::loader::ResultLabels;
