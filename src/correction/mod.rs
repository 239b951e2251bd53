//! Corrections (更正): voiding a record entered by mistake (作废, with a reason) and restoring it.
//! A voided record stays in its table and in the audit log but counts nowhere (see `crate::live`).

pub mod graphql;
pub mod service;
