//! One logged step of a proposal's lifecycle: who did what, when, from which state to which.

use sea_orm::entity::prelude::*;

use crate::enums::{ProposalActionKind, ProposalStatus};

/// A row of `proposal_action`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "proposal_action")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The proposal.
    pub proposal_id: i64,
    /// What was done.
    pub kind: ProposalActionKind,
    /// The state before (none for the first submission).
    pub from_status: Option<ProposalStatus>,
    /// The state after.
    pub to_status: ProposalStatus,
    /// The account that did it (none for the system).
    pub account_id: Option<i64>,
    /// Who did it, as shown: the username, or "system".
    pub actor_name: String,
    /// When.
    pub at: DateTimeUtc,
    /// A note: the reason, the units, the verdict.
    pub note: Option<String>,
}

/// Relations of `proposal_action`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
