//! Statistics: the office's year in review (年度工作综述的数字), counted by the database.

pub mod graphql;
pub mod service;
