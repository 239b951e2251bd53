//! The inputs of members' queries and mutations, and their conversions into the service's
//! types. Conversion errors name fields relative to the input (`seat.sectorId`); the resolver
//! places them under its argument.

use async_graphql::{Enum, ID, InputObject, MaybeUndefined};
use chrono::NaiveDate;

use crate::{
    error::AppError,
    member::service::{MemberChanges, MemberFilter, MemberSort, NewMember, NewSeat, SeatChanges},
    relay::{Kind, decode_id, decode_opt},
};
use entity::enums::{Gender, LeadershipPost, Party, SeatStatus};

/// Which members to list. Seat conditions (sector, party, standing, status) apply to the
/// member's seat in `termId`, which defaults to the current term.
#[derive(InputObject, Default)]
pub struct MemberFilterInput {
    /// Name (汉字 substring), pinyin or pinyin initials prefix ("lxq" finds 李晓秋), member
    /// number, or employer.
    pub search: Option<String>,
    /// Members seated in this term (default: the current term).
    pub term_id: Option<ID>,
    /// List members of every term instead of one.
    #[graphql(default)]
    pub any_term: bool,
    /// Seat in this sector.
    pub sector_id: Option<ID>,
    /// Currently in this special committee.
    pub special_committee_id: Option<ID>,
    /// Currently assigned to this studio.
    pub studio_id: Option<ID>,
    /// Currently assigned to a studio in this town/street or its villages and communities.
    pub region_id: Option<ID>,
    /// Seat with this party.
    pub party: Option<Party>,
    /// Standing-committee members (true) or the others (false).
    pub standing_committee: Option<bool>,
    /// Seat with this status.
    pub status: Option<SeatStatus>,
}

/// What the member list can be sorted by.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum MemberOrderField {
    /// Name, in pinyin order.
    Name,
    /// Date of registration in the system.
    CreatedAt,
}

/// Sort direction.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Ascending.
    #[default]
    Asc,
    /// Descending.
    Desc,
}

/// One sort key of the member list.
#[derive(InputObject)]
pub struct MemberOrder {
    /// The field.
    pub field: MemberOrderField,
    /// The direction.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// The seat created with a new member.
#[derive(InputObject)]
pub struct SeatInput {
    /// The term.
    pub term_id: ID,
    /// Member number (委员证号), unique within the term.
    pub member_number: Option<String>,
    /// The sector represented.
    pub sector_id: Option<ID>,
    /// Political affiliation.
    pub party: Party,
    /// Member of the standing committee.
    #[graphql(default)]
    pub standing_committee: bool,
    /// Leadership post.
    pub leadership_post: Option<LeadershipPost>,
    /// Employer and position.
    pub employer: Option<String>,
    /// First day; defaults to the term's first day.
    pub start_date: Option<NaiveDate>,
}

/// A member to create, with their seat.
#[derive(InputObject)]
pub struct CreateMemberInput {
    /// Full name.
    pub name: String,
    /// Gender.
    pub gender: Option<Gender>,
    /// Ethnicity, e.g. "汉族".
    pub ethnicity: Option<String>,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// Mobile phone.
    pub phone: Option<String>,
    /// Office notes.
    pub notes: Option<String>,
    /// The seat in a term.
    pub seat: SeatInput,
}

/// Changes to the seat in one term; creates it when the member has none there (a returning
/// member), which needs `party`. Absent fields stay as they are; null clears.
#[derive(InputObject)]
pub struct UpdateSeatInput {
    /// The term of the seat.
    pub term_id: ID,
    /// Member number.
    #[graphql(default)]
    pub member_number: MaybeUndefined<String>,
    /// Sector.
    #[graphql(default)]
    pub sector_id: MaybeUndefined<ID>,
    /// Party.
    pub party: Option<Party>,
    /// Standing-committee flag.
    pub standing_committee: Option<bool>,
    /// Leadership post.
    #[graphql(default)]
    pub leadership_post: MaybeUndefined<LeadershipPost>,
    /// Employer and position.
    #[graphql(default)]
    pub employer: MaybeUndefined<String>,
    /// Status, e.g. RESIGNED.
    pub status: Option<SeatStatus>,
    /// Why the status changed.
    #[graphql(default)]
    pub status_reason: MaybeUndefined<String>,
    /// First day.
    pub start_date: Option<NaiveDate>,
    /// Last day.
    #[graphql(default)]
    pub end_date: MaybeUndefined<NaiveDate>,
}

/// Changes to a member. Absent fields stay as they are; null clears a field.
#[derive(InputObject)]
pub struct UpdateMemberInput {
    /// The member.
    pub id: ID,
    /// Full name.
    pub name: Option<String>,
    /// Gender.
    #[graphql(default)]
    pub gender: MaybeUndefined<Gender>,
    /// Ethnicity.
    #[graphql(default)]
    pub ethnicity: MaybeUndefined<String>,
    /// Date of birth.
    #[graphql(default)]
    pub birth_date: MaybeUndefined<NaiveDate>,
    /// Mobile phone.
    #[graphql(default)]
    pub phone: MaybeUndefined<String>,
    /// Office notes.
    #[graphql(default)]
    pub notes: MaybeUndefined<String>,
    /// Changes to the seat in one term.
    pub seat: Option<UpdateSeatInput>,
}

fn change<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

impl TryFrom<MemberFilterInput> for MemberFilter {
    type Error = AppError;

    fn try_from(f: MemberFilterInput) -> Result<Self, AppError> {
        Ok(Self {
            term_id: decode_opt(Kind::Term, f.term_id.as_ref(), "termId")?,
            sector_id: decode_opt(Kind::Sector, f.sector_id.as_ref(), "sectorId")?,
            committee_id: decode_opt(Kind::SpecialCommittee, f.special_committee_id.as_ref(), "specialCommitteeId")?,
            studio_id: decode_opt(Kind::Studio, f.studio_id.as_ref(), "studioId")?,
            region_id: decode_opt(Kind::Region, f.region_id.as_ref(), "regionId")?,
            search: f.search,
            any_term: f.any_term,
            party: f.party,
            standing_committee: f.standing_committee,
            status: f.status,
        })
    }
}

impl From<MemberOrder> for (MemberSort, bool) {
    fn from(o: MemberOrder) -> Self {
        let sort = match o.field {
            MemberOrderField::Name => MemberSort::Name,
            MemberOrderField::CreatedAt => MemberSort::Registered,
        };
        (sort, o.direction == OrderDirection::Desc)
    }
}

impl TryFrom<SeatInput> for NewSeat {
    type Error = AppError;

    fn try_from(seat: SeatInput) -> Result<Self, AppError> {
        Ok(Self {
            term_id: decode_id(Kind::Term, &seat.term_id, "termId")?,
            member_number: seat.member_number,
            sector_id: decode_opt(Kind::Sector, seat.sector_id.as_ref(), "sectorId")?,
            party: seat.party,
            standing_committee: seat.standing_committee,
            leadership_post: seat.leadership_post,
            employer: seat.employer,
            start_date: seat.start_date,
        })
    }
}

impl TryFrom<CreateMemberInput> for NewMember {
    type Error = AppError;

    fn try_from(input: CreateMemberInput) -> Result<Self, AppError> {
        Ok(Self {
            seat: NewSeat::try_from(input.seat).map_err(|e| e.under("seat"))?,
            name: input.name,
            gender: input.gender,
            ethnicity: input.ethnicity,
            birth_date: input.birth_date,
            phone: input.phone,
            notes: input.notes,
        })
    }
}

impl TryFrom<UpdateSeatInput> for SeatChanges {
    type Error = AppError;

    fn try_from(seat: UpdateSeatInput) -> Result<Self, AppError> {
        let sector_id = match change(seat.sector_id) {
            Some(Some(id)) => Some(Some(decode_id(Kind::Sector, &id, "sectorId")?)),
            Some(None) => Some(None),
            None => None,
        };
        Ok(Self {
            term_id: decode_id(Kind::Term, &seat.term_id, "termId")?,
            member_number: change(seat.member_number),
            sector_id,
            party: seat.party,
            standing_committee: seat.standing_committee,
            leadership_post: change(seat.leadership_post),
            employer: change(seat.employer),
            status: seat.status,
            status_reason: change(seat.status_reason),
            start_date: seat.start_date,
            end_date: change(seat.end_date),
        })
    }
}

impl TryFrom<UpdateMemberInput> for (i64, MemberChanges) {
    type Error = AppError;

    fn try_from(input: UpdateMemberInput) -> Result<Self, AppError> {
        let id = decode_id(Kind::Member, &input.id, "id")?;
        let changes = MemberChanges {
            name: input.name,
            gender: change(input.gender),
            ethnicity: change(input.ethnicity),
            birth_date: change(input.birth_date),
            phone: change(input.phone),
            notes: change(input.notes),
            seat: input.seat.map(SeatChanges::try_from).transpose().map_err(|e| e.under("seat"))?,
        };
        Ok((id, changes))
    }
}
