//! The GraphQL schema: the one place that lists every domain.

use async_graphql::{Context, EmptySubscription, ID, Interface, MergedObject, Object, Result, Schema};
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::{
    auth::{
        self,
        graphql::{Account, AuthMutation, AuthQuery},
        policy,
    },
    context::ContextExt,
    error::AppError,
    member::{
        self,
        graphql::{Member, MemberMutation, MemberQuery, Seat},
    },
    organisation::graphql::{
        CommitteeMembership, Group, GroupMembership, HandlingUnit, OrganisationMutation, OrganisationQuery, Region,
        Sector, SectorConvenership, SpecialCommittee, Studio, StudioAssignment, Term,
    },
    relay::{Kind, decode_any},
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
            Kind::Account => match auth::service::find(db, actor, row).await {
                Ok(a) => Some(Node::Account(Account(a))),
                Err(AppError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            },
        };
        Ok(node)
    }
}

/// Every query of the API.
#[derive(MergedObject, Default)]
pub struct Query(NodeQuery, AuthQuery, OrganisationQuery, MemberQuery);

/// Every mutation of the API.
#[derive(MergedObject, Default)]
pub struct Mutation(AuthMutation, OrganisationMutation, MemberMutation);

/// The API's schema type.
pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema, serving `db`. Per-request data (actor, loaders) is added by the server.
pub fn build(db: DatabaseConnection) -> AppSchema {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription).data(db).finish()
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription).finish().sdl()
}
