//! The signed record: what proposals (their signers) and public-opinion reports (their authors)
//! share — the people rows, the first-signer rules, and the queries by member and page.

pub mod graphql;
pub mod loader;
pub mod service;
