//! The organisation: terms, sectors and their conveners, special committees, regions, studios,
//! groups and handling units, and the time-bounded memberships that place members in them.

pub mod graphql;
pub mod loader;
pub mod service;
