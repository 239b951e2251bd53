//! Importing the roster (委员名册) from the Excel or CSV files offices keep: every row is
//! checked and reported by line and column, and nothing is half written.

pub mod fields;
pub mod file;
pub mod graphql;
pub mod guard;
pub mod service;
