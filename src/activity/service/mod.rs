//! Rules and queries of activities and participations.
//!
//! Whoever organised an activity records it (`policy::record_for`); recording writes the
//! activity and all its participants in one transaction, so a bad participant leaves nothing
//! behind. Totals and attendance figures are counted by the database. The writes are in
//! [`record`], the reads in [`query`], the organiser's checks in [`organiser`]; invitations,
//! sign-in and closing in [`invitations`], requests for leave in [`leave`], the sign-in sheet in
//! [`sheet`].

mod invitations;
pub mod leave;
mod organiser;
mod query;
mod record;
pub mod sheet;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use entity::enums::{ActivityKind, ActivityStatus, ActivitySubkind, Attendance, ParticipationRole};
use entity::organiser::Organiser;

pub use invitations::{CLOSE_DUE_EVERY, INVITATIONS_ENTITY, close, close_due, invite, keep_closing, sign_in, uninvite};
pub use organiser::{check_organiser, organiser_condition, organiser_of};
pub use query::{
    AttendanceSummary, MEMBER_PARTICIPATIONS_ORDER, Rows, attendance, attendance_scope, find, find_participation,
    first_participants, first_participations, invitations, list, member_attendance, member_participation_cursor,
    member_participations, participants, readable_records, records_of, yuan,
};
pub use record::{PARTICIPANTS_ENTITY, cancel, record, recorded, set_attendance, update};

/// The most donations (捐款捐物金额) one activity may record, in yuan: 100 million.
pub const MAX_DONATIONS_YUAN: i64 = 100_000_000;

/// A participant to record.
#[derive(Clone, Debug)]
pub struct NewParticipant {
    /// The member.
    pub member_id: i64,
    /// Attendance.
    pub attendance: Attendance,
    /// Role at the activity.
    pub role: ParticipationRole,
    /// A note, e.g. the reason for an excused absence.
    pub note: Option<String>,
    /// Whether the member is expected (应出席) or attends without being expected (列席, never
    /// counted); none: a new row is an invitation, an existing row keeps its flag.
    pub invited: Option<bool>,
}

/// An activity to record, with its participants.
#[derive(Clone, Debug)]
pub struct NewActivity {
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: ActivityKind,
    /// Subkind; must belong to the kind.
    pub subkind: Option<ActivitySubkind>,
    /// Who organised it.
    pub organiser: Organiser,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day; the first day when absent.
    pub end_date: Option<NaiveDate>,
    /// Where.
    pub location: Option<String>,
    /// Planned or done (default done).
    pub status: ActivityStatus,
    /// Whether attendance is compulsory.
    pub compulsory: bool,
    /// 解决问题数.
    pub issues_solved: Option<i32>,
    /// 惠及人次.
    pub people_served: Option<i32>,
    /// 捐款捐物金额 in yuan, at most two decimal places and [`MAX_DONATIONS_YUAN`].
    pub donations: Option<Decimal>,
    /// Notes.
    pub description: Option<String>,
    /// The participants.
    pub participants: Vec<NewParticipant>,
}

/// Changes to an activity. `None` leaves a field alone; `Some(None)` clears a nullable one.
#[derive(Clone, Debug, Default)]
pub struct ActivityChanges {
    /// New title.
    pub title: Option<String>,
    /// New kind.
    pub kind: Option<ActivityKind>,
    /// New subkind.
    pub subkind: Option<Option<ActivitySubkind>>,
    /// New first day.
    pub start_date: Option<NaiveDate>,
    /// New last day (`Some(None)`: the first day).
    pub end_date: Option<Option<NaiveDate>>,
    /// New location.
    pub location: Option<Option<String>>,
    /// New status (cancelling goes through [`cancel`]).
    pub status: Option<ActivityStatus>,
    /// New compulsory flag.
    pub compulsory: Option<bool>,
    /// New issues solved.
    pub issues_solved: Option<Option<i32>>,
    /// New people served.
    pub people_served: Option<Option<i32>>,
    /// New donations in yuan.
    pub donations: Option<Option<Decimal>>,
    /// New notes.
    pub description: Option<Option<String>>,
}

/// Which activities to list.
#[derive(Clone, Debug, Default)]
pub struct ActivityFilter {
    /// Of this kind.
    pub kind: Option<ActivityKind>,
    /// Of this subkind.
    pub subkind: Option<ActivitySubkind>,
    /// Organised by this organiser.
    pub organiser: Option<Organiser>,
    /// With this member among the participants.
    pub member_id: Option<i64>,
    /// Starting on or after this day.
    pub from: Option<NaiveDate>,
    /// Starting on or before this day.
    pub to: Option<NaiveDate>,
    /// Starting in this year.
    pub year: Option<i32>,
    /// In this state.
    pub status: Option<ActivityStatus>,
    /// Voided activities too (only for a role that sees them: `policy::sees_voided`).
    pub include_voided: Option<bool>,
}

/// How [`set_attendance`] treats the participants already recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttendanceMode {
    /// The list is the whole attendance: rows of members not in it are removed.
    Replace,
    /// Rows of listed members are added or changed; the others stay.
    Upsert,
}
