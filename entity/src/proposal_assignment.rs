//! A proposal assigned (交办) to a handling unit, and that unit's answer.

use sea_orm::entity::prelude::*;

use crate::enums::{AssignmentStatus, HandlingRole, ResultClass};

/// A row of `proposal_assignment`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "proposal_assignment")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The proposal.
    pub proposal_id: i64,
    /// The handling unit.
    pub handling_unit_id: i64,
    /// Lead, co or sole handler.
    pub role: HandlingRole,
    /// Where it stands.
    pub status: AssignmentStatus,
    /// The day it was assigned.
    pub assigned_on: Date,
    /// The day the answer is due.
    pub due_date: Date,
    /// The day the unit refused it.
    pub refused_on: Option<Date>,
    /// Why the unit refused it.
    pub refusal_reason: Option<String>,
    /// The day the unit answered.
    pub answered_on: Option<Date>,
    /// The result class of the answer.
    pub result_class: Option<ResultClass>,
    /// Whether the unit met the proposer.
    pub met_proposer: Option<bool>,
    /// A summary of the answer.
    pub answer_summary: Option<String>,
}

/// Relations of `proposal_assignment`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
