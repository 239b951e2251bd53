//! The API's integration tests: one binary, an in-process server, a fresh database per test.
#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs, reason = "tests fail loudly on broken set-up")]

mod auth;
mod demo;
mod fixtures;
mod helpers;
mod http;
mod members;
mod organisation;
mod pagination;
mod schema;
