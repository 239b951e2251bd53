//! The exit mechanism (委员退出): cases opened from an assessment's 提醒谈话 / 劝辞 flag or by
//! hand, taken step by step to the standing committee's decision, which sets the seat's status.

pub mod graphql;
pub mod loader;
pub mod service;
