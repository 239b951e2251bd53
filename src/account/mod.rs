//! Accounts and their sessions: signing in and out, tokens, the sign-in throttle, and the
//! accounts the office hands out. Access itself is decided in [`crate::auth`].

pub mod graphql;
pub mod handout;
pub mod handout_graphql;
pub mod manage;
pub mod manage_graphql;
pub mod service;
pub mod throttle;
