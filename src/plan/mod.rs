//! The annual plan ("三亮": 年初亮目标、年中亮进度、年底亮结果): plans of a year, their items with
//! goal, progress and result, the activities that carried them out, and members' personal
//! yearly targets with their progress computed from the duty records.

pub mod graphql;
pub mod loader;
pub mod service;
pub mod targets;

/// Who leads a plan item (牵头单位).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lead {
    /// The committee's office.
    Office,
    /// A special committee.
    Committee(i64),
}

impl Lead {
    /// The lead stored in an item's `lead_committee_id` column.
    pub fn from_column(committee: Option<i64>) -> Self {
        committee.map_or(Self::Office, Self::Committee)
    }

    /// The `lead_committee_id` column of the lead.
    pub fn column(self) -> Option<i64> {
        match self {
            Self::Office => None,
            Self::Committee(id) => Some(id),
        }
    }
}
