//! Who is asking, and what they may do. Every service function that takes the request's
//! [`Actor`] asks [`policy`] itself before it reads or writes; batch and loader functions take
//! instead a scope value (`RecordScope`, `AssessmentScope`, `MembershipScope`, `DutyScope`,
//! `DutyRecordsOf`) that only [`policy`] can make, so nothing is read without a decision.
//! Resolvers never decide access: they call services. This module depends on no domain;
//! accounts and sign-in live in [`crate::account`].

pub mod live;
pub mod policy;

pub use live::LiveActor;

pub use entity::enums::Role;

/// The signed-in account behind a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The account.
    pub account_id: i64,
    /// The token the request came with (none for sessions made by the command line).
    pub token_id: Option<i64>,
    /// The account's login name.
    pub username: String,
    /// The account's role.
    pub role: Role,
    /// The member this account belongs to (for MEMBER accounts).
    pub member_id: Option<i64>,
    /// The special committee a COMMITTEE_STAFF account works for.
    pub committee_id: Option<i64>,
    /// The studio a STUDIO_LEAD account leads.
    pub studio_id: Option<i64>,
    /// The handling unit a HANDLING_UNIT account answers for.
    pub handling_unit_id: Option<i64>,
    /// The sector a SECTOR_CONVENER account convenes.
    pub sector_id: Option<i64>,
    /// The group a GROUP_LEAD account leads.
    pub group_id: Option<i64>,
    /// The account signed in with a one-time password and must change it before anything else.
    pub must_change_password: bool,
}

/// Who a request (or a command) acts as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// No credentials were given.
    Anonymous,
    /// The server itself: the command line, the demo seeder, migrations. Never a request.
    System,
    /// A signed-in account.
    Account(Session),
}

impl Actor {
    /// The role of the account, if signed in.
    pub fn role(&self) -> Option<Role> {
        match self {
            Self::Account(s) => Some(s.role),
            _ => None,
        }
    }

    /// The account, if signed in.
    pub fn session(&self) -> Option<&Session> {
        match self {
            Self::Account(s) => Some(s),
            _ => None,
        }
    }
}
