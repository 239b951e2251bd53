//! Rules and queries of the organisation, cut along its seam: [`structure`] (terms, sectors,
//! special committees, groups, handling units, regions, studios) and [`membership`] (the
//! time-bounded rows that place members in them). Reads need `policy::read_organisation`
//! (memberships `policy::read_members`); every change needs `policy::manage_organisation`.

pub mod membership;
pub mod next_term;
pub mod rename;
pub mod structure;
pub mod update;

pub use membership::*;
pub use next_term::*;
pub use rename::*;
pub use structure::*;
pub use update::*;
