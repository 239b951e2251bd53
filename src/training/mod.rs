//! Training (培训): sessions with credit hours, and the hours each member earned there.

pub mod graphql;
pub mod loader;
pub mod service;
