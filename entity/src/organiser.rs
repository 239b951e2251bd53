//! Who organised an activity or a training session, as a value over the organiser columns
//! (`organiser_kind` and one of `committee_id`, `sector_id`, `studio_id`, `group_id`).

use crate::enums::OrganiserKind;

/// Who organised an activity or a training session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Organiser {
    /// The committee's office.
    Office,
    /// A special committee.
    Committee(i64),
    /// A sector.
    Sector(i64),
    /// A studio.
    Studio(i64),
    /// A group.
    Group(i64),
}

/// The organiser columns of a row: kind, committee, sector, studio, group.
pub type OrganiserColumns = (OrganiserKind, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

impl Organiser {
    /// The organiser stored in a row's organiser columns.
    pub fn from_columns(
        kind: OrganiserKind,
        committee: Option<i64>,
        sector: Option<i64>,
        studio: Option<i64>,
        group: Option<i64>,
    ) -> Self {
        match (kind, committee, sector, studio, group) {
            (OrganiserKind::SpecialCommittee, Some(id), ..) => Self::Committee(id),
            (OrganiserKind::Sector, _, Some(id), ..) => Self::Sector(id),
            (OrganiserKind::Studio, _, _, Some(id), _) => Self::Studio(id),
            (OrganiserKind::Group, .., Some(id)) => Self::Group(id),
            _ => Self::Office,
        }
    }

    /// The organiser columns to store.
    pub fn columns(self) -> OrganiserColumns {
        match self {
            Self::Office => (OrganiserKind::Office, None, None, None, None),
            Self::Committee(id) => (OrganiserKind::SpecialCommittee, Some(id), None, None, None),
            Self::Sector(id) => (OrganiserKind::Sector, None, Some(id), None, None),
            Self::Studio(id) => (OrganiserKind::Studio, None, None, Some(id), None),
            Self::Group(id) => (OrganiserKind::Group, None, None, None, Some(id)),
        }
    }

    /// The kind of organiser.
    pub fn kind(self) -> OrganiserKind {
        self.columns().0
    }
}
