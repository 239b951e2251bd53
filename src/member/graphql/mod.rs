//! Members and seats in the API: the output types in [`types`] (with the page-wide prefetch of
//! a member list in [`prefetch`]), the inputs in [`inputs`], the roots in [`query`] and
//! [`mutation`]. Resolvers read the context, call one service function and convert.

pub mod inputs;
pub mod mutation;
mod prefetch;
pub mod query;
pub mod types;

pub use inputs::{
    CreateMemberInput, MemberFilterInput, MemberOrder, MemberOrderField, OrderDirection, SeatInput, UpdateMemberInput,
    UpdateSeatInput,
};
pub use mutation::{MemberMutation, MemberPayload};
pub use query::MemberQuery;
pub use types::{Member, Seat};

/// A total already known (from a batched first page), as a list's counter.
fn known_count(total: u64) -> crate::pagination::Counter {
    Box::new(move || Box::pin(async move { Ok(total) }))
}
