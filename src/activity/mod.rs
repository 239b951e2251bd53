//! Activities (履职活动) and who attended them: recorded by whoever organised them, read by the
//! office, the committees and studios, and each member for themself.

pub mod graphql;
pub mod loader;
pub mod service;
