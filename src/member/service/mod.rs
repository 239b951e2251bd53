//! Rules and queries of members and seats: the reads and the list in [`query`], with the
//! name search in [`search`]; creating and changing members and their seats in [`write`].

mod query;
mod search;
mod write;

use chrono::NaiveDate;

use entity::enums::{Gender, LeadershipPost, Party, SeatStatus};

pub use query::{find, find_seat, list, shows_personal_data};
pub use write::{create, fill_folded_names, update};

/// A seat to create with a member, or for a returning member in a new term.
#[derive(Clone, Debug)]
pub struct NewSeat {
    /// The term.
    pub term_id: i64,
    /// 委员证号, unique within the term.
    pub member_number: Option<String>,
    /// The sector represented.
    pub sector_id: Option<i64>,
    /// Political affiliation.
    pub party: Party,
    /// 常委.
    pub standing_committee: bool,
    /// Leadership post.
    pub leadership_post: Option<LeadershipPost>,
    /// Employer and position.
    pub employer: Option<String>,
    /// First day; defaults to the term's first day.
    pub start_date: Option<NaiveDate>,
}

/// A member to create, with the seat for a term.
#[derive(Clone, Debug)]
pub struct NewMember {
    /// Name.
    pub name: String,
    /// Gender.
    pub gender: Option<Gender>,
    /// Ethnicity.
    pub ethnicity: Option<String>,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// Mobile phone.
    pub phone: Option<String>,
    /// Office notes.
    pub notes: Option<String>,
    /// The seat.
    pub seat: NewSeat,
}

/// Changes to a member. `None` leaves a field alone; `Some(None)` clears a nullable one.
#[derive(Clone, Debug, Default)]
pub struct MemberChanges {
    /// New name.
    pub name: Option<String>,
    /// New gender.
    pub gender: Option<Option<Gender>>,
    /// New ethnicity.
    pub ethnicity: Option<Option<String>>,
    /// New birth date.
    pub birth_date: Option<Option<NaiveDate>>,
    /// New phone.
    pub phone: Option<Option<String>>,
    /// New notes.
    pub notes: Option<Option<String>>,
    /// Changes to (or creation of) the seat in one term.
    pub seat: Option<SeatChanges>,
}

/// Changes to the seat in one term; creates the seat when the member has none there (then
/// `party` is required).
#[derive(Clone, Debug, Default)]
pub struct SeatChanges {
    /// The term of the seat.
    pub term_id: i64,
    /// New member number.
    pub member_number: Option<Option<String>>,
    /// New sector.
    pub sector_id: Option<Option<i64>>,
    /// New party.
    pub party: Option<Party>,
    /// New standing-committee flag.
    pub standing_committee: Option<bool>,
    /// New leadership post.
    pub leadership_post: Option<Option<LeadershipPost>>,
    /// New employer and position.
    pub employer: Option<Option<String>>,
    /// New status.
    pub status: Option<SeatStatus>,
    /// Why the status changed.
    pub status_reason: Option<Option<String>>,
    /// New first day.
    pub start_date: Option<NaiveDate>,
    /// New last day.
    pub end_date: Option<Option<NaiveDate>>,
}

/// Which members to list. Seat conditions apply to the seat in the chosen term.
#[derive(Clone, Debug, Default)]
pub struct MemberFilter {
    /// Name (汉字), pinyin, pinyin initials, member number or employer.
    pub search: Option<String>,
    /// The term whose seats count; the current term when absent.
    pub term_id: Option<i64>,
    /// List members of every term instead (seat conditions then match any seat).
    pub any_term: bool,
    /// Seat in this sector.
    pub sector_id: Option<i64>,
    /// Currently in this special committee.
    pub committee_id: Option<i64>,
    /// Currently assigned to this studio.
    pub studio_id: Option<i64>,
    /// Currently assigned to a studio in this region or under it.
    pub region_id: Option<i64>,
    /// Seat with this party.
    pub party: Option<Party>,
    /// Seat on the standing committee (or not).
    pub standing_committee: Option<bool>,
    /// Seat with this status.
    pub status: Option<SeatStatus>,
}

/// A sort key of the member list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberSort {
    /// By name in pinyin order.
    Name,
    /// By date of registration.
    Registered,
}
