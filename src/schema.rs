//! The GraphQL schema: the one place that lists every domain.

use async_graphql::{Context, ID, Interface, MergedObject, MergedSubscription, Object, Result, Schema, SchemaBuilder};
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::{
    account::{
        self,
        graphql::{Account, AuthMutation, AuthQuery},
        throttle::LoginThrottle,
    },
    activity::graphql::{Activity, ActivityMutation, ActivityQuery, ActivitySubscription, Participation},
    audit::graphql::AuditQuery,
    auth::policy,
    config::ApiConfig,
    context::ContextExt,
    duty::graphql::{DutyItem, DutyMutation, DutyQuery},
    error::AppError,
    events::Broker,
    limits::ShapeLimits,
    member::{
        self,
        graphql::{Member, MemberMutation, MemberQuery, Seat},
    },
    organisation::graphql::{
        CommitteeMembership, Group, GroupMembership, HandlingUnit, OrganisationMutation, OrganisationQuery, Region,
        Sector, SectorConvenership, SpecialCommittee, Studio, StudioAssignment, Term,
    },
    relay::{Kind, decode_any},
    stats::graphql::StatsQuery,
    training::graphql::{TrainingMutation, TrainingQuery, TrainingSession},
};
use entity::{
    committee_membership, group_membership, handling_unit, member_group, region, seat, sector, sector_convener,
    special_committee, studio, studio_assignment, term,
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
    /// A training session.
    TrainingSession(TrainingSession),
    /// A duty item.
    DutyItem(DutyItem),
    /// A proposal.
    Proposal(crate::proposal::graphql::Proposal),
    /// A public-opinion report.
    OpinionReport(crate::opinion::graphql::OpinionReport),
    /// A rule set.
    RuleSet(crate::assessment::graphql::RuleSet),
    /// An assessment run.
    AssessmentRun(crate::assessment::graphql::AssessmentRun),
    /// A member's assessment result.
    MemberAssessment(crate::assessment::graphql::MemberAssessment),
    /// An annual plan.
    Plan(crate::plan::graphql::Plan),
    /// An item of an annual plan.
    PlanItem(crate::plan::graphql::PlanItem),
}

/// `node(id:)`: fetches any object by its global ID, with the same access rules as its list.
#[derive(Default)]
pub struct NodeQuery;

async fn by_id<E>(db: &DatabaseConnection, id: i64) -> Result<Option<E::Model>, AppError>
where
    E: EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    Ok(E::find_by_id(id).one(db).await?)
}

#[Object]
impl NodeQuery {
    /// Any object by its global ID; null when there is none.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        let Some((kind, row)) = decode_any(&id) else {
            return Err(AppError::bad_field("id", "id is not a valid id").into());
        };
        let db = ctx.db()?;
        let actor = ctx.actor()?;
        let org = || policy::read_organisation(actor);
        let people = || policy::read_members(actor);
        let node = match kind {
            Kind::Term => {
                org()?;
                by_id::<term::Entity>(db, row).await?.map(|m| Node::Term(Term(m)))
            }
            Kind::Sector => {
                org()?;
                by_id::<sector::Entity>(db, row).await?.map(|m| Node::Sector(Sector(m)))
            }
            Kind::SpecialCommittee => {
                org()?;
                by_id::<special_committee::Entity>(db, row).await?.map(|m| Node::SpecialCommittee(SpecialCommittee(m)))
            }
            Kind::Region => {
                org()?;
                by_id::<region::Entity>(db, row).await?.map(|m| Node::Region(Region(m)))
            }
            Kind::Studio => {
                org()?;
                by_id::<studio::Entity>(db, row).await?.map(|m| Node::Studio(Studio(m)))
            }
            Kind::Group => {
                org()?;
                by_id::<member_group::Entity>(db, row).await?.map(|m| Node::Group(Group(m)))
            }
            Kind::HandlingUnit => {
                org()?;
                by_id::<handling_unit::Entity>(db, row).await?.map(|m| Node::HandlingUnit(HandlingUnit(m)))
            }
            Kind::Member => match member::service::find(db, actor, row).await {
                Ok(m) => Some(Node::Member(Member(m))),
                Err(AppError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            },
            Kind::Seat => {
                people()?;
                by_id::<seat::Entity>(db, row).await?.map(|m| Node::Seat(Seat(m)))
            }
            Kind::CommitteeMembership => {
                people()?;
                by_id::<committee_membership::Entity>(db, row)
                    .await?
                    .map(|m| Node::CommitteeMembership(CommitteeMembership(m)))
            }
            Kind::StudioAssignment => {
                people()?;
                by_id::<studio_assignment::Entity>(db, row).await?.map(|m| Node::StudioAssignment(StudioAssignment(m)))
            }
            Kind::GroupMembership => {
                people()?;
                by_id::<group_membership::Entity>(db, row).await?.map(|m| Node::GroupMembership(GroupMembership(m)))
            }
            Kind::SectorConvenership => {
                people()?;
                by_id::<sector_convener::Entity>(db, row)
                    .await?
                    .map(|m| Node::SectorConvenership(SectorConvenership(m)))
            }
            Kind::Account => match account::service::find(db, actor, row).await {
                Ok(a) => Some(Node::Account(Account(a))),
                Err(AppError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            },
            Kind::Proposal => match crate::proposal::service::find(db, actor, row).await {
                Ok(p) => Some(Node::Proposal(crate::proposal::graphql::Proposal(p))),
                Err(AppError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            },
            Kind::OpinionReport => match crate::opinion::service::find(db, actor, row).await {
                Ok(r) => Some(Node::OpinionReport(crate::opinion::graphql::OpinionReport(r))),
                Err(AppError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            },
            Kind::Activity => match crate::activity::service::find(db, actor, row).await {
                Ok(a) => Some(Node::Activity(Activity(a))),
                Err(AppError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            },
            Kind::Participation => match by_id::<entity::participation::Entity>(db, row).await? {
                Some(p) => {
                    policy::read_duty_records(actor, p.member_id)?;
                    Some(Node::Participation(Participation(p)))
                }
                None => None,
            },
            Kind::TrainingSession => match crate::training::service::find(db, actor, row).await {
                Ok(t) => Some(Node::TrainingSession(TrainingSession(t))),
                Err(AppError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            },
            Kind::RuleSet | Kind::AssessmentRun | Kind::MemberAssessment => {
                crate::assessment::graphql::node(ctx, kind, row).await?
            }
            Kind::Plan | Kind::PlanItem => crate::plan::graphql::node(ctx, kind, row).await?,
            Kind::DutyItem => match crate::duty::service::find(db, actor, row).await {
                Ok(d) => Some(Node::DutyItem(DutyItem(d))),
                Err(AppError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            },
        };
        Ok(node)
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
);

/// Every mutation of the API.
#[derive(MergedObject, Default)]
pub struct Mutation(
    AuthMutation,
    crate::account::manage_graphql::AccountMutation,
    OrganisationMutation,
    MemberMutation,
    crate::proposal::graphql::ProposalMutation,
    crate::opinion::graphql::OpinionMutation,
    ActivityMutation,
    TrainingMutation,
    DutyMutation,
    crate::assessment::graphql::AssessmentMutation,
    crate::plan::graphql::PlanMutation,
    crate::import::graphql::ImportMutation,
);

/// Every subscription of the API.
#[derive(MergedSubscription, Default)]
pub struct Subscription(
    ActivitySubscription,
    crate::proposal::graphql::ProposalSubscription,
    crate::assessment::graphql::AssessmentSubscription,
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
    build_for_ws(db, config, events, LoginThrottle::default())
}

/// The WebSocket endpoint's schema: the shape limits checked by an extension, since documents
/// arrive there without passing `server::execute`.
pub fn build_for_ws(db: DatabaseConnection, config: &ApiConfig, events: Broker, throttle: LoginThrottle) -> AppSchema {
    configured(db, config, events, throttle).extension(shape_limits(config)).finish()
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
) -> AppSchema {
    configured(db, config, events, throttle).finish()
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
) -> SchemaBuilder<Query, Mutation, Subscription> {
    let mut builder = builder()
        .data(db)
        .data(events)
        .data(throttle)
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
