//! The organisation's mutations (ADMIN and OFFICE, `policy::manage_organisation`) and their
//! payloads.

use async_graphql::{Context, Object, Result, SimpleObject};

use super::{inputs::*, types::*};
use crate::{
    context::ContextExt,
    error::Under,
    organisation::service::{self, MembershipRef, NewRegion, NewStudio, Placement, UnitChanges},
};

/// The result of `renameUnit`.
#[derive(SimpleObject)]
pub struct RenameUnitPayload {
    /// The unit with its new name.
    pub unit: crate::schema::Node,
}

/// The result of `updateUnit`.
#[derive(SimpleObject)]
pub struct UpdateUnitPayload {
    /// The unit as corrected.
    pub unit: crate::schema::Node,
}

impl From<service::Unit> for crate::schema::Node {
    fn from(unit: service::Unit) -> Self {
        use crate::schema::Node;
        match unit {
            service::Unit::Term(m) => Node::Term(Term(m)),
            service::Unit::Sector(m) => Node::Sector(Sector(m)),
            service::Unit::SpecialCommittee(m) => Node::SpecialCommittee(SpecialCommittee(m)),
            service::Unit::Region(m) => Node::Region(Region(m)),
            service::Unit::Studio(m) => Node::Studio(Studio(m)),
            service::Unit::Group(m) => Node::Group(Group(m)),
            service::Unit::HandlingUnit(m) => Node::HandlingUnit(HandlingUnit(m)),
        }
    }
}

/// The result of `createTerm`.
#[derive(SimpleObject)]
pub struct TermPayload {
    /// The created term.
    pub term: Term,
}

/// The result of `createSector`.
#[derive(SimpleObject)]
pub struct SectorPayload {
    /// The created sector.
    pub sector: Sector,
}

/// The result of `createSpecialCommittee`.
#[derive(SimpleObject)]
pub struct SpecialCommitteePayload {
    /// The created special committee.
    pub special_committee: SpecialCommittee,
}

/// The result of `createRegion`.
#[derive(SimpleObject)]
pub struct RegionPayload {
    /// The created region.
    pub region: Region,
}

/// The result of `createStudio`.
#[derive(SimpleObject)]
pub struct StudioPayload {
    /// The created studio.
    pub studio: Studio,
}

/// The result of `createGroup`.
#[derive(SimpleObject)]
pub struct GroupPayload {
    /// The created group.
    pub group: Group,
}

/// The result of `createHandlingUnit`.
#[derive(SimpleObject)]
pub struct HandlingUnitPayload {
    /// The created handling unit.
    pub handling_unit: HandlingUnit,
}

/// The result of `assignCommittee`.
#[derive(SimpleObject)]
pub struct CommitteeMembershipPayload {
    /// The new membership.
    pub committee_membership: CommitteeMembership,
}

/// The result of `assignStudio`.
#[derive(SimpleObject)]
pub struct StudioAssignmentPayload {
    /// The new assignment.
    pub studio_assignment: StudioAssignment,
}

/// The result of `assignGroup`.
#[derive(SimpleObject)]
pub struct GroupMembershipPayload {
    /// The new membership.
    pub group_membership: GroupMembership,
}

/// The result of `appointConvener`.
#[derive(SimpleObject)]
pub struct SectorConvenershipPayload {
    /// The new convenership.
    pub sector_convenership: SectorConvenership,
}

/// The result of `endAssignment`.
#[derive(SimpleObject)]
pub struct EndAssignmentPayload {
    /// The closed row, with its end date.
    pub assignment: Assignment,
}

/// The result of `correctAssignment`.
#[derive(SimpleObject)]
pub struct CorrectAssignmentPayload {
    /// The corrected row, with its dates as they now stand.
    pub assignment: Assignment,
}

/// Mutations of the organisation (ADMIN and OFFICE).
#[derive(Default)]
pub struct OrganisationMutation;

#[Object]
impl OrganisationMutation {
    /// Creates a term (届次).
    async fn create_term(&self, ctx: &Context<'_>, input: CreateTermInput) -> Result<TermPayload> {
        let term = service::create_term(ctx.db()?, ctx.actor()?, input.into()).await.under("input")?;
        Ok(TermPayload { term: Term(term) })
    }
    /// Corrects the name of a unit of the organisation — a term, sector, special committee,
    /// region, studio, group or handling unit (its global ID says which). Everything that
    /// refers to it keeps doing so and shows the new name. Terms, sectors, special committees,
    /// groups and handling units keep their names unique (CONFLICT).
    async fn rename_unit(&self, ctx: &Context<'_>, input: RenameUnitInput) -> Result<RenameUnitPayload> {
        let (kind, id) = unit_id(&input.id).under("input")?;
        let unit = service::rename_unit(ctx.db()?, ctx.actor()?, kind, id, &input.name).await.under("input")?;
        Ok(RenameUnitPayload { unit: unit.into() })
    }
    /// Corrects a unit of the organisation besides its name (its global ID says which kind):
    /// the place in the published list of a sector, special committee or region; a region's
    /// level within its tier and a village's town; a studio's kind, region, sector, address and
    /// opening day; a group's kind and committee; a handling unit's contact; a term's number and
    /// dates, while the term's seats, its members' memberships begun in it and the plans and
    /// rule sets tied to it stay inside. A field of another kind of unit is BAD_USER_INPUT on
    /// that field.
    async fn update_unit(&self, ctx: &Context<'_>, input: UpdateUnitInput) -> Result<UpdateUnitPayload> {
        let (kind, id) = unit_id(&input.id).under("input")?;
        let changes = UnitChanges::try_from(input).under("input")?;
        let unit = service::update_unit(ctx.db()?, ctx.actor()?, kind, id, changes).await.under("input")?;
        Ok(UpdateUnitPayload { unit: unit.into() })
    }
    /// Creates a sector (界别).
    async fn create_sector(&self, ctx: &Context<'_>, input: CreateSectorInput) -> Result<SectorPayload> {
        let sector =
            service::create_sector(ctx.db()?, ctx.actor()?, &input.name, input.sort_order).await.under("input")?;
        Ok(SectorPayload { sector: Sector(sector) })
    }
    /// Creates a special committee (专委会).
    async fn create_special_committee(
        &self,
        ctx: &Context<'_>,
        input: CreateSpecialCommitteeInput,
    ) -> Result<SpecialCommitteePayload> {
        let committee =
            service::create_committee(ctx.db()?, ctx.actor()?, &input.name, input.sort_order).await.under("input")?;
        Ok(SpecialCommitteePayload { special_committee: SpecialCommittee(committee) })
    }
    /// Creates a town or street, or a village or community under one.
    async fn create_region(&self, ctx: &Context<'_>, input: CreateRegionInput) -> Result<RegionPayload> {
        let new = NewRegion::try_from(input).under("input")?;
        let region = service::create_region(ctx.db()?, ctx.actor()?, new).await.under("input")?;
        Ok(RegionPayload { region: Region(region) })
    }
    /// Creates a member studio (委员工作室).
    async fn create_studio(&self, ctx: &Context<'_>, input: CreateStudioInput) -> Result<StudioPayload> {
        let new = NewStudio::try_from(input).under("input")?;
        let studio = service::create_studio(ctx.db()?, ctx.actor()?, new).await.under("input")?;
        Ok(StudioPayload { studio: Studio(studio) })
    }
    /// Creates a standing group.
    async fn create_group(&self, ctx: &Context<'_>, input: CreateGroupInput) -> Result<GroupPayload> {
        let committee = input.committee_id().under("input")?;
        let group =
            service::create_group(ctx.db()?, ctx.actor()?, &input.name, input.kind, committee).await.under("input")?;
        Ok(GroupPayload { group: Group(group) })
    }
    /// Creates a handling unit (承办单位).
    async fn create_handling_unit(
        &self,
        ctx: &Context<'_>,
        input: CreateHandlingUnitInput,
    ) -> Result<HandlingUnitPayload> {
        let unit = service::create_handling_unit(ctx.db()?, ctx.actor()?, &input.name, input.contact.as_deref())
            .await
            .under("input")?;
        Ok(HandlingUnitPayload { handling_unit: HandlingUnit(unit) })
    }
    /// Places a member in a special committee from `startDate`. A member already in that
    /// committee is a CONFLICT: end the open membership first.
    async fn assign_committee(
        &self,
        ctx: &Context<'_>,
        input: AssignCommitteeInput,
    ) -> Result<CommitteeMembershipPayload> {
        let placement = Placement::try_from(input).under("input")?;
        let row = service::assign_committee(ctx.db()?, ctx.actor()?, placement).await.under("input")?;
        Ok(CommitteeMembershipPayload { committee_membership: CommitteeMembership(row) })
    }
    /// Assigns a member to a studio from `startDate`.
    async fn assign_studio(&self, ctx: &Context<'_>, input: AssignStudioInput) -> Result<StudioAssignmentPayload> {
        let placement = Placement::try_from(input).under("input")?;
        let row = service::assign_studio(ctx.db()?, ctx.actor()?, placement).await.under("input")?;
        Ok(StudioAssignmentPayload { studio_assignment: StudioAssignment(row) })
    }
    /// Places a member in a group from `startDate`.
    async fn assign_group(&self, ctx: &Context<'_>, input: AssignGroupInput) -> Result<GroupMembershipPayload> {
        let placement = Placement::try_from(input).under("input")?;
        let row = service::assign_group(ctx.db()?, ctx.actor()?, placement).await.under("input")?;
        Ok(GroupMembershipPayload { group_membership: GroupMembership(row) })
    }
    /// Appoints a member as convener (召集人) of a sector from `startDate`.
    async fn appoint_convener(
        &self,
        ctx: &Context<'_>,
        input: AppointConvenerInput,
    ) -> Result<SectorConvenershipPayload> {
        let placement = Placement::try_from(input).under("input")?;
        let row = service::appoint_convener(ctx.db()?, ctx.actor()?, placement).await.under("input")?;
        Ok(SectorConvenershipPayload { sector_convenership: SectorConvenership(row) })
    }
    /// Closes a committee membership, studio assignment, group membership or convenership on
    /// `endDate`. The row is kept as history.
    async fn end_assignment(&self, ctx: &Context<'_>, input: EndAssignmentInput) -> Result<EndAssignmentPayload> {
        let which = MembershipRef::try_from(&input).under("input")?;
        let closed = service::end_membership(ctx.db()?, ctx.actor()?, which, input.end_date).await.under("input")?;
        Ok(EndAssignmentPayload { assignment: closed.into() })
    }

    /// Corrects the dates of a committee membership, studio assignment, group membership or
    /// sector convenership entered wrongly, as if they had always been so (distinct from
    /// `endAssignment`, which records that it ended): the start not after the end, inside the
    /// term of the member's seat, no overlap with another row of the member in the same body.
    async fn correct_assignment(
        &self,
        ctx: &Context<'_>,
        input: CorrectAssignmentInput,
    ) -> Result<CorrectAssignmentPayload> {
        let which = MembershipRef::try_from(&input).under("input")?;
        let corrected = service::correct_membership(ctx.db()?, ctx.actor()?, which, input.starts_on, input.ends_on)
            .await
            .under("input")?;
        Ok(CorrectAssignmentPayload { assignment: corrected.into() })
    }
}

/// The kind and row of a unit's global ID (BAD_USER_INPUT on `id` when it is none of lvzhi's;
/// the service refuses a kind that is no unit).
fn unit_id(id: &async_graphql::ID) -> Result<(crate::relay::Kind, i64), crate::error::AppError> {
    crate::relay::decode_any(id).ok_or_else(|| crate::error::AppError::bad_field("id", "not an ID of lvzhi"))
}
