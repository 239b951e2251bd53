//! Proposals (提案): submission, review, assignment to handling units, answers, feedback and
//! closing, every step logged; and the figures the office reports about them.

pub mod graphql;
pub mod loader;
pub mod service;
