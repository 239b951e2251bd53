//! The GraphQL schema: the one place that lists every domain.

use async_graphql::{Context, ID, Interface, MergedObject, MergedSubscription, Object, Result, Schema, SchemaBuilder};
use sea_orm::DatabaseConnection;

use crate::{
    account::{
        graphql::{Account, AuthMutation, AuthQuery},
        handout::Handouts,
        throttle::LoginThrottle,
    },
    activity::graphql::{Activity, ActivityMutation, ActivityQuery, ActivitySubscription, Participation},
    assessment::graphql::{AssessmentRun, MemberAssessment, RuleSet},
    audit::graphql::AuditQuery,
    config::ApiConfig,
    duty::graphql::{DutyItem, DutyMutation, DutyQuery},
    error::AppError,
    events::Broker,
    limits::ShapeLimits,
    member::graphql::{Member, MemberMutation, MemberQuery, Seat},
    opinion::graphql::OpinionReport,
    organisation::graphql::{
        CommitteeMembership, Group, GroupMembership, HandlingUnit, OrganisationMutation, OrganisationQuery, Region,
        Sector, SectorConvenership, SpecialCommittee, Studio, StudioAssignment, Term,
    },
    plan::graphql::{Plan, PlanItem},
    proposal::graphql::Proposal,
    relay::{Kind, decode_any},
    share::PoolShare,
    stats::graphql::StatsQuery,
    training::graphql::{TrainingMutation, TrainingQuery, TrainingSession},
};

/// Every object with a global ID.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Global ID, opaque to clients."))]
pub enum Node {
    /// A term.
    Term(Term),
    /// A member.
    Member(Member),
    /// A seat.
    Seat(Seat),
    /// A sector.
    Sector(Sector),
    /// A special committee.
    SpecialCommittee(SpecialCommittee),
    /// A region.
    Region(Region),
    /// A studio.
    Studio(Studio),
    /// A group.
    Group(Group),
    /// A handling unit.
    HandlingUnit(HandlingUnit),
    /// A committee membership.
    CommitteeMembership(CommitteeMembership),
    /// A studio assignment.
    StudioAssignment(StudioAssignment),
    /// A group membership.
    GroupMembership(GroupMembership),
    /// A sector convenership.
    SectorConvenership(SectorConvenership),
    /// An account.
    Account(Account),
    /// An activity.
    Activity(Activity),
    /// A participation.
    Participation(Participation),
    /// A request for leave.
    LeaveRequest(crate::activity::graphql::LeaveRequest),
    /// A training session.
    TrainingSession(TrainingSession),
    /// A duty item.
    DutyItem(DutyItem),
    /// A proposal.
    Proposal(Proposal),
    /// A public-opinion report.
    OpinionReport(OpinionReport),
    /// A rule set.
    RuleSet(RuleSet),
    /// An assessment run.
    AssessmentRun(AssessmentRun),
    /// A member's assessment result.
    MemberAssessment(MemberAssessment),
    /// An annual plan.
    Plan(Plan),
    /// An item of an annual plan.
    PlanItem(PlanItem),
    /// An exit case.
    ExitCase(crate::exit::graphql::ExitCase),
}

/// `node(id:)`: fetches any object by its global ID, with the same access rules as its list.
#[derive(Default)]
pub struct NodeQuery;

/// A node, or null where its kind's lookup answers NOT_FOUND (absent, or hidden from the
/// actor); any other refusal stays an error.
fn found<T>(lookup: Result<T, AppError>, node: impl FnOnce(T) -> Node) -> Result<Option<Node>> {
    match lookup {
        Ok(value) => Ok(Some(node(value))),
        Err(AppError::NotFound { .. }) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

#[Object]
impl NodeQuery {
    /// Any object by its global ID; null when there is none.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        let Some((kind, row)) = decode_any(&id) else {
            return Err(AppError::bad_field("id", "id is not a valid id").into());
        };
        // Each kind's own lookup decides access, as its list does.
        match kind {
            Kind::Term => found(Term::find(ctx, row).await, Node::Term),
            Kind::Sector => found(Sector::find(ctx, row).await, Node::Sector),
            Kind::SpecialCommittee => found(SpecialCommittee::find(ctx, row).await, Node::SpecialCommittee),
            Kind::Region => found(Region::find(ctx, row).await, Node::Region),
            Kind::Studio => found(Studio::find(ctx, row).await, Node::Studio),
            Kind::Group => found(Group::find(ctx, row).await, Node::Group),
            Kind::HandlingUnit => found(HandlingUnit::find(ctx, row).await, Node::HandlingUnit),
            Kind::Member => found(Member::find(ctx, row).await, Node::Member),
            Kind::Seat => found(Seat::find(ctx, row).await, Node::Seat),
            Kind::CommitteeMembership => found(CommitteeMembership::find(ctx, row).await, Node::CommitteeMembership),
            Kind::StudioAssignment => found(StudioAssignment::find(ctx, row).await, Node::StudioAssignment),
            Kind::GroupMembership => found(GroupMembership::find(ctx, row).await, Node::GroupMembership),
            Kind::SectorConvenership => found(SectorConvenership::find(ctx, row).await, Node::SectorConvenership),
            Kind::Account => found(Account::find(ctx, row).await, Node::Account),
            Kind::Proposal => found(Proposal::find(ctx, row).await, Node::Proposal),
            Kind::OpinionReport => found(OpinionReport::find(ctx, row).await, Node::OpinionReport),
            Kind::Activity => found(Activity::find(ctx, row).await, Node::Activity),
            Kind::Participation => found(Participation::find(ctx, row).await, Node::Participation),
            Kind::LeaveRequest => {
                found(crate::activity::graphql::LeaveRequest::find(ctx, row).await, Node::LeaveRequest)
            }
            Kind::TrainingSession => found(TrainingSession::find(ctx, row).await, Node::TrainingSession),
            Kind::DutyItem => found(DutyItem::find(ctx, row).await, Node::DutyItem),
            Kind::RuleSet => found(RuleSet::find(ctx, row).await, Node::RuleSet),
            Kind::AssessmentRun => found(AssessmentRun::find(ctx, row).await, Node::AssessmentRun),
            Kind::MemberAssessment => found(MemberAssessment::find(ctx, row).await, Node::MemberAssessment),
            Kind::Plan => found(Plan::find(ctx, row).await, Node::Plan),
            Kind::PlanItem => found(PlanItem::find(ctx, row).await, Node::PlanItem),
            Kind::ExitCase => found(crate::exit::graphql::ExitCase::find(ctx, row).await, Node::ExitCase),
        }
    }
}

/// Every query of the API.
#[derive(MergedObject, Default)]
pub struct Query(
    NodeQuery,
    AuthQuery,
    AuditQuery,
    OrganisationQuery,
    MemberQuery,
    crate::proposal::graphql::ProposalQuery,
    crate::opinion::graphql::OpinionQuery,
    ActivityQuery,
    TrainingQuery,
    DutyQuery,
    StatsQuery,
    crate::assessment::graphql::AssessmentQuery,
    crate::plan::graphql::PlanQuery,
    crate::exit::graphql::ExitQuery,
    crate::analytics::graphql::AnalyticsQuery,
    crate::activity::graphql::AttendanceQuery,
);

/// Every mutation of the API.
#[derive(MergedObject, Default)]
pub struct Mutation(
    AuthMutation,
    crate::account::manage_graphql::AccountMutation,
    crate::account::handout_graphql::HandoutMutation,
    OrganisationMutation,
    MemberMutation,
    crate::proposal::graphql::ProposalMutation,
    crate::opinion::graphql::OpinionMutation,
    ActivityMutation,
    TrainingMutation,
    DutyMutation,
    crate::correction::graphql::CorrectionMutation,
    crate::assessment::graphql::AssessmentMutation,
    crate::plan::graphql::PlanMutation,
    crate::import::graphql::ImportMutation,
    crate::exit::graphql::ExitMutation,
    crate::organisation::graphql::NextTermMutation,
    crate::activity::graphql::AttendanceMutation,
);

/// Every subscription of the API.
#[derive(MergedSubscription, Default)]
pub struct Subscription(
    ActivitySubscription,
    crate::proposal::graphql::ProposalSubscription,
    crate::assessment::graphql::AssessmentSubscription,
    crate::activity::graphql::AttendanceSubscription,
);

/// The API's schema type.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// The schema's roots, before any data or limit is attached.
fn builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query::default(), Mutation::default(), Subscription::default())
}

/// The schema, serving `db`, with the default limits.
pub fn build(db: DatabaseConnection) -> AppSchema {
    build_with(db, &ApiConfig::default())
}

/// The schema, serving `db`, with `config`'s limits. Per-request data (actor, loaders, client
/// address) is added by the server.
pub fn build_with(db: DatabaseConnection, config: &ApiConfig) -> AppSchema {
    build_with_events(db, config, Broker::new())
}

/// Like [`build_with`], publishing subscription events through `events` (so that a caller
/// outside the schema, such as a test, can publish to its subscribers). The shape limits are
/// checked by an extension.
pub fn build_with_events(db: DatabaseConnection, config: &ApiConfig, events: Broker) -> AppSchema {
    build_for_ws(db, config, events, LoginThrottle::default(), Handouts::default())
}

/// The WebSocket endpoint's schema: the shape limits checked by an extension, since documents
/// arrive there without passing `server::execute`.
pub fn build_for_ws(
    db: DatabaseConnection,
    config: &ApiConfig,
    events: Broker,
    throttle: LoginThrottle,
    handouts: Handouts,
) -> AppSchema {
    configured(db, config, events, throttle, handouts).extension(shape_limits(config)).finish()
}

/// The HTTP endpoint's schema: like [`build_with_events`] but without the shape-limit extension,
/// because `server::execute` checks the shape of each document itself before executing it.
/// With any extension installed async-graphql routes every field and list item through the
/// extension chain (type lookups and type-name strings per value): on a page of 50 appraisal
/// results that was a large share of the CPU a request took.
pub fn build_for_http(
    db: DatabaseConnection,
    config: &ApiConfig,
    events: Broker,
    throttle: LoginThrottle,
    handouts: Handouts,
) -> AppSchema {
    configured(db, config, events, throttle, handouts).finish()
}

/// The shape limits of `config`.
pub fn shape_limits(config: &ApiConfig) -> ShapeLimits {
    ShapeLimits { max_aliases: config.max_aliases, max_root_fields: config.max_root_fields }
}

/// The schema's data and limits, without extensions.
fn configured(
    db: DatabaseConnection,
    config: &ApiConfig,
    events: Broker,
    throttle: LoginThrottle,
    handouts: Handouts,
) -> SchemaBuilder<Query, Mutation, Subscription> {
    // A request over HTTP brings a share of its own (request data comes first); the operations
    // of every WebSocket share this one.
    let share = PoolShare::of_pool(config.max_request_connections, crate::db::pool_size(&db)).for_request();
    let mut builder = builder()
        .data(share)
        .data(db)
        .data(events)
        .data(throttle)
        .data(handouts)
        .data(config.attendance.clone())
        .limit_depth(config.max_depth)
        .limit_complexity(config.max_complexity);
    if !config.introspection {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl()
}
