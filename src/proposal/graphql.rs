//! Proposals in the API: types, queries and mutations. Resolvers read the context, call one
//! service function and convert.

use std::{collections::HashMap, sync::Arc};

use async_graphql::{
    Context, Enum, ID, InputObject, Object, Result, SimpleObject, Subscription,
    dataloader::{DataLoader, HashMapCache, Loader},
};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::DatabaseConnection;

use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::service::{self, Answer, Flags, NewProposal, NewSigner, ProposalFilter, Review, Revision, UnitAssignment};
use crate::events::{Broker, Event};
use crate::{
    context::ContextExt,
    dates::today,
    error::AppError,
    loader,
    member::graphql::Member,
    opinion::graphql::OpinionReport,
    organisation::graphql::HandlingUnit,
    pagination::PageArgs,
    relay::{CountedConnection, Kind, TotalCount, connection, decode_id, decode_opt, encode_id},
};
use entity::{
    enums::{
        AssignmentStatus, FeedbackRating, HandlingRole, NotAcceptedReason, ProposalActionKind, ProposalKind,
        ProposalStatus, ProposerType, ResultClass, SignerRole,
    },
    proposal, proposal_action, proposal_assignment, proposal_signer,
};

/// Loads the result-class labels (the office's own or the defaults) once per request.
pub struct ResultLabels {
    db: DatabaseConnection,
}

impl ResultLabels {
    /// A loader reading from `db`.
    pub fn loader(db: &DatabaseConnection) -> DataLoader<Self, HashMapCache> {
        DataLoader::with_cache(Self { db: db.clone() }, tokio::spawn, HashMapCache::default())
    }
}

impl Loader<()> for ResultLabels {
    type Value = Vec<(ResultClass, String)>;
    type Error = Arc<AppError>;

    async fn load(&self, _: &[()]) -> Result<HashMap<(), Self::Value>, Self::Error> {
        let labels = service::result_class_labels(&self.db).await.map_err(Arc::new)?;
        Ok(HashMap::from([((), labels)]))
    }
}

async fn class_label(ctx: &Context<'_>, class: Option<ResultClass>) -> Result<Option<String>, AppError> {
    let Some(class) = class else { return Ok(None) };
    let labels = ctx.loaders()?.result_class_labels.load_one(()).await.map_err(|e| (*e).clone())?;
    Ok(labels.unwrap_or_default().into_iter().find(|(c, _)| *c == class).map(|(_, l)| l))
}

/// Loads, level by level, what a page of proposals is about to ask for: one query per
/// relation and level for the whole page.
pub(crate) async fn prefetch(ctx: &Context<'_>, rows: &[&proposal::Model]) -> Result<(), AppError> {
    prefetch_for(ctx.loaders()?, &ctx.look_ahead(), rows).await
}

/// [`prefetch`] for the connection that `look` selects, with `l`'s loaders: a parent list
/// (a page of members) primes all its members' lists at once through this.
pub(crate) async fn prefetch_for(
    l: &crate::loader::Loaders,
    look: &async_graphql::Lookahead<'_>,
    rows: &[&proposal::Model],
) -> Result<(), AppError> {
    let wants = |path: &[&str]| crate::relay::selects(look, path);
    let ids = || rows.iter().map(|p| p.id);
    let signers = async {
        if wants(&["signers"]) {
            let signers = loader::many(&l.signers_by_proposal, ids()).await?;
            if wants(&["signers", "member"]) {
                loader::many(&l.member, signers.iter().flatten().map(|s| s.member_id)).await?;
            }
        }
        Ok::<_, AppError>(())
    };
    let assignments = async {
        if wants(&["assignments"]) {
            let rows = loader::many(&l.assignments_by_proposal, ids()).await?;
            if wants(&["assignments", "handlingUnit"]) {
                loader::many(&l.handling_unit, rows.iter().flatten().map(|a| a.handling_unit_id)).await?;
            }
        }
        Ok(())
    };
    let actions = async {
        if wants(&["latestAction"]) {
            loader::many(&l.proposal_action, rows.iter().filter_map(|p| p.latest_action_id)).await?;
        }
        if wants(&["actions"]) {
            loader::many(&l.actions_by_proposal, ids()).await?;
        }
        Ok(())
    };
    let links = async {
        if wants(&["mergedInto"]) {
            loader::many(&l.proposal, rows.iter().filter_map(|p| p.merged_into_id)).await?;
        }
        if wants(&["opinionReport"]) {
            loader::many(&l.opinion_reports_by_proposal, ids()).await?;
        }
        Ok(())
    };
    futures_util::try_join!(signers, assignments, actions, links)?;
    Ok(())
}

/// Builds a proposal connection from a page, priming the loaders for what its nodes select.
pub(crate) async fn proposal_connection(
    ctx: &Context<'_>,
    page: crate::pagination::Page<proposal::Model>,
    count: crate::pagination::Counter,
) -> Result<CountedConnection<Proposal>, AppError> {
    let rows: Vec<&proposal::Model> = page.rows.iter().map(|(_, p)| p).collect();
    prefetch(ctx, &rows).await?;
    Ok(connection(page, TotalCount::new(count), Proposal))
}

/// A proposal (提案).
pub struct Proposal(pub proposal::Model);

#[Object]
impl Proposal {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Proposal, self.0.id)
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
    /// The proposal it was merged into (并案).
    async fn merged_into(&self, ctx: &Context<'_>) -> Result<Option<Proposal>> {
        let Some(id) = self.0.merged_into_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.proposal, id).await?.map(Proposal))
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
    /// The signing members: the first proposer, then co-signers.
    async fn signers(&self, ctx: &Context<'_>) -> Result<Vec<ProposalSigner>> {
        let mut rows = loader::one(&ctx.loaders()?.signers_by_proposal, self.0.id).await?.unwrap_or_default();
        rows.sort_by_key(|s| (s.role != SignerRole::First, s.id));
        Ok(rows.into_iter().map(ProposalSigner).collect())
    }
    /// The assignments to handling units, in the order they were made (refused and superseded
    /// ones included).
    async fn assignments(&self, ctx: &Context<'_>) -> Result<Vec<ProposalAssignment>> {
        let rows = loader::one(&ctx.loaders()?.assignments_by_proposal, self.0.id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(ProposalAssignment).collect())
    }
    /// Every logged step, oldest first.
    async fn actions(&self, ctx: &Context<'_>) -> Result<Vec<ProposalAction>> {
        let rows = loader::one(&ctx.loaders()?.actions_by_proposal, self.0.id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(ProposalAction).collect())
    }
    /// The latest logged step.
    async fn latest_action(&self, ctx: &Context<'_>) -> Result<Option<ProposalAction>> {
        let Some(id) = self.0.latest_action_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.proposal_action, id).await?.map(ProposalAction))
    }
    /// The public-opinion report it was converted to (转社情民意).
    async fn opinion_report(&self, ctx: &Context<'_>) -> Result<Option<OpinionReport>> {
        let rows = loader::one(&ctx.loaders()?.opinion_reports_by_proposal, self.0.id).await?.unwrap_or_default();
        Ok(rows.into_iter().next().map(OpinionReport))
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
        Ok(loader::one(&ctx.loaders()?.member, self.0.member_id).await?.map(Member))
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
        Ok(loader::one(&ctx.loaders()?.handling_unit, self.0.handling_unit_id).await?.map(HandlingUnit))
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
    /// Answered proposals by result class.
    pub result_classes: Vec<ResultClassShare>,
}

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A result class and the label the office gives it.
#[derive(SimpleObject)]
pub struct ResultClassLabel {
    /// The class.
    pub result_class: ResultClass,
    /// Its label.
    pub label: String,
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

/// Queries of proposals.
#[derive(Default)]
pub struct ProposalQuery;

#[Object]
impl ProposalQuery {
    /// Proposals the viewer may see, newest first: everything for office staff, committee staff
    /// and studio leads; their own for members; those assigned to them for handling units.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn proposals(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProposalFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<Proposal>> {
        let f = filter.unwrap_or_default();
        let filter = ProposalFilter {
            year: f.year,
            status: f.status,
            member_id: decode_opt(Kind::Member, f.member_id.as_ref(), "filter.memberId")?,
            handling_unit_id: decode_opt(Kind::HandlingUnit, f.handling_unit_id.as_ref(), "filter.handlingUnitId")?,
            key_proposal: f.key_proposal,
            excellent: f.excellent,
            overdue: f.overdue,
            kind: f.kind,
        };
        let args = PageArgs { first, after, last, before };
        let (page, count) = service::list(ctx.db()?, ctx.actor()?, filter, &args).await?;
        Ok(proposal_connection(ctx, page, count).await?)
    }

    /// One proposal by ID; null when there is none the viewer may see.
    async fn proposal(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Proposal>> {
        let id = decode_id(Kind::Proposal, &id, "id")?;
        match service::find(ctx.db()?, ctx.actor()?, id).await {
            Ok(p) => Ok(Some(Proposal(p))),
            Err(AppError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The figures of one year's proposals (optionally of those assigned to one handling
    /// unit): counts and rates, for every signed-in role.
    async fn proposal_statistics(
        &self,
        ctx: &Context<'_>,
        year: i32,
        handling_unit_id: Option<ID>,
    ) -> Result<ProposalStatistics> {
        let unit = decode_opt(Kind::HandlingUnit, handling_unit_id.as_ref(), "handlingUnitId")?;
        let db = ctx.db()?;
        let s = service::statistics(db, ctx.actor()?, year, unit).await?;
        let labels = ctx.loaders()?.result_class_labels.load_one(()).await.map_err(|e| (*e).clone())?;
        let labels = labels.unwrap_or_default();
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
        Ok(ProposalStatistics {
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
        })
    }

    /// The result classes with the labels the office gives them.
    async fn proposal_result_classes(&self, ctx: &Context<'_>) -> Result<Vec<ResultClassLabel>> {
        crate::auth::policy::read_statistics(ctx.actor()?)?;
        let labels = ctx.loaders()?.result_class_labels.load_one(()).await.map_err(|e| (*e).clone())?;
        Ok(labels
            .unwrap_or_default()
            .into_iter()
            .map(|(result_class, label)| ResultClassLabel { result_class, label })
            .collect())
    }
}

/// A signing member.
#[derive(InputObject)]
pub struct SignerInput {
    /// The member.
    pub member_id: ID,
    /// FIRST (exactly one) or CO.
    pub role: SignerRole,
}

pub(crate) fn decode_signers(input: Vec<SignerInput>, field: &str) -> Result<Vec<NewSigner>, AppError> {
    input
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let member_id = decode_id(Kind::Member, &s.member_id, &format!("{field}.{i}.memberId"))?;
            Ok(NewSigner { member_id, role: s.role })
        })
        .collect()
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
    pub result_classes: Vec<ResultClassLabel>,
}

/// The payload of a proposal mutation; also tells `proposalChanged` subscribers.
fn payload(ctx: &Context<'_>, p: proposal::Model) -> ProposalPayload {
    if let Ok(broker) = ctx.data::<Broker>() {
        broker.publish(Event::ProposalChanged(p.clone()));
    }
    ProposalPayload { proposal: Proposal(p) }
}

fn proposal_id(id: &ID) -> Result<i64, AppError> {
    decode_id(Kind::Proposal, id, "input.id")
}

/// Mutations of proposals: every step of the lifecycle.
#[derive(Default)]
pub struct ProposalMutation;

#[Object]
impl ProposalMutation {
    /// Submits a proposal (office staff for anyone; a member as its first proposer).
    async fn submit_proposal(&self, ctx: &Context<'_>, input: SubmitProposalInput) -> Result<ProposalPayload> {
        let new = NewProposal {
            year: input.year,
            session: input.session,
            kind: input.kind,
            proposer_type: input.proposer_type,
            collective_name: input.collective_name,
            signers: decode_signers(input.signers, "input.signers")?,
            title: input.title,
            category: input.category,
            situation: input.situation,
            analysis: input.analysis,
            suggestions: input.suggestions,
            submitted_on: input.submitted_on,
        };
        Ok(payload(ctx, service::submit(ctx.db()?, ctx.actor()?, new).await?))
    }

    /// Resubmits a returned proposal (退回修改 → 重新提交), with its revisions.
    async fn resubmit_proposal(&self, ctx: &Context<'_>, input: ResubmitProposalInput) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id)?;
        let revision = Revision {
            title: input.title,
            category: input.category,
            situation: input.situation,
            analysis: input.analysis,
            suggestions: input.suggestions,
            note: input.note,
        };
        Ok(payload(ctx, service::resubmit(ctx.db()?, ctx.actor()?, id, revision).await?))
    }

    /// Reviews (审查) a submitted proposal: ACCEPT (立案, with a serial number), REJECT with a
    /// reason (不予立案), MERGE into an accepted proposal (并案) or RETURN for changes (退回修改).
    async fn review_proposal(&self, ctx: &Context<'_>, input: ReviewProposalInput) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id)?;
        let decision = match input.decision {
            ReviewDecision::Accept => Review::Accept,
            ReviewDecision::Reject => Review::Reject(
                input.reason.ok_or_else(|| AppError::bad_field("input.reason", "a rejection needs a reason"))?,
            ),
            ReviewDecision::Merge => {
                let into = input
                    .into_id
                    .as_ref()
                    .ok_or_else(|| AppError::bad_field("input.intoId", "a merge names the proposal merged into"))?;
                Review::Merge(decode_id(Kind::Proposal, into, "input.intoId")?)
            }
            ReviewDecision::Return => Review::Return,
        };
        Ok(payload(ctx, service::review(ctx.db()?, ctx.actor()?, id, decision, input.note).await?))
    }

    /// Assigns (交办) an accepted proposal to handling units, due in three months by default.
    async fn assign_proposal(&self, ctx: &Context<'_>, input: AssignProposalInput) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id)?;
        let units = input
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let field = format!("input.units.{i}.handlingUnitId");
                Ok(UnitAssignment {
                    handling_unit_id: decode_id(Kind::HandlingUnit, &u.handling_unit_id, &field)?,
                    role: u.role,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok(payload(ctx, service::assign(ctx.db()?, ctx.actor()?, id, units, input.due_date, input.note).await?))
    }

    /// A handling unit refuses its assignment, within 10 days of it; the office reassigns.
    async fn refuse_proposal_assignment(
        &self,
        ctx: &Context<'_>,
        input: RefuseProposalAssignmentInput,
    ) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id)?;
        let unit = decode_opt(Kind::HandlingUnit, input.handling_unit_id.as_ref(), "input.handlingUnitId")?;
        Ok(payload(ctx, service::refuse_assignment(ctx.db()?, ctx.actor()?, id, unit, input.reason).await?))
    }

    /// A handling unit answers (答复) with a result class and whether it met the proposer.
    async fn answer_proposal(&self, ctx: &Context<'_>, input: AnswerProposalInput) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id)?;
        let answer = Answer {
            handling_unit_id: decode_opt(Kind::HandlingUnit, input.handling_unit_id.as_ref(), "input.handlingUnitId")?,
            result_class: input.result_class,
            met_proposer: input.met_proposer,
            answered_on: input.answered_on,
            summary: input.summary,
        };
        Ok(payload(ctx, service::answer(ctx.db()?, ctx.actor()?, id, answer).await?))
    }

    /// Records the proposer's feedback (委员反馈) on the answers.
    async fn record_proposal_feedback(
        &self,
        ctx: &Context<'_>,
        input: ProposalFeedbackInput,
    ) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id)?;
        Ok(payload(ctx, service::record_feedback(ctx.db()?, ctx.actor()?, id, input.rating, input.note).await?))
    }

    /// Reopens handling after DISSATISFIED feedback: the same units answer again.
    async fn reopen_proposal(&self, ctx: &Context<'_>, input: ReopenProposalInput) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id)?;
        Ok(payload(ctx, service::reopen(ctx.db()?, ctx.actor()?, id, input.due_date, input.note).await?))
    }

    /// Closes (办结) an answered proposal.
    async fn close_proposal(&self, ctx: &Context<'_>, input: ProposalNoteInput) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id)?;
        Ok(payload(ctx, service::close(ctx.db()?, ctx.actor()?, id, input.note).await?))
    }

    /// Flags an accepted proposal as key (重点提案) or excellent (优秀提案), or clears a flag.
    async fn flag_proposal(&self, ctx: &Context<'_>, input: FlagProposalInput) -> Result<ProposalPayload> {
        let id = proposal_id(&input.id)?;
        let flags = Flags {
            key_proposal: input.key_proposal,
            supervising_leader: input.supervising_leader,
            excellent: input.excellent,
        };
        Ok(payload(ctx, service::flag(ctx.db()?, ctx.actor()?, id, flags).await?))
    }

    /// Converts a proposal not accepted (or not yet) into a public-opinion report (转社情民意);
    /// from then on it counts only as the report.
    async fn convert_proposal_to_opinion_report(
        &self,
        ctx: &Context<'_>,
        input: ProposalNoteInput,
    ) -> Result<ConvertProposalPayload> {
        let id = proposal_id(&input.id)?;
        let (p, r) = service::convert_to_opinion_report(ctx.db()?, ctx.actor()?, id, input.note).await?;
        Ok(ConvertProposalPayload { proposal: Proposal(p), opinion_report: OpinionReport(r) })
    }

    /// Sets the office's own label of a result class.
    async fn set_proposal_result_class_label(
        &self,
        ctx: &Context<'_>,
        input: SetProposalResultClassLabelInput,
    ) -> Result<ResultClassLabelsPayload> {
        let labels = service::set_result_class_label(ctx.db()?, ctx.actor()?, input.result_class, &input.label).await?;
        Ok(ResultClassLabelsPayload {
            result_classes: labels
                .into_iter()
                .map(|(result_class, label)| ResultClassLabel { result_class, label })
                .collect(),
        })
    }
}

// ----- subscriptions -----

/// Subscriptions to proposals.
#[derive(Default)]
pub struct ProposalSubscription;

#[Subscription]
impl ProposalSubscription {
    /// The proposal each time it changes from now on (a review, an assignment, an answer,
    /// feedback …), for those who may see it.
    async fn proposal_changed(&self, ctx: &Context<'_>, id: ID) -> Result<impl Stream<Item = Proposal> + use<>> {
        let id = decode_id(Kind::Proposal, &id, "id")?;
        // Subscribing needs the same right as reading the proposal now.
        service::find(ctx.db()?, ctx.actor()?, id).await?;
        let broker = ctx
            .data::<Broker>()
            .map_err(|_| AppError::Internal("event broker missing from the GraphQL context".into()))?;
        let receiver = broker.subscribe();
        Ok(futures_util::stream::unfold(receiver, move |mut receiver| async move {
            loop {
                match receiver.recv().await {
                    Ok(Event::ProposalChanged(p)) if p.id == id => return Some((Proposal(p), receiver)),
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                }
            }
        }))
    }
}
