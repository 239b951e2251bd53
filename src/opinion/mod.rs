//! Public-opinion reports (社情民意信息): submission by members, adoptions at each level with
//! leaders' instructions, and the yearly counts.

pub mod graphql;
pub mod loader;
pub mod service;
