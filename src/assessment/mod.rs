//! The yearly performance assessment (履职考核): rule sets as data, runs that score every
//! seated member's records with explained lines, grades, ranks and consequence flags.

pub mod absence;
pub mod engine;
pub mod export;
pub mod graphql;
pub mod loader;
pub mod rules;
pub mod service;
pub mod write;
