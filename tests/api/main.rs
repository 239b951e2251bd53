//! The API's integration tests: one binary, an in-process server, a fresh database per test.
#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs, reason = "tests fail loudly on broken set-up")]

mod accounts;
mod activities;
mod assessment;
mod auth;
mod demo;
mod duty_records;
mod export;
mod fixtures;
mod graphiql;
mod hardening;
mod helpers;
mod hostile_files;
mod http;
mod import;
mod invitations;
mod leave;
mod members;
mod opinions;
mod organisation;
mod pagination;
mod plans;
mod proposals;
mod responses;
mod roles;
mod scale;
mod schema;
mod subscriptions;
mod validation;
mod year_in_review;
