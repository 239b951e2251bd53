//! The organisation's input objects, and their conversion into the service's values. Each
//! conversion names a field as the input calls it (`memberId`); the resolver places it under
//! its argument (`input.memberId`).

use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::NaiveDate;

use crate::{
    error::{AppError, AppResult},
    organisation::service::{MembershipRef, NewRegion, NewStudio, NewTerm, Placement, StudioFilter, UnitChanges},
    relay::{Kind, decode_any, decode_id, decode_opt},
};
use entity::enums::{CommitteeRole, GroupKind, GroupRole, RegionLevel, StudioKind, StudioRole};

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

/// A unit's corrected name.
#[derive(InputObject)]
pub struct RenameUnitInput {
    /// The term, sector, special committee, region, studio, group or handling unit.
    pub id: async_graphql::ID,
    /// Its name as it should be.
    pub name: String,
}

/// Corrections to a unit of the organisation besides its name (that is `renameUnit`'s). Absent
/// fields stay as they are; null clears a field that may be empty. Each field belongs to some
/// kinds of unit only: one given for another kind is BAD_USER_INPUT on that field.
#[derive(InputObject)]
pub struct UpdateUnitInput {
    /// The term, sector, special committee, region, studio, group or handling unit.
    pub id: ID,
    /// Sectors, special committees and regions: position in the published list.
    pub sort_order: Option<i32>,
    /// Terms: the ordinal (10 for 第十届), unique; the terms' numbers follow their first days.
    pub number: Option<i32>,
    /// Terms: first day. Every seat of the term, the memberships of its members begun within
    /// the term, and the plans and rule sets tied to it must stay inside the term's dates.
    pub start_date: Option<NaiveDate>,
    /// Terms: last day; not before the first (and holding what the term holds, as `startDate`).
    pub end_date: Option<NaiveDate>,
    /// Regions: the level within its tier (TOWN or STREET; VILLAGE or COMMUNITY).
    pub level: Option<RegionLevel>,
    /// Villages and communities: the town or street they lie in (their name unique there).
    pub parent_id: Option<ID>,
    /// Studios: town/street, village/community or sector studio (checked with `regionId` and
    /// `sectorId` as when creating it).
    pub studio_kind: Option<StudioKind>,
    /// Studios: where it sits, a town or street for TOWN, a village or community for VILLAGE
    /// (null: nowhere, for a SECTOR studio).
    #[graphql(default)]
    pub region_id: MaybeUndefined<ID>,
    /// Studios: the sector a SECTOR studio serves (null clears it on another kind).
    #[graphql(default)]
    pub sector_id: MaybeUndefined<ID>,
    /// Studios: street address (null clears it).
    #[graphql(default)]
    pub address: MaybeUndefined<String>,
    /// Studios: opening day (null clears it).
    #[graphql(default)]
    pub established_on: MaybeUndefined<NaiveDate>,
    /// Groups: what kind of group.
    pub group_kind: Option<GroupKind>,
    /// Groups: the special committee it works under (null: none).
    #[graphql(default)]
    pub special_committee_id: MaybeUndefined<ID>,
    /// Handling units: contact person (null clears it).
    #[graphql(default)]
    pub contact: MaybeUndefined<String>,
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

/// A membership, assignment or convenership whose dates were entered wrongly.
#[derive(InputObject)]
pub struct CorrectAssignmentInput {
    /// The ID of a CommitteeMembership, StudioAssignment, GroupMembership or SectorConvenership.
    pub id: ID,
    /// The first day it really began.
    pub starts_on: NaiveDate,
    /// The last day it really lasted; null or absent: it is still current.
    pub ends_on: Option<NaiveDate>,
}

impl TryFrom<StudioFilterInput> for StudioFilter {
    type Error = AppError;
    fn try_from(f: StudioFilterInput) -> AppResult<Self> {
        Ok(Self {
            region_id: decode_opt(Kind::Region, f.region_id.as_ref(), "regionId")?,
            kind: f.kind,
            sector_id: decode_opt(Kind::Sector, f.sector_id.as_ref(), "sectorId")?,
            search: f.search,
        })
    }
}

impl From<CreateTermInput> for NewTerm {
    fn from(input: CreateTermInput) -> Self {
        Self { number: input.number, name: input.name, start_date: input.start_date, end_date: input.end_date }
    }
}

impl TryFrom<CreateRegionInput> for NewRegion {
    type Error = AppError;
    fn try_from(input: CreateRegionInput) -> AppResult<Self> {
        Ok(Self {
            name: input.name,
            level: input.level,
            parent_id: decode_opt(Kind::Region, input.parent_id.as_ref(), "parentId")?,
            sort_order: input.sort_order,
        })
    }
}

impl TryFrom<CreateStudioInput> for NewStudio {
    type Error = AppError;
    fn try_from(input: CreateStudioInput) -> AppResult<Self> {
        Ok(Self {
            name: input.name,
            kind: input.kind,
            region_id: decode_opt(Kind::Region, input.region_id.as_ref(), "regionId")?,
            sector_id: decode_opt(Kind::Sector, input.sector_id.as_ref(), "sectorId")?,
            address: input.address,
            established_on: input.established_on,
        })
    }
}

/// An optional global ID that null clears: absent `None`, null `Some(None)`.
fn clearable(kind: Kind, id: MaybeUndefined<ID>, field: &str) -> AppResult<Option<Option<i64>>> {
    Option::<Option<ID>>::from(id).map(|id| decode_opt(kind, id.as_ref(), field)).transpose()
}

impl TryFrom<UpdateUnitInput> for UnitChanges {
    type Error = AppError;
    fn try_from(input: UpdateUnitInput) -> AppResult<Self> {
        Ok(Self {
            sort_order: input.sort_order,
            number: input.number,
            start_date: input.start_date,
            end_date: input.end_date,
            level: input.level,
            parent_id: decode_opt(Kind::Region, input.parent_id.as_ref(), "parentId")?,
            studio_kind: input.studio_kind,
            region_id: clearable(Kind::Region, input.region_id, "regionId")?,
            sector_id: clearable(Kind::Sector, input.sector_id, "sectorId")?,
            address: input.address.into(),
            established_on: input.established_on.into(),
            group_kind: input.group_kind,
            committee_id: clearable(Kind::SpecialCommittee, input.special_committee_id, "specialCommitteeId")?,
            contact: input.contact.into(),
        })
    }
}

impl CreateGroupInput {
    /// The special committee the group is to work under, if any.
    pub fn committee_id(&self) -> AppResult<Option<i64>> {
        decode_opt(Kind::SpecialCommittee, self.special_committee_id.as_ref(), "specialCommitteeId")
    }
}

impl TryFrom<AssignCommitteeInput> for Placement<CommitteeRole> {
    type Error = AppError;
    fn try_from(input: AssignCommitteeInput) -> AppResult<Self> {
        Ok(Self {
            member_id: decode_id(Kind::Member, &input.member_id, "memberId")?,
            target_id: decode_id(Kind::SpecialCommittee, &input.special_committee_id, "specialCommitteeId")?,
            role: input.role,
            start_date: input.start_date,
        })
    }
}

impl TryFrom<AssignStudioInput> for Placement<StudioRole> {
    type Error = AppError;
    fn try_from(input: AssignStudioInput) -> AppResult<Self> {
        Ok(Self {
            member_id: decode_id(Kind::Member, &input.member_id, "memberId")?,
            target_id: decode_id(Kind::Studio, &input.studio_id, "studioId")?,
            role: input.role,
            start_date: input.start_date,
        })
    }
}

impl TryFrom<AssignGroupInput> for Placement<GroupRole> {
    type Error = AppError;
    fn try_from(input: AssignGroupInput) -> AppResult<Self> {
        Ok(Self {
            member_id: decode_id(Kind::Member, &input.member_id, "memberId")?,
            target_id: decode_id(Kind::Group, &input.group_id, "groupId")?,
            role: input.role,
            start_date: input.start_date,
        })
    }
}

impl TryFrom<AppointConvenerInput> for Placement<()> {
    type Error = AppError;
    fn try_from(input: AppointConvenerInput) -> AppResult<Self> {
        Ok(Self {
            member_id: decode_id(Kind::Member, &input.member_id, "memberId")?,
            target_id: decode_id(Kind::Sector, &input.sector_id, "sectorId")?,
            role: (),
            start_date: input.start_date,
        })
    }
}

impl TryFrom<&EndAssignmentInput> for MembershipRef {
    type Error = AppError;
    fn try_from(input: &EndAssignmentInput) -> AppResult<Self> {
        membership_ref(&input.id)
    }
}

impl TryFrom<&CorrectAssignmentInput> for MembershipRef {
    type Error = AppError;
    fn try_from(input: &CorrectAssignmentInput) -> AppResult<Self> {
        membership_ref(&input.id)
    }
}

/// The membership row a global ID names; its kind decides the table.
fn membership_ref(id: &ID) -> AppResult<MembershipRef> {
    match decode_any(id) {
        Some((Kind::CommitteeMembership, id)) => Ok(MembershipRef::Committee(id)),
        Some((Kind::StudioAssignment, id)) => Ok(MembershipRef::Studio(id)),
        Some((Kind::GroupMembership, id)) => Ok(MembershipRef::Group(id)),
        Some((Kind::SectorConvenership, id)) => Ok(MembershipRef::Convener(id)),
        _ => Err(AppError::bad_field(
            "id",
            "id must be the id of a committee membership, studio assignment, group membership or sector convenership",
        )),
    }
}
