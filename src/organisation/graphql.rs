//! The organisation in the API: types, queries and mutations. Resolvers read the context, call
//! one service function and convert.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject, Union};
use chrono::NaiveDate;

use super::service::{self, MembershipRef, NewRegion, NewStudio, NewTerm, Placement, StudioFilter};
use crate::{
    auth::policy,
    context::ContextExt,
    loader,
    member::graphql::Member,
    pagination::PageArgs,
    relay::{CountedConnection, Kind, TotalCount, connection, decode_any, decode_id, decode_opt, encode_id},
};
use entity::{
    committee_membership,
    enums::{CommitteeRole, GroupKind, GroupRole, RegionLevel, StudioKind, StudioRole},
    group_membership, handling_unit, member_group, region, sector, sector_convener, special_committee, studio,
    studio_assignment, term,
};

/// Whether a row open until `end` counts as current today.
fn is_current(end: Option<NaiveDate>) -> bool {
    end.is_none_or(|end| end >= crate::dates::today())
}

/// Keeps the rows the `current` argument asks for: all, only current, or only ended ones.
pub fn keep_current<T>(rows: Vec<T>, current: Option<bool>, end: impl Fn(&T) -> Option<NaiveDate>) -> Vec<T> {
    match current {
        None => rows,
        Some(want) => rows.into_iter().filter(|r| is_current(end(r)) == want).collect(),
    }
}

/// A term (届次), e.g. 第十届 (2021–2026). Seats, plans and assessments belong to a term.
pub struct Term(pub term::Model);

#[Object]
impl Term {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Term, self.0.id)
    }
    /// The ordinal: 10 for 第十届.
    async fn number(&self) -> i32 {
        self.0.number
    }
    /// Display name, e.g. "第十届".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// First day of the term.
    async fn start_date(&self) -> NaiveDate {
        self.0.start_date
    }
    /// Last day of the term.
    async fn end_date(&self) -> NaiveDate {
        self.0.end_date
    }
}

/// A sector (界别): the group a member represents, e.g. 经济界, 教育界, 民革.
pub struct Sector(pub sector::Model);

#[Object]
impl Sector {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Sector, self.0.id)
    }
    /// Name, e.g. "经济界".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Position in the committee's published list of sectors.
    async fn sort_order(&self) -> i32 {
        self.0.sort_order
    }
    /// Conveners (召集人) of the sector; `current: true` for those serving today.
    async fn conveners(&self, ctx: &Context<'_>, current: Option<bool>) -> Result<Vec<SectorConvenership>> {
        policy::read_members(ctx.actor()?)?;
        let rows = loader::one(&ctx.loaders()?.conveners_by_sector, self.0.id).await?.unwrap_or_default();
        Ok(keep_current(rows, current, |r| r.end_date).into_iter().map(SectorConvenership).collect())
    }
}

/// A special committee (专门委员会), e.g. 提案委员会.
pub struct SpecialCommittee(pub special_committee::Model);

#[Object]
impl SpecialCommittee {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::SpecialCommittee, self.0.id)
    }
    /// Name, e.g. "提案委员会".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Position in the committee's published list.
    async fn sort_order(&self) -> i32 {
        self.0.sort_order
    }
    /// Memberships of this committee; `current: true` for those in force today.
    async fn memberships(&self, ctx: &Context<'_>, current: Option<bool>) -> Result<Vec<CommitteeMembership>> {
        policy::read_members(ctx.actor()?)?;
        let rows =
            loader::one(&ctx.loaders()?.committee_memberships_by_committee, self.0.id).await?.unwrap_or_default();
        Ok(keep_current(rows, current, |r| r.end_date).into_iter().map(CommitteeMembership).collect())
    }
}

/// A region: a town or street (镇、街道), or a village or community (村、社区) under one.
pub struct Region(pub region::Model);

#[Object]
impl Region {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Region, self.0.id)
    }
    /// Name, e.g. "城关街道".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Town, street, village or community.
    async fn level(&self) -> RegionLevel {
        self.0.level
    }
    /// Chinese label of the level (镇 / 街道 / 村 / 社区).
    async fn level_label(&self) -> &'static str {
        self.0.level.label()
    }
    /// The town or street this village or community lies in.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        let Some(parent) = self.0.parent_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.region, parent).await?.map(Region))
    }
    /// The villages and communities under this town or street.
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<Region>> {
        let rows = loader::one(&ctx.loaders()?.regions_by_parent, self.0.id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(Region).collect())
    }
    /// The studios sitting in this region itself.
    async fn studios(&self, ctx: &Context<'_>) -> Result<Vec<Studio>> {
        let rows = loader::one(&ctx.loaders()?.studios_by_region, self.0.id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(Studio).collect())
    }
}

/// A member studio (委员工作室).
pub struct Studio(pub studio::Model);

#[Object]
impl Studio {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Studio, self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Town/street, village/community or sector studio.
    async fn kind(&self) -> StudioKind {
        self.0.kind
    }
    /// Chinese label of the kind.
    async fn kind_label(&self) -> &'static str {
        self.0.kind.label()
    }
    /// Where the studio sits.
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        let Some(id) = self.0.region_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.region, id).await?.map(Region))
    }
    /// The sector a sector studio serves.
    async fn sector(&self, ctx: &Context<'_>) -> Result<Option<Sector>> {
        let Some(id) = self.0.sector_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.sector, id).await?.map(Sector))
    }
    /// Street address.
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }
    /// Opening day.
    async fn established_on(&self) -> Option<NaiveDate> {
        self.0.established_on
    }
    /// Members assigned to the studio; `current: true` for those assigned today.
    async fn assignments(&self, ctx: &Context<'_>, current: Option<bool>) -> Result<Vec<StudioAssignment>> {
        policy::read_members(ctx.actor()?)?;
        let rows = loader::one(&ctx.loaders()?.studio_assignments_by_studio, self.0.id).await?.unwrap_or_default();
        Ok(keep_current(rows, current, |r| r.end_date).into_iter().map(StudioAssignment).collect())
    }
}

/// A standing group of members: activity group, supervision group, service team, reading group.
pub struct Group(pub member_group::Model);

#[Object]
impl Group {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::Group, self.0.id)
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What kind of group.
    async fn kind(&self) -> GroupKind {
        self.0.kind
    }
    /// Chinese label of the kind.
    async fn kind_label(&self) -> &'static str {
        self.0.kind.label()
    }
    /// The special committee the group works under.
    async fn special_committee(&self, ctx: &Context<'_>) -> Result<Option<SpecialCommittee>> {
        let Some(id) = self.0.committee_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.committee, id).await?.map(SpecialCommittee))
    }
    /// Members of the group; `current: true` for those belonging today.
    async fn memberships(&self, ctx: &Context<'_>, current: Option<bool>) -> Result<Vec<GroupMembership>> {
        policy::read_members(ctx.actor()?)?;
        let rows = loader::one(&ctx.loaders()?.group_memberships_by_group, self.0.id).await?.unwrap_or_default();
        Ok(keep_current(rows, current, |r| r.end_date).into_iter().map(GroupMembership).collect())
    }
}

/// A handling unit (承办单位): a government body that answers proposals.
pub struct HandlingUnit(pub handling_unit::Model);

#[Object]
impl HandlingUnit {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_id(Kind::HandlingUnit, self.0.id)
    }
    /// Name, e.g. "区教育局".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Contact person.
    async fn contact(&self) -> Option<&str> {
        self.0.contact.as_deref()
    }
}

/// Declares the API type of a time-bounded membership row.
macro_rules! membership_object {
    (
        $(#[$doc:meta])* $name:ident($model:ty), $kind:expr,
        $(#[$tdoc:meta])* $target:ident: $target_ty:ident via $loader:ident from $col:ident
        $(, role: $role_ty:ty)?
    ) => {
        $(#[$doc])*
        pub struct $name(pub $model);

        #[Object]
        impl $name {
            /// Global ID.
            pub async fn id(&self) -> ID {
                encode_id($kind, self.0.id)
            }
            /// The member.
            async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
                policy::read_members(ctx.actor()?)?;
                Ok(loader::one(&ctx.loaders()?.member, self.0.member_id).await?.map(Member))
            }
            $(#[$tdoc])*
            async fn $target(&self, ctx: &Context<'_>) -> Result<Option<$target_ty>> {
                Ok(loader::one(&ctx.loaders()?.$loader, self.0.$col).await?.map($target_ty))
            }
            $(
                /// The member's role.
                async fn role(&self) -> $role_ty {
                    self.0.role
                }
                /// Chinese label of the role.
                async fn role_label(&self) -> &'static str {
                    self.0.role.label()
                }
            )?
            /// First day.
            async fn start_date(&self) -> NaiveDate {
                self.0.start_date
            }
            /// Last day; null while open.
            async fn end_date(&self) -> Option<NaiveDate> {
                self.0.end_date
            }
            /// Whether the row is in force today.
            async fn current(&self) -> bool {
                is_current(self.0.end_date)
            }
        }
    };
}

membership_object!(
    /// A member's place in a special committee (主任 / 副主任 / 委员) between dates.
    CommitteeMembership(committee_membership::Model), Kind::CommitteeMembership,
    /// The special committee.
    special_committee: SpecialCommittee via committee from committee_id, role: CommitteeRole
);
membership_object!(
    /// A member's assignment to a studio ("就地就近") between dates.
    StudioAssignment(studio_assignment::Model), Kind::StudioAssignment,
    /// The studio.
    studio: Studio via studio from studio_id, role: StudioRole
);
membership_object!(
    /// A member's place in a group between dates.
    GroupMembership(group_membership::Model), Kind::GroupMembership,
    /// The group.
    group: Group via group from group_id, role: GroupRole
);
membership_object!(
    /// A member serving as convener (召集人) of a sector between dates.
    SectorConvenership(sector_convener::Model), Kind::SectorConvenership,
    /// The sector.
    sector: Sector via sector from sector_id
);

/// Any time-bounded membership row.
#[derive(Union)]
pub enum Assignment {
    /// A committee membership.
    CommitteeMembership(CommitteeMembership),
    /// A studio assignment.
    StudioAssignment(StudioAssignment),
    /// A group membership.
    GroupMembership(GroupMembership),
    /// A sector convenership.
    SectorConvenership(SectorConvenership),
}

impl From<service::ClosedMembership> for Assignment {
    fn from(closed: service::ClosedMembership) -> Self {
        match closed {
            service::ClosedMembership::Committee(m) => Self::CommitteeMembership(CommitteeMembership(m)),
            service::ClosedMembership::Studio(m) => Self::StudioAssignment(StudioAssignment(m)),
            service::ClosedMembership::Group(m) => Self::GroupMembership(GroupMembership(m)),
            service::ClosedMembership::Convener(m) => Self::SectorConvenership(SectorConvenership(m)),
        }
    }
}

/// Which studios to list.
#[derive(InputObject, Default)]
pub struct StudioFilterInput {
    /// Studios at this town/street, or at its villages and communities.
    pub region_id: Option<ID>,
    /// Studios of this kind.
    pub kind: Option<StudioKind>,
    /// Sector studios of this sector.
    pub sector_id: Option<ID>,
    /// Name contains this text.
    pub search: Option<String>,
}

/// Queries of the organisation.
#[derive(Default)]
pub struct OrganisationQuery;

#[Object]
impl OrganisationQuery {
    /// Every term, newest first.
    async fn terms(&self, ctx: &Context<'_>) -> Result<Vec<Term>> {
        Ok(service::terms(ctx.db()?, ctx.actor()?).await?.into_iter().map(Term).collect())
    }
    /// Every sector (界别), in published order.
    async fn sectors(&self, ctx: &Context<'_>) -> Result<Vec<Sector>> {
        Ok(service::sectors(ctx.db()?, ctx.actor()?).await?.into_iter().map(Sector).collect())
    }
    /// Every special committee (专委会), in published order.
    async fn special_committees(&self, ctx: &Context<'_>) -> Result<Vec<SpecialCommittee>> {
        Ok(service::committees(ctx.db()?, ctx.actor()?).await?.into_iter().map(SpecialCommittee).collect())
    }
    /// The towns and streets, each with its villages and communities under `children`.
    async fn regions(&self, ctx: &Context<'_>) -> Result<Vec<Region>> {
        Ok(service::regions(ctx.db()?, ctx.actor()?).await?.into_iter().map(Region).collect())
    }
    /// Member studios (委员工作室), in creation order.
    #[graphql(complexity = "crate::relay::page_cost(first, last, child_complexity)")]
    async fn studios(
        &self,
        ctx: &Context<'_>,
        filter: Option<StudioFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<CountedConnection<Studio>> {
        let f = filter.unwrap_or_default();
        let filter = StudioFilter {
            region_id: decode_opt(Kind::Region, f.region_id.as_ref(), "filter.regionId")?,
            kind: f.kind,
            sector_id: decode_opt(Kind::Sector, f.sector_id.as_ref(), "filter.sectorId")?,
            search: f.search,
        };
        let args = PageArgs { first, after, last, before };
        let (page, count) = service::studios(ctx.db()?, ctx.actor()?, filter, &args).await?;
        Ok(connection(page, TotalCount::new(count), Studio))
    }
    /// Standing groups: activity groups, supervision groups, service teams, reading groups.
    async fn groups(&self, ctx: &Context<'_>) -> Result<Vec<Group>> {
        Ok(service::groups(ctx.db()?, ctx.actor()?).await?.into_iter().map(Group).collect())
    }
    /// Handling units (承办单位).
    async fn handling_units(&self, ctx: &Context<'_>) -> Result<Vec<HandlingUnit>> {
        Ok(service::handling_units(ctx.db()?, ctx.actor()?).await?.into_iter().map(HandlingUnit).collect())
    }
}

/// A term to create.
#[derive(InputObject)]
pub struct CreateTermInput {
    /// The ordinal: 10 for 第十届. Unique.
    pub number: i32,
    /// Display name, e.g. "第十届".
    pub name: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day; not before the first.
    pub end_date: NaiveDate,
}

/// A sector to create.
#[derive(InputObject)]
pub struct CreateSectorInput {
    /// Name, unique.
    pub name: String,
    /// Position in the published list.
    #[graphql(default)]
    pub sort_order: i32,
}

/// A special committee to create.
#[derive(InputObject)]
pub struct CreateSpecialCommitteeInput {
    /// Name, unique.
    pub name: String,
    /// Position in the published list.
    #[graphql(default)]
    pub sort_order: i32,
}

/// A region to create.
#[derive(InputObject)]
pub struct CreateRegionInput {
    /// Name, unique under its parent.
    pub name: String,
    /// Town, street, village or community.
    pub level: RegionLevel,
    /// For villages and communities: their town or street.
    pub parent_id: Option<ID>,
    /// Position in lists.
    #[graphql(default)]
    pub sort_order: i32,
}

/// A studio to create.
#[derive(InputObject)]
pub struct CreateStudioInput {
    /// Name, unique.
    pub name: String,
    /// Town/street, village/community or sector studio.
    pub kind: StudioKind,
    /// Where it sits: a town or street for TOWN, a village or community for VILLAGE.
    pub region_id: Option<ID>,
    /// The sector a SECTOR studio serves.
    pub sector_id: Option<ID>,
    /// Street address.
    pub address: Option<String>,
    /// Opening day.
    pub established_on: Option<NaiveDate>,
}

/// A group to create.
#[derive(InputObject)]
pub struct CreateGroupInput {
    /// Name, unique.
    pub name: String,
    /// What kind of group.
    pub kind: GroupKind,
    /// The special committee it works under.
    pub special_committee_id: Option<ID>,
}

/// A handling unit to create.
#[derive(InputObject)]
pub struct CreateHandlingUnitInput {
    /// Name, unique.
    pub name: String,
    /// Contact person.
    pub contact: Option<String>,
}

/// A member to place in a special committee.
#[derive(InputObject)]
pub struct AssignCommitteeInput {
    /// The member.
    pub member_id: ID,
    /// The special committee.
    pub special_committee_id: ID,
    /// 主任, 副主任 or 委员.
    #[graphql(default_with = "CommitteeRole::Member")]
    pub role: CommitteeRole,
    /// First day.
    pub start_date: NaiveDate,
}

/// A member to assign to a studio.
#[derive(InputObject)]
pub struct AssignStudioInput {
    /// The member.
    pub member_id: ID,
    /// The studio.
    pub studio_id: ID,
    /// Lead or member.
    #[graphql(default_with = "StudioRole::Member")]
    pub role: StudioRole,
    /// First day.
    pub start_date: NaiveDate,
}

/// A member to place in a group.
#[derive(InputObject)]
pub struct AssignGroupInput {
    /// The member.
    pub member_id: ID,
    /// The group.
    pub group_id: ID,
    /// Lead or member.
    #[graphql(default_with = "GroupRole::Member")]
    pub role: GroupRole,
    /// First day.
    pub start_date: NaiveDate,
}

/// A member to appoint as a sector's convener.
#[derive(InputObject)]
pub struct AppointConvenerInput {
    /// The member.
    pub member_id: ID,
    /// The sector.
    pub sector_id: ID,
    /// First day.
    pub start_date: NaiveDate,
}

/// A membership, assignment or convenership to close.
#[derive(InputObject)]
pub struct EndAssignmentInput {
    /// The ID of a CommitteeMembership, StudioAssignment, GroupMembership or SectorConvenership.
    pub id: ID,
    /// Last day; not before the first.
    pub end_date: NaiveDate,
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

/// Mutations of the organisation (ADMIN and OFFICE).
#[derive(Default)]
pub struct OrganisationMutation;

#[Object]
impl OrganisationMutation {
    /// Creates a term (届次).
    async fn create_term(&self, ctx: &Context<'_>, input: CreateTermInput) -> Result<TermPayload> {
        let new =
            NewTerm { number: input.number, name: input.name, start_date: input.start_date, end_date: input.end_date };
        let term = service::create_term(ctx.db()?, ctx.actor()?, new).await?;
        Ok(TermPayload { term: Term(term) })
    }
    /// Creates a sector (界别).
    async fn create_sector(&self, ctx: &Context<'_>, input: CreateSectorInput) -> Result<SectorPayload> {
        let sector = service::create_sector(ctx.db()?, ctx.actor()?, &input.name, input.sort_order).await?;
        Ok(SectorPayload { sector: Sector(sector) })
    }
    /// Creates a special committee (专委会).
    async fn create_special_committee(
        &self,
        ctx: &Context<'_>,
        input: CreateSpecialCommitteeInput,
    ) -> Result<SpecialCommitteePayload> {
        let committee = service::create_committee(ctx.db()?, ctx.actor()?, &input.name, input.sort_order).await?;
        Ok(SpecialCommitteePayload { special_committee: SpecialCommittee(committee) })
    }
    /// Creates a town or street, or a village or community under one.
    async fn create_region(&self, ctx: &Context<'_>, input: CreateRegionInput) -> Result<RegionPayload> {
        let new = NewRegion {
            name: input.name,
            level: input.level,
            parent_id: decode_opt(Kind::Region, input.parent_id.as_ref(), "input.parentId")?,
            sort_order: input.sort_order,
        };
        let region = service::create_region(ctx.db()?, ctx.actor()?, new).await?;
        Ok(RegionPayload { region: Region(region) })
    }
    /// Creates a member studio (委员工作室).
    async fn create_studio(&self, ctx: &Context<'_>, input: CreateStudioInput) -> Result<StudioPayload> {
        let new = NewStudio {
            name: input.name,
            kind: input.kind,
            region_id: decode_opt(Kind::Region, input.region_id.as_ref(), "input.regionId")?,
            sector_id: decode_opt(Kind::Sector, input.sector_id.as_ref(), "input.sectorId")?,
            address: input.address,
            established_on: input.established_on,
        };
        let studio = service::create_studio(ctx.db()?, ctx.actor()?, new).await?;
        Ok(StudioPayload { studio: Studio(studio) })
    }
    /// Creates a standing group.
    async fn create_group(&self, ctx: &Context<'_>, input: CreateGroupInput) -> Result<GroupPayload> {
        let committee =
            decode_opt(Kind::SpecialCommittee, input.special_committee_id.as_ref(), "input.specialCommitteeId")?;
        let group = service::create_group(ctx.db()?, ctx.actor()?, &input.name, input.kind, committee).await?;
        Ok(GroupPayload { group: Group(group) })
    }
    /// Creates a handling unit (承办单位).
    async fn create_handling_unit(
        &self,
        ctx: &Context<'_>,
        input: CreateHandlingUnitInput,
    ) -> Result<HandlingUnitPayload> {
        let unit =
            service::create_handling_unit(ctx.db()?, ctx.actor()?, &input.name, input.contact.as_deref()).await?;
        Ok(HandlingUnitPayload { handling_unit: HandlingUnit(unit) })
    }
    /// Places a member in a special committee from `startDate`. A member already in that
    /// committee is a CONFLICT: end the open membership first.
    async fn assign_committee(
        &self,
        ctx: &Context<'_>,
        input: AssignCommitteeInput,
    ) -> Result<CommitteeMembershipPayload> {
        let p = Placement {
            member_id: decode_id(Kind::Member, &input.member_id, "input.memberId")?,
            target_id: decode_id(Kind::SpecialCommittee, &input.special_committee_id, "input.specialCommitteeId")?,
            role: input.role,
            start_date: input.start_date,
        };
        let row = service::assign_committee(ctx.db()?, ctx.actor()?, p).await?;
        Ok(CommitteeMembershipPayload { committee_membership: CommitteeMembership(row) })
    }
    /// Assigns a member to a studio from `startDate`.
    async fn assign_studio(&self, ctx: &Context<'_>, input: AssignStudioInput) -> Result<StudioAssignmentPayload> {
        let p = Placement {
            member_id: decode_id(Kind::Member, &input.member_id, "input.memberId")?,
            target_id: decode_id(Kind::Studio, &input.studio_id, "input.studioId")?,
            role: input.role,
            start_date: input.start_date,
        };
        let row = service::assign_studio(ctx.db()?, ctx.actor()?, p).await?;
        Ok(StudioAssignmentPayload { studio_assignment: StudioAssignment(row) })
    }
    /// Places a member in a group from `startDate`.
    async fn assign_group(&self, ctx: &Context<'_>, input: AssignGroupInput) -> Result<GroupMembershipPayload> {
        let p = Placement {
            member_id: decode_id(Kind::Member, &input.member_id, "input.memberId")?,
            target_id: decode_id(Kind::Group, &input.group_id, "input.groupId")?,
            role: input.role,
            start_date: input.start_date,
        };
        let row = service::assign_group(ctx.db()?, ctx.actor()?, p).await?;
        Ok(GroupMembershipPayload { group_membership: GroupMembership(row) })
    }
    /// Appoints a member as convener (召集人) of a sector from `startDate`.
    async fn appoint_convener(
        &self,
        ctx: &Context<'_>,
        input: AppointConvenerInput,
    ) -> Result<SectorConvenershipPayload> {
        let p = Placement {
            member_id: decode_id(Kind::Member, &input.member_id, "input.memberId")?,
            target_id: decode_id(Kind::Sector, &input.sector_id, "input.sectorId")?,
            role: (),
            start_date: input.start_date,
        };
        let row = service::appoint_convener(ctx.db()?, ctx.actor()?, p).await?;
        Ok(SectorConvenershipPayload { sector_convenership: SectorConvenership(row) })
    }
    /// Closes a committee membership, studio assignment, group membership or convenership on
    /// `endDate`. The row is kept as history.
    async fn end_assignment(&self, ctx: &Context<'_>, input: EndAssignmentInput) -> Result<EndAssignmentPayload> {
        let which = match decode_any(&input.id) {
            Some((Kind::CommitteeMembership, id)) => MembershipRef::Committee(id),
            Some((Kind::StudioAssignment, id)) => MembershipRef::Studio(id),
            Some((Kind::GroupMembership, id)) => MembershipRef::Group(id),
            Some((Kind::SectorConvenership, id)) => MembershipRef::Convener(id),
            _ => {
                return Err(crate::error::AppError::bad_field(
                    "input.id",
                    "input.id must be the id of a committee membership, studio assignment, group membership or sector convenership",
                )
                .into());
            }
        };
        let closed = service::end_membership(ctx.db()?, ctx.actor()?, which, input.end_date).await?;
        Ok(EndAssignmentPayload { assignment: closed.into() })
    }
}
