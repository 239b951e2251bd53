//! `voidRecord` and `restoreRecord`: the record named by its global id, voided with a reason or
//! restored, and returned as stored.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject, Union};

use super::service::{self, Record, RecordKind};
use crate::{
    activity::graphql::Activity,
    context::ContextExt,
    duty::graphql::DutyItem,
    error::{AppError, AppResult, Under},
    opinion::graphql::OpinionReport,
    organisation::graphql::{CommitteeMembership, GroupMembership, StudioAssignment},
    proposal::graphql::Proposal,
    relay::{Kind, decode_any},
    training::graphql::TrainingSession,
};

/// Input of `voidRecord`.
#[derive(InputObject)]
pub struct VoidRecordInput {
    /// The global id of the record: an activity, training session, proposal, public-opinion
    /// report, duty item, committee membership, studio assignment or group membership.
    pub id: ID,
    /// Why it is voided (required, at most 500 characters); kept on the record and in the audit
    /// log.
    pub reason: String,
}

/// Input of `restoreRecord`.
#[derive(InputObject)]
pub struct RestoreRecordInput {
    /// The global id of the voided record.
    pub id: ID,
    /// Why it is restored (optional, at most 500 characters); kept in the audit log.
    pub reason: Option<String>,
}

/// A record that can be voided.
#[derive(Union)]
pub enum VoidableRecord {
    /// An activity.
    Activity(Activity),
    /// A training session.
    TrainingSession(TrainingSession),
    /// A proposal.
    Proposal(Proposal),
    /// A public-opinion report.
    OpinionReport(OpinionReport),
    /// A duty item.
    DutyItem(DutyItem),
    /// A committee membership.
    CommitteeMembership(CommitteeMembership),
    /// A studio assignment.
    StudioAssignment(StudioAssignment),
    /// A group membership.
    GroupMembership(GroupMembership),
}

impl From<Record> for VoidableRecord {
    fn from(record: Record) -> Self {
        match record {
            Record::Activity(m) => Self::Activity(Activity(m)),
            Record::TrainingSession(m) => Self::TrainingSession(TrainingSession(m)),
            Record::Proposal(m) => Self::Proposal(Proposal(m)),
            Record::OpinionReport(m) => Self::OpinionReport(OpinionReport(m)),
            Record::DutyItem(m) => Self::DutyItem(DutyItem(m)),
            Record::CommitteeMembership(m) => Self::CommitteeMembership(CommitteeMembership(m)),
            Record::StudioAssignment(m) => Self::StudioAssignment(StudioAssignment(m)),
            Record::GroupMembership(m) => Self::GroupMembership(GroupMembership(m)),
        }
    }
}

/// The result of `voidRecord` and `restoreRecord`.
#[derive(SimpleObject)]
pub struct CorrectionPayload {
    /// The record as stored now.
    pub record: VoidableRecord,
}

/// The kind and row of a global id naming a voidable record; BAD_USER_INPUT on `id` otherwise.
fn voidable(id: &ID) -> AppResult<(RecordKind, i64)> {
    let Some((kind, row)) = decode_any(id) else {
        return Err(AppError::bad_field("id", "id is not a valid id"));
    };
    let kind = match kind {
        Kind::Activity => RecordKind::Activity,
        Kind::TrainingSession => RecordKind::TrainingSession,
        Kind::Proposal => RecordKind::Proposal,
        Kind::OpinionReport => RecordKind::OpinionReport,
        Kind::DutyItem => RecordKind::DutyItem,
        Kind::CommitteeMembership => RecordKind::CommitteeMembership,
        Kind::StudioAssignment => RecordKind::StudioAssignment,
        Kind::GroupMembership => RecordKind::GroupMembership,
        other => {
            return Err(AppError::bad_field(
                "id",
                format!("id is the id of a {}, which cannot be voided", other.noun()),
            ));
        }
    };
    Ok((kind, row))
}

/// Corrections (更正).
#[derive(Default)]
pub struct CorrectionMutation;

#[Object]
impl CorrectionMutation {
    /// Voids a record entered by mistake (作废), with a reason: it stays stored and in the audit
    /// log but counts nowhere (lists, duty files, statistics, assessments, invitations). The
    /// office voids any kind; committee staff, studio leads, sector conveners and group leads
    /// the activities and training sessions they organise.
    async fn void_record(&self, ctx: &Context<'_>, input: VoidRecordInput) -> Result<CorrectionPayload> {
        let (kind, id) = voidable(&input.id).under("input")?;
        let record = service::void(ctx.db()?, ctx.actor()?, kind, id, &input.reason).await.under("input")?;
        Ok(CorrectionPayload { record: record.into() })
    }

    /// Restores a voided record (ADMIN only): it counts again. The reason, if given, goes into
    /// the audit log.
    async fn restore_record(&self, ctx: &Context<'_>, input: RestoreRecordInput) -> Result<CorrectionPayload> {
        let (kind, id) = voidable(&input.id).under("input")?;
        let record =
            service::restore(ctx.db()?, ctx.actor()?, kind, id, input.reason.as_deref()).await.under("input")?;
        Ok(CorrectionPayload { record: record.into() })
    }
}
