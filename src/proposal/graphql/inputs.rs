//! The inputs of the proposal queries and mutations, and their conversions into the
//! service's own types. Fields at fault are named relative to the input (`signers.1.memberId`);
//! the resolvers place them under `input` or `filter`.

use async_graphql::{Enum, ID, InputObject};
use chrono::NaiveDate;

use crate::{
    error::{AppError, AppResult},
    proposal::service::{Answer, Flags, NewProposal, ProposalFilter, Review, Revision, UnitAssignment},
    relay::{Kind, decode_id, decode_opt},
    signed::graphql::{SignerInput, decode as decode_signers},
};
use entity::enums::{
    FeedbackRating, HandlingRole, NotAcceptedReason, ProposalKind, ProposalStatus, ProposerType, ResultClass,
};

/// The proposal an input names in its `id`.
pub(super) fn proposal_id(id: &ID) -> AppResult<i64> {
    decode_id(Kind::Proposal, id, "id")
}

/// Which proposals to list.
#[derive(InputObject, Default)]
pub struct ProposalFilterInput {
    /// Of this year.
    pub year: Option<i32>,
    /// In this state.
    pub status: Option<ProposalStatus>,
    /// Signed by this member.
    pub member_id: Option<ID>,
    /// Assigned to this handling unit.
    pub handling_unit_id: Option<ID>,
    /// Key proposals (true) or the others.
    pub key_proposal: Option<bool>,
    /// Excellent proposals (true) or the others.
    pub excellent: Option<bool>,
    /// Overdue (true: past the due date without an answer, or answered after it) or not.
    pub overdue: Option<bool>,
    /// Plenary or between sessions.
    pub kind: Option<ProposalKind>,
}

/// A proposal to submit.
#[derive(InputObject)]
pub struct SubmitProposalInput {
    /// The year.
    pub year: i32,
    /// The session, e.g. "十届三次会议".
    pub session: Option<String>,
    /// Plenary (大会提案) or between sessions (平时提案).
    pub kind: ProposalKind,
    /// Who proposes.
    pub proposer_type: ProposerType,
    /// The collective proposer, for a collective proposal.
    pub collective_name: Option<String>,
    /// The signing members: exactly one FIRST and any number of CO; may be empty for a
    /// collective proposal.
    #[graphql(default)]
    pub signers: Vec<SignerInput>,
    /// 案由: the title.
    pub title: String,
    /// Subject category.
    pub category: Option<String>,
    /// 情况.
    pub situation: Option<String>,
    /// 分析.
    pub analysis: Option<String>,
    /// 建议.
    pub suggestions: String,
    /// Submission day; today when absent.
    pub submitted_on: Option<NaiveDate>,
}

/// A returned proposal to resubmit, with its revisions; absent fields stay.
#[derive(InputObject)]
pub struct ResubmitProposalInput {
    /// The proposal.
    pub id: ID,
    /// New title.
    pub title: Option<String>,
    /// New category.
    pub category: Option<String>,
    /// New situation.
    pub situation: Option<String>,
    /// New analysis.
    pub analysis: Option<String>,
    /// New suggestions.
    pub suggestions: Option<String>,
    /// A note for the log.
    pub note: Option<String>,
}

/// The outcome of a review (审查).
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ReviewDecision {
    /// 立案.
    Accept,
    /// 不予立案 (give `reason`).
    Reject,
    /// 并案 into an accepted proposal (give `intoId`).
    Merge,
    /// 退回修改.
    Return,
}

/// A review of a submitted proposal.
#[derive(InputObject)]
pub struct ReviewProposalInput {
    /// The proposal.
    pub id: ID,
    /// The outcome.
    pub decision: ReviewDecision,
    /// Why it is not accepted (REJECT).
    pub reason: Option<NotAcceptedReason>,
    /// The accepted proposal it merges into (MERGE).
    pub into_id: Option<ID>,
    /// A note for the log.
    pub note: Option<String>,
}

/// A handling unit to assign.
#[derive(InputObject)]
pub struct HandlingUnitInput {
    /// The unit.
    pub handling_unit_id: ID,
    /// LEAD, CO or SOLE.
    pub role: HandlingRole,
}

/// An assignment (交办) of an accepted proposal.
#[derive(InputObject)]
pub struct AssignProposalInput {
    /// The proposal.
    pub id: ID,
    /// The units: one SOLE, or one LEAD with any number of CO.
    pub units: Vec<HandlingUnitInput>,
    /// The day the answers are due; three months from today when absent.
    pub due_date: Option<NaiveDate>,
    /// A note for the log.
    pub note: Option<String>,
}

/// A handling unit's refusal of its assignment.
#[derive(InputObject)]
pub struct RefuseProposalAssignmentInput {
    /// The proposal.
    pub id: ID,
    /// The refusing unit; the signed-in unit's own by default.
    pub handling_unit_id: Option<ID>,
    /// Why.
    pub reason: String,
}

/// A handling unit's answer (答复).
#[derive(InputObject)]
pub struct AnswerProposalInput {
    /// The proposal.
    pub id: ID,
    /// The answering unit; the signed-in unit's own, or the only pending one, by default.
    pub handling_unit_id: Option<ID>,
    /// Result class A/B/C/D.
    pub result_class: ResultClass,
    /// Whether the unit met the proposer (见面).
    pub met_proposer: bool,
    /// The day of the answer; today when absent.
    pub answered_on: Option<NaiveDate>,
    /// A summary of the answer.
    pub summary: Option<String>,
}

/// The proposer's feedback (委员反馈).
#[derive(InputObject)]
pub struct ProposalFeedbackInput {
    /// The proposal.
    pub id: ID,
    /// SATISFIED, BASICALLY_SATISFIED or DISSATISFIED.
    pub rating: FeedbackRating,
    /// A note for the log.
    pub note: Option<String>,
}

/// Reopening the handling of a proposal after dissatisfied feedback.
#[derive(InputObject)]
pub struct ReopenProposalInput {
    /// The proposal.
    pub id: ID,
    /// The new due date; three months from today when absent.
    pub due_date: Option<NaiveDate>,
    /// A note for the log.
    pub note: Option<String>,
}

/// A proposal to close (办结) or convert, with a note.
#[derive(InputObject)]
pub struct ProposalNoteInput {
    /// The proposal.
    pub id: ID,
    /// A note for the log.
    pub note: Option<String>,
}

/// Flags to set on an accepted proposal; absent ones stay.
#[derive(InputObject)]
pub struct FlagProposalInput {
    /// The proposal.
    pub id: ID,
    /// 重点提案.
    pub key_proposal: Option<bool>,
    /// The supervising leader of a key proposal (督办领导).
    pub supervising_leader: Option<String>,
    /// 优秀提案.
    pub excellent: Option<bool>,
}

/// The office's label of a result class.
#[derive(InputObject)]
pub struct SetProposalResultClassLabelInput {
    /// The class.
    pub result_class: ResultClass,
    /// The label to show.
    pub label: String,
}

impl TryFrom<ProposalFilterInput> for ProposalFilter {
    type Error = AppError;

    fn try_from(f: ProposalFilterInput) -> AppResult<Self> {
        Ok(Self {
            year: f.year,
            status: f.status,
            member_id: decode_opt(Kind::Member, f.member_id.as_ref(), "memberId")?,
            handling_unit_id: decode_opt(Kind::HandlingUnit, f.handling_unit_id.as_ref(), "handlingUnitId")?,
            key_proposal: f.key_proposal,
            excellent: f.excellent,
            overdue: f.overdue,
            kind: f.kind,
        })
    }
}

impl TryFrom<SubmitProposalInput> for NewProposal {
    type Error = AppError;

    fn try_from(input: SubmitProposalInput) -> AppResult<Self> {
        Ok(Self {
            year: input.year,
            session: input.session,
            kind: input.kind,
            proposer_type: input.proposer_type,
            collective_name: input.collective_name,
            signers: decode_signers(input.signers, "signers")?,
            title: input.title,
            category: input.category,
            situation: input.situation,
            analysis: input.analysis,
            suggestions: input.suggestions,
            submitted_on: input.submitted_on,
        })
    }
}

impl From<ResubmitProposalInput> for Revision {
    fn from(input: ResubmitProposalInput) -> Self {
        Self {
            title: input.title,
            category: input.category,
            situation: input.situation,
            analysis: input.analysis,
            suggestions: input.suggestions,
            note: input.note,
        }
    }
}

impl TryFrom<&ReviewProposalInput> for Review {
    type Error = AppError;

    fn try_from(input: &ReviewProposalInput) -> AppResult<Self> {
        Ok(match input.decision {
            ReviewDecision::Accept => Review::Accept,
            ReviewDecision::Reject => {
                Review::Reject(input.reason.ok_or_else(|| AppError::bad_field("reason", "a rejection needs a reason"))?)
            }
            ReviewDecision::Merge => {
                let into = input
                    .into_id
                    .as_ref()
                    .ok_or_else(|| AppError::bad_field("intoId", "a merge names the proposal merged into"))?;
                Review::Merge(decode_id(Kind::Proposal, into, "intoId")?)
            }
            ReviewDecision::Return => Review::Return,
        })
    }
}

impl AssignProposalInput {
    /// The units to assign; an entry at fault is `units.i.handlingUnitId`.
    pub fn assignments(&self) -> AppResult<Vec<UnitAssignment>> {
        self.units
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let field = format!("units.{i}.handlingUnitId");
                Ok(UnitAssignment {
                    handling_unit_id: decode_id(Kind::HandlingUnit, &u.handling_unit_id, &field)?,
                    role: u.role,
                })
            })
            .collect()
    }
}

impl TryFrom<AnswerProposalInput> for Answer {
    type Error = AppError;

    fn try_from(input: AnswerProposalInput) -> AppResult<Self> {
        Ok(Self {
            handling_unit_id: decode_opt(Kind::HandlingUnit, input.handling_unit_id.as_ref(), "handlingUnitId")?,
            result_class: input.result_class,
            met_proposer: input.met_proposer,
            answered_on: input.answered_on,
            summary: input.summary,
        })
    }
}

impl From<FlagProposalInput> for Flags {
    fn from(input: FlagProposalInput) -> Self {
        Self {
            key_proposal: input.key_proposal,
            supervising_leader: input.supervising_leader,
            excellent: input.excellent,
        }
    }
}
