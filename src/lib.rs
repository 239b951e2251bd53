//! lvzhi (履职): the record of what CPPCC committee members do, and the yearly performance
//! assessment built on it, served as a GraphQL API.

pub mod auth;
pub mod config;
pub mod context;
pub mod db;
pub mod error;
pub mod loader;
pub mod member;
pub mod organisation;
pub mod pagination;
pub mod relay;
pub mod schema;
pub mod seed;
pub mod server;
pub mod validate;
