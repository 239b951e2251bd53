//! The proposal types of the API: a proposal, its signers, assignments and logged steps, its
//! figures, and the payloads of its mutations.

use crate::member::loader::MemberLoaders;
use crate::opinion::loader::OpinionLoaders;
use crate::organisation::loader::OrganisationLoaders;
use crate::proposal::loader::ProposalLoaders;
use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::{
    context::ContextExt,
    dates::today,
    error::AppError,
    loader,
    member::graphql::Member,
    opinion::graphql::OpinionReport,
    organisation::graphql::HandlingUnit,
    proposal::service,
    relay::{Kind, encode_id},
};
use entity::{
    enums::{
        AssignmentStatus, FeedbackRating, HandlingRole, NotAcceptedReason, ProposalActionKind, ProposalKind,
        ProposalStatus, ProposerType, ResultClass, SignerRole,
    },
    proposal, proposal_action, proposal_assignment, proposal_signer,
};

/// The labels of the result classes, loaded once per request.
pub(super) async fn labels(ctx: &Context<'_>) -> Result<Vec<(ResultClass, String)>, AppError> {
    let labels = crate::loader::one(&ctx.loaders()?.get::<ProposalLoaders>().result_class_labels, ()).await?;
    Ok(labels.unwrap_or_default())
}

async fn class_label(ctx: &Context<'_>, class: Option<ResultClass>) -> Result<Option<String>, AppError> {
    let Some(class) = class else { return Ok(None) };
    Ok(labels(ctx).await?.into_iter().find(|(c, _)| *c == class).map(|(_, l)| l))
}

/// A proposal (提案).
pub struct Proposal(pub proposal::Model);

impl Proposal {
    /// The proposal `id`, if the viewer may see it: NOT_FOUND when it is absent or hidden,
    /// FORBIDDEN when the role reads no proposals (`node(id)` and `proposal(id)`).
    pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
        service::find(ctx.db()?, ctx.actor()?, id).await.map(Self)
    }
}

#[Object]
impl Proposal {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Proposal, self.0.id)
    }
    /// Whether the record was voided (作废): it then counts nowhere. Only the office (ADMIN,
    /// OFFICE) still finds a voided record; to every other role it does not exist.
    async fn voided(&self) -> bool {
        self.0.voided_at.is_some()
    }
    /// When it was voided; null while it counts.
    async fn voided_at(&self) -> Option<DateTime<Utc>> {
        self.0.voided_at
    }
    /// Why it was voided; null while it counts.
    async fn void_reason(&self) -> Option<&str> {
        self.0.void_reason.as_deref()
    }
    /// The year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// The session, e.g. "十届三次会议".
    async fn session(&self) -> Option<&str> {
        self.0.session.as_deref()
    }
    /// Plenary (大会提案) or between sessions (平时提案).
    async fn kind(&self) -> ProposalKind {
        self.0.kind
    }
    /// Chinese label of the kind.
    async fn kind_label(&self) -> &'static str {
        self.0.kind.label()
    }
    /// Who proposes.
    async fn proposer_type(&self) -> ProposerType {
        self.0.proposer_type
    }
    /// Chinese label of the proposer type.
    async fn proposer_type_label(&self) -> &'static str {
        self.0.proposer_type.label()
    }
    /// The collective proposer (党派、界别、专委会、团体) of a collective proposal.
    async fn collective_name(&self) -> Option<&str> {
        self.0.collective_name.as_deref()
    }
    /// 案由: the title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Subject category.
    async fn category(&self) -> Option<&str> {
        self.0.category.as_deref()
    }
    /// 情况: the situation.
    async fn situation(&self) -> Option<&str> {
        self.0.situation.as_deref()
    }
    /// 分析: the analysis.
    async fn analysis(&self) -> Option<&str> {
        self.0.analysis.as_deref()
    }
    /// 建议: the suggestions.
    async fn suggestions(&self) -> &str {
        &self.0.suggestions
    }
    /// The day it was (last) submitted.
    async fn submitted_on(&self) -> NaiveDate {
        self.0.submitted_on
    }
    /// Where it stands.
    async fn status(&self) -> ProposalStatus {
        self.0.status
    }
    /// Chinese label of the state.
    async fn status_label(&self) -> &'static str {
        self.0.status.label()
    }
    /// 案号, given at acceptance, e.g. "2024-007".
    async fn serial_number(&self) -> Option<&str> {
        self.0.serial_number.as_deref()
    }
    /// The day it was accepted (立案).
    async fn accepted_on(&self) -> Option<NaiveDate> {
        self.0.accepted_on
    }
    /// Why it was not accepted.
    async fn not_accepted_reason(&self) -> Option<NotAcceptedReason> {
        self.0.not_accepted_reason
    }
    /// Chinese label of the reason it was not accepted.
    async fn not_accepted_reason_label(&self) -> Option<&'static str> {
        self.0.not_accepted_reason.map(NotAcceptedReason::label)
    }
    /// The proposal it was merged into (并案); null when the viewer may not see that one (a
    /// member who did not sign it, a unit it is not assigned to).
    async fn merged_into(&self, ctx: &Context<'_>) -> Result<Option<Proposal>> {
        let Some(id) = self.0.merged_into_id else { return Ok(None) };
        let scope = service::readable(ctx.actor()?)?;
        Ok(loader::one(&ctx.loaders()?.get::<ProposalLoaders>().readable, (id, scope)).await?.map(Proposal))
    }
    /// The latest due date of the units handling it.
    async fn due_date(&self) -> Option<NaiveDate> {
        self.0.due_date
    }
    /// The day the last handling unit answered.
    async fn answered_on(&self) -> Option<NaiveDate> {
        self.0.answered_on
    }
    /// Past the due date without an answer, or answered after it.
    async fn overdue(&self) -> bool {
        match (self.0.due_date, self.0.answered_on) {
            (Some(due), Some(answered)) => answered > due,
            (Some(due), None) => self.0.status == ProposalStatus::Assigned && due < today(),
            _ => false,
        }
    }
    /// The result class of the lead (or sole) unit's answer.
    async fn result_class(&self) -> Option<ResultClass> {
        self.0.result_class
    }
    /// The label of the result class (the office's own, or the default).
    async fn result_class_label(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(class_label(ctx, self.0.result_class).await?)
    }
    /// Whether a handling unit met the proposer (见面).
    async fn met_proposer(&self) -> Option<bool> {
        self.0.met_proposer
    }
    /// The proposer's feedback.
    async fn feedback(&self) -> Option<FeedbackRating> {
        self.0.feedback
    }
    /// Chinese label of the feedback.
    async fn feedback_label(&self) -> Option<&'static str> {
        self.0.feedback.map(FeedbackRating::label)
    }
    /// 重点提案.
    async fn key_proposal(&self) -> bool {
        self.0.key_proposal
    }
    /// The leader supervising a key proposal (督办领导).
    async fn supervising_leader(&self) -> Option<&str> {
        self.0.supervising_leader.as_deref()
    }
    /// 优秀提案.
    async fn excellent(&self) -> bool {
        self.0.excellent
    }
    /// The signing members: the first proposer, then co-signers (at most 30).
    #[graphql(complexity = "crate::cost::list(crate::cost::SIGNERS, child_complexity)")]
    async fn signers(&self, ctx: &Context<'_>) -> Result<Vec<ProposalSigner>> {
        let mut rows = loader::one(&ctx.loaders()?.get::<ProposalLoaders>().signers_by_proposal, self.0.id)
            .await?
            .unwrap_or_default();
        rows.sort_by_key(|s| (s.role != SignerRole::First, s.id));
        Ok(crate::cost::capped(rows, crate::cost::SIGNERS).into_iter().map(ProposalSigner).collect())
    }
    /// The assignments to handling units, in the order they were made (refused and superseded
    /// ones included; at most 10).
    #[graphql(complexity = "crate::cost::list(crate::cost::ASSIGNMENTS, child_complexity)")]
    async fn assignments(&self, ctx: &Context<'_>) -> Result<Vec<ProposalAssignment>> {
        let rows = loader::one(&ctx.loaders()?.get::<ProposalLoaders>().assignments_by_proposal, self.0.id)
            .await?
            .unwrap_or_default();
        Ok(crate::cost::capped(rows, crate::cost::ASSIGNMENTS).into_iter().map(ProposalAssignment).collect())
    }
    /// Every logged step, oldest first (at most 50).
    #[graphql(complexity = "crate::cost::list(crate::cost::ACTIONS, child_complexity)")]
    async fn actions(&self, ctx: &Context<'_>) -> Result<Vec<ProposalAction>> {
        let rows = loader::one(&ctx.loaders()?.get::<ProposalLoaders>().actions_by_proposal, self.0.id)
            .await?
            .unwrap_or_default();
        Ok(crate::cost::capped(rows, crate::cost::ACTIONS).into_iter().map(ProposalAction).collect())
    }
    /// The latest logged step.
    async fn latest_action(&self, ctx: &Context<'_>) -> Result<Option<ProposalAction>> {
        let Some(id) = self.0.latest_action_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.get::<ProposalLoaders>().proposal_action, id).await?.map(ProposalAction))
    }
    /// The public-opinion report it was converted to (转社情民意); null when the viewer may
    /// not see that report.
    async fn opinion_report(&self, ctx: &Context<'_>) -> Result<Option<OpinionReport>> {
        let Some(scope) = crate::opinion::service::readable_through_proposals(ctx.actor()?)? else { return Ok(None) };
        let key = (self.0.id, scope);
        Ok(loader::one(&ctx.loaders()?.get::<OpinionLoaders>().opinion_report_by_proposal, key)
            .await?
            .map(OpinionReport))
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A member signing a proposal.
pub struct ProposalSigner(pub proposal_signer::Model);

#[Object]
impl ProposalSigner {
    /// The member.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
        Ok(loader::one(&ctx.loaders()?.get::<MemberLoaders>().member, self.0.member_id).await?.map(Member))
    }
    /// First proposer (第一提案人) or co-signer.
    async fn role(&self) -> SignerRole {
        self.0.role
    }
    /// Chinese label of the role.
    async fn role_label(&self) -> &'static str {
        self.0.role.label()
    }
}

/// A proposal assigned (交办) to a handling unit, and its answer.
pub struct ProposalAssignment(pub proposal_assignment::Model);

#[Object]
impl ProposalAssignment {
    /// The handling unit.
    async fn handling_unit(&self, ctx: &Context<'_>) -> Result<Option<HandlingUnit>> {
        Ok(loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().handling_unit, self.0.handling_unit_id)
            .await?
            .map(HandlingUnit))
    }
    /// Lead (主办), co (会办) or sole handler.
    async fn role(&self) -> HandlingRole {
        self.0.role
    }
    /// Chinese label of the role.
    async fn role_label(&self) -> &'static str {
        self.0.role.label()
    }
    /// Where it stands.
    async fn status(&self) -> AssignmentStatus {
        self.0.status
    }
    /// Chinese label of the state.
    async fn status_label(&self) -> &'static str {
        self.0.status.label()
    }
    /// The day it was assigned.
    async fn assigned_on(&self) -> NaiveDate {
        self.0.assigned_on
    }
    /// The day the answer is due.
    async fn due_date(&self) -> NaiveDate {
        self.0.due_date
    }
    /// The day the unit refused it.
    async fn refused_on(&self) -> Option<NaiveDate> {
        self.0.refused_on
    }
    /// Why the unit refused it.
    async fn refusal_reason(&self) -> Option<&str> {
        self.0.refusal_reason.as_deref()
    }
    /// The day the unit answered.
    async fn answered_on(&self) -> Option<NaiveDate> {
        self.0.answered_on
    }
    /// The result class of the answer.
    async fn result_class(&self) -> Option<ResultClass> {
        self.0.result_class
    }
    /// The label of the result class (the office's own, or the default).
    async fn result_class_label(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(class_label(ctx, self.0.result_class).await?)
    }
    /// Whether the unit met the proposer.
    async fn met_proposer(&self) -> Option<bool> {
        self.0.met_proposer
    }
    /// A summary of the answer.
    async fn answer_summary(&self) -> Option<&str> {
        self.0.answer_summary.as_deref()
    }
}

/// One logged step of a proposal's lifecycle.
pub struct ProposalAction(pub proposal_action::Model);

#[Object]
impl ProposalAction {
    /// What was done.
    async fn kind(&self) -> ProposalActionKind {
        self.0.kind
    }
    /// Chinese label of what was done.
    async fn kind_label(&self) -> &'static str {
        self.0.kind.label()
    }
    /// The state before; null for the first submission.
    async fn from_status(&self) -> Option<ProposalStatus> {
        self.0.from_status
    }
    /// The state after.
    async fn to_status(&self) -> ProposalStatus {
        self.0.to_status
    }
    /// Who did it: the account's username, or "system".
    async fn actor_name(&self) -> &str {
        &self.0.actor_name
    }
    /// When.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The note: a reason, the units, the verdict.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// How many answered proposals got one result class.
#[derive(SimpleObject)]
pub struct ResultClassShare {
    /// The class.
    pub result_class: ResultClass,
    /// Its label (the office's own, or the default).
    pub label: String,
    /// How many answered proposals got it.
    pub count: i64,
    /// Its share of the answered proposals, 0..1; null when none was answered.
    pub share: Option<Decimal>,
}

/// The figures of one year's proposals, computed by the database. Proposals converted to
/// public-opinion reports are left out: they count only as reports.
#[derive(SimpleObject)]
pub struct ProposalStatistics {
    /// The year.
    pub year: i32,
    /// Submitted.
    pub submitted: i64,
    /// Accepted (立案).
    pub accepted: i64,
    /// Not accepted (不予立案).
    pub not_accepted: i64,
    /// Merged into another proposal (并案).
    pub merged: i64,
    /// Awaiting review (submitted or returned for changes).
    pub awaiting_review: i64,
    /// Assigned to handling units.
    pub assigned: i64,
    /// Answered by every unit handling them.
    pub answered: i64,
    /// Answered by the due date.
    pub answered_on_time: i64,
    /// Answered after the due date, or unanswered past it today.
    pub overdue: i64,
    /// Answered with the proposer met (见面).
    pub met: i64,
    /// Feedback received.
    pub feedback_received: i64,
    /// 满意.
    pub satisfied: i64,
    /// 基本满意.
    pub basically_satisfied: i64,
    /// 不满意.
    pub dissatisfied: i64,
    /// Key proposals (重点提案).
    pub key_proposals: i64,
    /// Excellent proposals (优秀提案).
    pub excellent: i64,
    /// Closed (办结).
    pub closed: i64,
    /// 立案率: accepted / submitted; null when nothing was submitted.
    pub acceptance_rate: Option<Decimal>,
    /// 办复率: answered / accepted.
    pub answer_rate: Option<Decimal>,
    /// 按期办复率: answered on time / answered.
    pub on_time_rate: Option<Decimal>,
    /// 见面率: met / answered.
    pub met_rate: Option<Decimal>,
    /// 满意率: (satisfied + basically satisfied) / feedback received.
    pub satisfied_rate: Option<Decimal>,
    /// Answered proposals by result class (each class once).
    #[graphql(complexity = "crate::cost::list(crate::cost::RESULT_CLASSES, child_complexity)")]
    pub result_classes: Vec<ResultClassShare>,
}

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl ProposalStatistics {
    /// The figures `s`, each result class named by `labels` (the default label otherwise).
    pub fn new(s: service::ProposalStatistics, labels: &[(ResultClass, String)]) -> Self {
        let result_classes = s
            .result_classes
            .iter()
            .map(|c| ResultClassShare {
                result_class: c.result_class,
                label: labels
                    .iter()
                    .find(|(k, _)| *k == c.result_class)
                    .map_or_else(|| c.result_class.label().to_owned(), |(_, l)| l.clone()),
                count: int(c.count),
                share: c.share,
            })
            .collect();
        Self {
            year: s.year,
            submitted: int(s.submitted),
            accepted: int(s.accepted),
            not_accepted: int(s.not_accepted),
            merged: int(s.merged),
            awaiting_review: int(s.awaiting_review),
            assigned: int(s.assigned),
            answered: int(s.answered),
            answered_on_time: int(s.answered_on_time),
            overdue: int(s.overdue),
            met: int(s.met),
            feedback_received: int(s.feedback),
            satisfied: int(s.satisfied),
            basically_satisfied: int(s.basically_satisfied),
            dissatisfied: int(s.dissatisfied),
            key_proposals: int(s.key_proposals),
            excellent: int(s.excellent),
            closed: int(s.closed),
            acceptance_rate: s.acceptance_rate,
            answer_rate: s.answer_rate,
            on_time_rate: s.on_time_rate,
            met_rate: s.met_rate,
            satisfied_rate: s.satisfied_rate,
            result_classes,
        }
    }
}

/// A result class and the label the office gives it.
#[derive(SimpleObject)]
pub struct ResultClassLabel {
    /// The class.
    pub result_class: ResultClass,
    /// Its label.
    pub label: String,
}

/// The result of a proposal mutation.
#[derive(SimpleObject)]
pub struct ProposalPayload {
    /// The proposal as stored.
    pub proposal: Proposal,
}

/// The result of `convertProposalToOpinionReport`.
#[derive(SimpleObject)]
pub struct ConvertProposalPayload {
    /// The proposal, now CONVERTED.
    pub proposal: Proposal,
    /// The public-opinion report made from it.
    pub opinion_report: OpinionReport,
}

/// The result of `setProposalResultClassLabel`.
#[derive(SimpleObject)]
pub struct ResultClassLabelsPayload {
    /// Every class with its label.
    #[graphql(complexity = "crate::cost::list(crate::cost::RESULT_CLASSES, child_complexity)")]
    pub result_classes: Vec<ResultClassLabel>,
}

impl From<(ResultClass, String)> for ResultClassLabel {
    fn from((result_class, label): (ResultClass, String)) -> Self {
        Self { result_class, label }
    }
}
