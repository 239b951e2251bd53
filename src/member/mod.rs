//! Members (委员) and their seats (委员任职): the people, and their place in each term.

pub mod graphql;
pub mod loader;
pub mod names;
pub mod service;
