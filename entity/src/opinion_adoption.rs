//! An adoption (采用) of a public-opinion report at some level, with a leader's instruction
//! (领导批示) when there was one.

use sea_orm::entity::prelude::*;

use crate::enums::{AdoptionLevel, InstructionLevel};

/// A row of `opinion_adoption`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "opinion_adoption")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The report.
    pub report_id: i64,
    /// Who adopted it.
    pub level: AdoptionLevel,
    /// The day it was adopted.
    pub adopted_on: Date,
    /// The channel, e.g. "《社情民意》2024年第12期".
    pub channel: Option<String>,
    /// The level of the leader who gave an instruction on it.
    pub instruction_level: Option<InstructionLevel>,
    /// The leader who gave it.
    pub instruction_leader: Option<String>,
    /// The instruction.
    pub instruction_text: Option<String>,
}

/// Relations of `opinion_adoption`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
