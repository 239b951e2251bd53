//! Appraisal analytics: a run's results grouped by sector, committee, studio, town, party,
//! standing or newness (figures computed in SQL), where a member stands in their cohorts and
//! across years, duty-record aggregates per month, per group and per member, and the duty file
//! (履职档案) a reader downloads.

pub mod duty;
pub mod duty_file;
pub mod duty_groups;
pub mod figures;
pub mod graphql;
pub mod groups;
pub mod loader;
pub mod standing;
