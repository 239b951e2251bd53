//! lvzhi (履职): the record of what CPPCC committee members do, and the yearly performance
//! assessment built on it, served as a GraphQL API.

// A `plain::Fast` object resolves its other fields inside its own future, which nests the
// resolver futures of whole types (a member's, a result's) one level deeper than the
// compiler's default limit (128) checks for `Send`.
#![recursion_limit = "256"]

pub mod account;
pub mod activity;
pub mod analytics;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod config;
pub mod context;
pub mod correction;
pub mod cost;
pub mod dates;
pub mod db;
pub mod duty;
pub mod error;
pub mod events;
pub mod exit;
pub mod export;
pub mod import;
pub mod limits;
pub mod live;
pub mod loader;
pub mod member;
pub mod metrics;
pub mod number;
pub mod opinion;
pub mod organisation;
pub mod pagination;
pub mod plain;
pub mod plan;
pub mod proposal;
pub mod proxy;
pub mod relay;
pub mod response_order;
pub mod schema;
pub mod seed;
pub mod server;
pub mod share;
pub mod signed;
pub mod sql;
pub mod stats;
pub mod training;
pub mod validate;
