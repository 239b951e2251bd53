//! The organisation's output types: its units, the membership rows, and `find` for each, the
//! lookup behind `node(id)`.

use crate::organisation::loader::OrganisationLoaders;
use async_graphql::{Context, ID, Object, Result, Union, Value, parser::types::Field};
use chrono::NaiveDate;

use crate::{
    context::ContextExt,
    cost,
    error::AppError,
    loader,
    member::graphql::Member,
    organisation::{loader as org_loader, service},
    plain::{self, Fast, Plain},
    relay::{Kind, encode_id},
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

/// [`keep_current`], then cut to `cap`, the bound the list is priced at.
pub fn kept<T>(rows: Vec<T>, current: Option<bool>, end: impl Fn(&T) -> Option<NaiveDate>, cap: usize) -> Vec<T> {
    cost::capped(keep_current(rows, current, end), cap)
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
    /// Conveners (召集人) of the sector; `current: true` for those serving today (at most 10).
    #[graphql(complexity = "cost::list(cost::SECTOR_CONVENERS, child_complexity)")]
    async fn conveners(&self, ctx: &Context<'_>, current: Option<bool>) -> Result<Vec<SectorConvenership>> {
        let scope = service::memberships_scope(ctx.actor()?)?;
        let rows = org_loader::conveners(ctx.loaders()?, scope, self.0.id).await?;
        Ok(kept(rows, current, |r| r.end_date, cost::SECTOR_CONVENERS).into_iter().map(SectorConvenership).collect())
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
    /// Memberships of this committee; `current: true` for those in force today (at most 150).
    #[graphql(complexity = "cost::list(cost::COMMITTEE_MEMBERSHIPS, child_complexity)")]
    async fn memberships(&self, ctx: &Context<'_>, current: Option<bool>) -> Result<Vec<CommitteeMembership>> {
        let scope = service::memberships_scope(ctx.actor()?)?;
        let rows = org_loader::committee_memberships(ctx.loaders()?, scope, self.0.id).await?;
        let rows = kept(rows, current, |r| r.end_date, cost::COMMITTEE_MEMBERSHIPS);
        Ok(rows.into_iter().map(CommitteeMembership).collect())
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
        Ok(loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().region, parent).await?.map(Region))
    }
    /// The villages and communities under this town or street (at most 80).
    #[graphql(complexity = "cost::list(cost::VILLAGES, child_complexity)")]
    async fn children(&self, ctx: &Context<'_>) -> Result<Vec<Region>> {
        let rows = loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().regions_by_parent, self.0.id)
            .await?
            .unwrap_or_default();
        Ok(cost::capped(rows, cost::VILLAGES).into_iter().map(Region).collect())
    }
    /// The studios sitting in this region itself (at most 10).
    #[graphql(complexity = "cost::list(cost::REGION_STUDIOS, child_complexity)")]
    async fn studios(&self, ctx: &Context<'_>) -> Result<Vec<Studio>> {
        let rows = loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().studios_by_region, self.0.id)
            .await?
            .unwrap_or_default();
        Ok(cost::capped(rows, cost::REGION_STUDIOS).into_iter().map(Studio).collect())
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
    async fn region(&self, ctx: &Context<'_>) -> Result<Option<Fast<Region>>> {
        let Some(id) = self.0.region_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().region, id).await?.map(|r| Fast(Region(r))))
    }
    /// The sector a sector studio serves.
    async fn sector(&self, ctx: &Context<'_>) -> Result<Option<Fast<Sector>>> {
        let Some(id) = self.0.sector_id else { return Ok(None) };
        Ok(loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().sector, id).await?.map(|r| Fast(Sector(r))))
    }
    /// Street address.
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }
    /// Opening day.
    async fn established_on(&self) -> Option<NaiveDate> {
        self.0.established_on
    }
    /// Members assigned to the studio; `current: true` for those assigned today (at most 50).
    #[graphql(complexity = "cost::list(cost::STUDIO_ASSIGNMENTS, child_complexity)")]
    async fn assignments(&self, ctx: &Context<'_>, current: Option<bool>) -> Result<Vec<StudioAssignment>> {
        let scope = service::memberships_scope(ctx.actor()?)?;
        let rows = org_loader::studio_assignments(ctx.loaders()?, scope, self.0.id).await?;
        Ok(kept(rows, current, |r| r.end_date, cost::STUDIO_ASSIGNMENTS).into_iter().map(StudioAssignment).collect())
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
        Ok(loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().committee, id).await?.map(SpecialCommittee))
    }
    /// Members of the group; `current: true` for those belonging today (at most 60).
    #[graphql(complexity = "cost::list(cost::GROUP_MEMBERSHIPS, child_complexity)")]
    async fn memberships(&self, ctx: &Context<'_>, current: Option<bool>) -> Result<Vec<GroupMembership>> {
        let scope = service::memberships_scope(ctx.actor()?)?;
        let rows = org_loader::group_memberships(ctx.loaders()?, scope, self.0.id).await?;
        Ok(kept(rows, current, |r| r.end_date, cost::GROUP_MEMBERSHIPS).into_iter().map(GroupMembership).collect())
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
        $(#[$doc:meta])* $name:ident($model:ty), $kind:expr, found by $find:path,
        $(#[$tdoc:meta])* $target:ident: $target_ty:ident via $loader:ident from $col:ident
        $(, role: $role_ty:ty)?
        $(; $voidable:ident)?
    ) => {
        $(#[$doc])*
        pub struct $name(pub $model);

        impl $name {
            /// The row behind global ID `id`, for `node(id)`: NOT_FOUND when it does not exist.
            pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
                $find(ctx.db()?, ctx.actor()?, id).await.map(Self)
            }
        }

        #[Object]
        impl $name {
            /// Global ID.
            pub async fn id(&self) -> ID {
                encode_id($kind, self.0.id)
            }
            /// The member.
            async fn member(&self, ctx: &Context<'_>) -> Result<Option<Member>> {
                let scope = service::memberships_scope(ctx.actor()?)?;
                Ok(org_loader::member(ctx.loaders()?, scope, self.0.member_id).await?.map(Member))
            }
            $(#[$tdoc])*
            async fn $target(&self, ctx: &Context<'_>) -> Result<Option<Fast<$target_ty>>> {
                Ok(loader::one(&ctx.loaders()?.get::<OrganisationLoaders>().$loader, self.0.$col).await?.map(|r| Fast($target_ty(r))))
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
            $(
                /// Whether the row was voided (作废, entered by mistake): it then counts nowhere,
                /// neither in the member's history nor in who belonged when. Only the office
                /// (ADMIN, OFFICE) still finds a voided row.
                async fn voided(&self) -> bool {
                    let _ = stringify!($voidable);
                    self.0.voided_at.is_some()
                }
                /// When it was voided; null while it counts.
                async fn voided_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
                    self.0.voided_at
                }
                /// Why it was voided; null while it counts.
                async fn void_reason(&self) -> Option<&str> {
                    self.0.void_reason.as_deref()
                }
            )?
        }

        impl Plain for $name {
            fn plain(&self, field: &Field) -> Option<Value> {
                match field.name.node.as_str() {
                    "id" => plain::scalar(&encode_id($kind, self.0.id)),
                    $(
                        "role" => plain::enumerated::<$role_ty>(self.0.role),
                        "roleLabel" => plain::text(self.0.role.label()),
                    )?
                    "startDate" => plain::scalar(&self.0.start_date),
                    "endDate" => plain::optional(&self.0.end_date),
                    "current" => plain::scalar(&is_current(self.0.end_date)),
                    _ => None,
                }
            }
        }
    };
}

membership_object!(
    /// A member's place in a special committee (主任 / 副主任 / 委员) between dates.
    CommitteeMembership(committee_membership::Model), Kind::CommitteeMembership, found by service::find_committee_membership,
    /// The special committee.
    special_committee: SpecialCommittee via committee from committee_id, role: CommitteeRole; voidable
);
membership_object!(
    /// A member's assignment to a studio ("就地就近") between dates.
    StudioAssignment(studio_assignment::Model), Kind::StudioAssignment, found by service::find_studio_assignment,
    /// The studio.
    studio: Studio via studio from studio_id, role: StudioRole; voidable
);
membership_object!(
    /// A member's place in a group between dates.
    GroupMembership(group_membership::Model), Kind::GroupMembership, found by service::find_group_membership,
    /// The group.
    group: Group via group from group_id, role: GroupRole; voidable
);
membership_object!(
    /// A member serving as convener (召集人) of a sector between dates.
    SectorConvenership(sector_convener::Model), Kind::SectorConvenership, found by service::find_convenership,
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

/// Declares `find`, the lookup `node(id)` makes, for an organisation unit's type.
macro_rules! found_by {
    ($($name:ident by $find:path;)*) => {$(
        impl $name {
            /// The row behind global ID `id`, for `node(id)`: NOT_FOUND when it does not exist.
            pub async fn find(ctx: &Context<'_>, id: i64) -> Result<Self, AppError> {
                $find(ctx.db()?, ctx.actor()?, id).await.map(Self)
            }
        }
    )*};
}

found_by! {
    Term by service::find_term;
    Sector by service::find_sector;
    SpecialCommittee by service::find_committee;
    Region by service::find_region;
    Studio by service::find_studio;
    Group by service::find_group;
    HandlingUnit by service::find_handling_unit;
}

// What each unit answers in one pass (`crate::plain`): its own columns, never its relations.

impl Plain for Sector {
    fn plain(&self, field: &Field) -> Option<Value> {
        match field.name.node.as_str() {
            "id" => plain::scalar(&encode_id(Kind::Sector, self.0.id)),
            "name" => plain::text(&self.0.name),
            "sortOrder" => plain::scalar(&self.0.sort_order),
            _ => None,
        }
    }
}

impl Plain for SpecialCommittee {
    fn plain(&self, field: &Field) -> Option<Value> {
        match field.name.node.as_str() {
            "id" => plain::scalar(&encode_id(Kind::SpecialCommittee, self.0.id)),
            "name" => plain::text(&self.0.name),
            "sortOrder" => plain::scalar(&self.0.sort_order),
            _ => None,
        }
    }
}

impl Plain for Region {
    fn plain(&self, field: &Field) -> Option<Value> {
        match field.name.node.as_str() {
            "id" => plain::scalar(&encode_id(Kind::Region, self.0.id)),
            "name" => plain::text(&self.0.name),
            "level" => plain::enumerated(self.0.level),
            "levelLabel" => plain::text(self.0.level.label()),
            _ => None,
        }
    }
}

impl Plain for Studio {
    fn plain(&self, field: &Field) -> Option<Value> {
        match field.name.node.as_str() {
            "id" => plain::scalar(&encode_id(Kind::Studio, self.0.id)),
            "name" => plain::text(&self.0.name),
            "kind" => plain::enumerated(self.0.kind),
            "kindLabel" => plain::text(self.0.kind.label()),
            _ => None,
        }
    }
}

impl Plain for Group {
    fn plain(&self, field: &Field) -> Option<Value> {
        match field.name.node.as_str() {
            "id" => plain::scalar(&encode_id(Kind::Group, self.0.id)),
            "name" => plain::text(&self.0.name),
            "kind" => plain::enumerated(self.0.kind),
            "kindLabel" => plain::text(self.0.kind.label()),
            _ => None,
        }
    }
}
