//! The audit log: every change, who made it and when, with the record before and after.
//! Written in the same transaction as the change; append-only.

pub mod graphql;
pub mod service;
