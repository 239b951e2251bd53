//! Activities and participations in the API, the duty fields of `Member`, and the
//! `activityRecorded` subscription; invitations, leave, sign-in and closing in [`attendance`]. Resolvers read the context, call one service function and
//! convert: the output types in [`types`], the inputs in [`inputs`], the roots in [`query`],
//! [`mutation`] and [`subscription`], and the duty fields of `Member` in [`member`].

pub mod attendance;
pub mod inputs;
pub mod member;
pub mod mutation;
pub mod query;
pub mod subscription;
pub mod types;

pub use attendance::{
    AttendanceMutation, AttendanceQuery, AttendanceSubscription, Invitation, LeaveRequest, LeaveRequestPayload,
};
pub use inputs::{
    ActivityFilterInput, ActivityOrder, ActivityOrderField, AttendanceModeInput, CancelActivityInput, ParticipantInput,
    RecordActivityInput, SetAttendanceInput, UpdateActivityInput, decode_organiser,
};
pub use member::{arguments_of, member_attendance, member_invitations, member_participations, prefetch_members};
pub use mutation::{ActivityMutation, ActivityPayload};
pub use query::ActivityQuery;
pub use subscription::ActivitySubscription;
pub use types::{Activity, AttendanceSummaryObject, OrganiserRef, Participation};

use crate::{
    error::AppError,
    pagination::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE},
};

/// The page size `first` asks for, checked like every connection's.
fn page_size(first: Option<i32>) -> Result<u64, AppError> {
    match first.map(u64::try_from) {
        None => Ok(DEFAULT_PAGE_SIZE),
        Some(Ok(n)) if n <= MAX_PAGE_SIZE => Ok(n),
        Some(Ok(_)) => Err(AppError::bad_field("first", format!("first must be at most {MAX_PAGE_SIZE}"))),
        Some(Err(_)) => Err(AppError::bad_field("first", "first must not be negative")),
    }
}
