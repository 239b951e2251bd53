//! lvzhi (履职): the record of what CPPCC committee members do, and the yearly performance
//! assessment built on it, served as a GraphQL API.

pub mod account;
pub mod activity;
pub mod analytics;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod config;
pub mod context;
pub mod dates;
pub mod db;
pub mod duty;
pub mod error;
pub mod events;
pub mod export;
pub mod import;
pub mod limits;
pub mod loader;
pub mod member;
pub mod metrics;
pub mod opinion;
pub mod organisation;
pub mod pagination;
pub mod plan;
pub mod proposal;
pub mod proxy;
pub mod relay;
pub mod response_order;
pub mod schema;
pub mod seed;
pub mod server;
pub mod signed;
pub mod sql;
pub mod stats;
pub mod training;
pub mod validate;
