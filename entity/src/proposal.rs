//! A proposal (提案): submitted by members or a collective, reviewed, assigned to handling
//! units, answered, given feedback and closed. Every step is a row of `proposal_action`.

use sea_orm::entity::prelude::*;

use crate::enums::{FeedbackRating, NotAcceptedReason, ProposalKind, ProposalStatus, ProposerType, ResultClass};

/// A row of `proposal`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "proposal")]
pub struct Model {
    /// Primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The year the proposal belongs to.
    pub year: i32,
    /// The session, e.g. "十届三次会议".
    pub session: Option<String>,
    /// Plenary (大会) or between sessions (平时).
    pub kind: ProposalKind,
    /// Who proposes.
    pub proposer_type: ProposerType,
    /// The collective proposer (党派、界别、专委会、团体), for collective proposals.
    pub collective_name: Option<String>,
    /// 案由: the title.
    pub title: String,
    /// Subject category, e.g. "教育".
    pub category: Option<String>,
    /// 情况: the situation.
    pub situation: Option<String>,
    /// 分析: the analysis.
    pub analysis: Option<String>,
    /// 建议: the suggestions.
    pub suggestions: String,
    /// The day it was (last) submitted.
    pub submitted_on: Date,
    /// Where it stands.
    pub status: ProposalStatus,
    /// 案号, given at acceptance; unique within the year.
    pub serial_number: Option<String>,
    /// The day it was accepted (立案).
    pub accepted_on: Option<Date>,
    /// Why it was not accepted.
    pub not_accepted_reason: Option<NotAcceptedReason>,
    /// The proposal it was merged into.
    pub merged_into_id: Option<i64>,
    /// The latest due date of its live assignments.
    pub due_date: Option<Date>,
    /// The day the last handling unit answered.
    pub answered_on: Option<Date>,
    /// The result class of the lead (or sole) unit's answer.
    pub result_class: Option<ResultClass>,
    /// Whether a handling unit met the proposer (见面).
    pub met_proposer: Option<bool>,
    /// The proposer's feedback.
    pub feedback: Option<FeedbackRating>,
    /// 重点提案.
    pub key_proposal: bool,
    /// The leader supervising a key proposal (督办领导).
    pub supervising_leader: Option<String>,
    /// 优秀提案.
    pub excellent: bool,
    /// The latest row of `proposal_action` (denormalised for lists).
    pub latest_action_id: Option<i64>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row last changed.
    pub updated_at: DateTimeUtc,
    /// When the record was voided (作废); null while it counts.
    pub voided_at: Option<DateTimeUtc>,
    /// The account that voided it.
    pub voided_by: Option<i64>,
    /// Why it was voided.
    pub void_reason: Option<String>,
}

/// Relations of `proposal`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
