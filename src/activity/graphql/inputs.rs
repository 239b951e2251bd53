//! The inputs of activities' queries and mutations, and their conversions into the service's
//! types. Conversion errors name fields relative to the input (`participants.2.memberId`); the
//! resolver places them under its argument.

use crate::number::DecimalInput;
use async_graphql::{Enum, ID, InputObject, MaybeUndefined};
use chrono::NaiveDate;

use crate::{
    activity::service::{ActivityChanges, ActivityFilter, AttendanceMode, NewActivity, NewParticipant},
    error::AppError,
    member::graphql::OrderDirection,
    relay::{Kind, decode_any, decode_id},
};
use entity::enums::{ActivityKind, ActivityStatus, ActivitySubkind, Attendance, ParticipationRole};
use entity::organiser::Organiser;

/// Decodes an organiser ID (a special committee, sector, studio or group); none is the office.
pub fn decode_organiser(id: Option<&ID>, field: &str) -> Result<Organiser, AppError> {
    let Some(id) = id else { return Ok(Organiser::Office) };
    match decode_any(id) {
        Some((Kind::SpecialCommittee, row)) => Ok(Organiser::Committee(row)),
        Some((Kind::Sector, row)) => Ok(Organiser::Sector(row)),
        Some((Kind::Studio, row)) => Ok(Organiser::Studio(row)),
        Some((Kind::Group, row)) => Ok(Organiser::Group(row)),
        Some(_) => Err(AppError::bad_field(
            field,
            format!("{field} must be the id of a special committee, a sector, a studio or a group"),
        )),
        None => Err(AppError::bad_field(field, format!("{field} is not a valid id"))),
    }
}

/// Which activities to list.
#[derive(InputObject, Default)]
pub struct ActivityFilterInput {
    /// Of this kind.
    pub kind: Option<ActivityKind>,
    /// Of this subkind.
    pub subkind: Option<ActivitySubkind>,
    /// Organised by this special committee, sector, studio or group.
    pub organiser_id: Option<ID>,
    /// Organised by the office itself.
    #[graphql(default)]
    pub by_office: bool,
    /// With this member among the participants.
    pub member_id: Option<ID>,
    /// Starting on or after this day.
    pub from: Option<NaiveDate>,
    /// Starting on or before this day.
    pub to: Option<NaiveDate>,
    /// Starting in this year.
    pub year: Option<i32>,
    /// In this state.
    pub status: Option<ActivityStatus>,
    /// Voided activities too (作废; ADMIN and OFFICE only, ignored for other roles). Default:
    /// voided activities are left out.
    pub include_voided: Option<bool>,
}

/// What the activity list can be sorted by.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ActivityOrderField {
    /// The first day.
    Date,
}

/// One sort key of the activity list.
#[derive(InputObject)]
pub struct ActivityOrder {
    /// The field.
    pub field: ActivityOrderField,
    /// The direction.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// A participant of an activity.
#[derive(InputObject)]
pub struct ParticipantInput {
    /// The member.
    pub member_id: ID,
    /// Attendance (default PRESENT).
    #[graphql(default_with = "Attendance::Present")]
    pub attendance: Attendance,
    /// Role (default PARTICIPANT).
    #[graphql(default_with = "ParticipationRole::Participant")]
    pub role: ParticipationRole,
    /// A note, e.g. the reason for an excused absence.
    pub note: Option<String>,
    /// Whether the member is expected (应出席, counted) or attends without being expected (列席,
    /// recorded and never counted). Unset: a new row is an invitation (a 列席 row when signing
    /// in), an existing row keeps its flag.
    pub invited: Option<bool>,
}

/// An activity to record, with all its participants.
#[derive(InputObject)]
pub struct RecordActivityInput {
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: ActivityKind,
    /// Subkind; must belong to the kind.
    pub subkind: Option<ActivitySubkind>,
    /// The organising special committee, sector, studio or group; absent for the office.
    pub organiser_id: Option<ID>,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day (default: the first day).
    pub end_date: Option<NaiveDate>,
    /// Where.
    pub location: Option<String>,
    /// PLANNED or DONE (default DONE).
    #[graphql(default_with = "ActivityStatus::Done")]
    pub status: ActivityStatus,
    /// Whether attendance is compulsory.
    #[graphql(default)]
    pub compulsory: bool,
    /// 解决问题数.
    pub issues_solved: Option<i32>,
    /// 惠及人次.
    pub people_served: Option<i32>,
    /// 捐款捐物金额 in yuan.
    pub donations: Option<DecimalInput>,
    /// Notes.
    pub description: Option<String>,
    /// The participants.
    #[graphql(default)]
    pub participants: Vec<ParticipantInput>,
}

/// How `setAttendance` treats participants already recorded.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum AttendanceModeInput {
    /// Add or change the listed members' rows; keep the others.
    #[default]
    Upsert,
    /// The list is the whole attendance: remove the rows of members not listed.
    Replace,
}

/// Attendance to set on an activity.
#[derive(InputObject)]
pub struct SetAttendanceInput {
    /// The activity.
    pub activity_id: ID,
    /// Upsert (default) or replace.
    #[graphql(default)]
    pub mode: AttendanceModeInput,
    /// The participants.
    pub participants: Vec<ParticipantInput>,
}

/// Changes to an activity. Absent fields stay as they are; null clears a field.
#[derive(InputObject)]
pub struct UpdateActivityInput {
    /// The activity.
    pub id: ID,
    /// Title.
    pub title: Option<String>,
    /// Kind.
    pub kind: Option<ActivityKind>,
    /// Subkind.
    #[graphql(default)]
    pub subkind: MaybeUndefined<ActivitySubkind>,
    /// First day.
    pub start_date: Option<NaiveDate>,
    /// Last day (null: the first day).
    #[graphql(default)]
    pub end_date: MaybeUndefined<NaiveDate>,
    /// Where.
    #[graphql(default)]
    pub location: MaybeUndefined<String>,
    /// PLANNED or DONE (cancel with `cancelActivity`).
    pub status: Option<ActivityStatus>,
    /// Whether attendance is compulsory.
    pub compulsory: Option<bool>,
    /// 解决问题数.
    #[graphql(default)]
    pub issues_solved: MaybeUndefined<i32>,
    /// 惠及人次.
    #[graphql(default)]
    pub people_served: MaybeUndefined<i32>,
    /// 捐款捐物金额 in yuan.
    #[graphql(default)]
    pub donations: MaybeUndefined<DecimalInput>,
    /// Notes.
    #[graphql(default)]
    pub description: MaybeUndefined<String>,
}

/// An activity to cancel.
#[derive(InputObject)]
pub struct CancelActivityInput {
    /// The activity.
    pub id: ID,
    /// Why it was cancelled.
    pub reason: Option<String>,
}

fn change<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

/// The participants of an input list, their fields named `participants.{i}.…`.
pub(super) fn participants(list: Vec<ParticipantInput>) -> Result<Vec<NewParticipant>, AppError> {
    participants_at(list, "participants")
}

/// The participants of the input list `path`, their fields named `{path}.{i}.…`.
pub(super) fn participants_at(list: Vec<ParticipantInput>, path: &str) -> Result<Vec<NewParticipant>, AppError> {
    list.into_iter()
        .enumerate()
        .map(|(i, p)| {
            Ok(NewParticipant {
                member_id: decode_id(Kind::Member, &p.member_id, &format!("{path}.{i}.memberId"))?,
                attendance: p.attendance,
                role: p.role,
                note: p.note,
                invited: p.invited,
            })
        })
        .collect()
}

impl TryFrom<ActivityFilterInput> for ActivityFilter {
    type Error = AppError;

    fn try_from(f: ActivityFilterInput) -> Result<Self, AppError> {
        let organiser = match (&f.organiser_id, f.by_office) {
            (Some(id), _) => Some(decode_organiser(Some(id), "organiserId")?),
            (None, true) => Some(Organiser::Office),
            (None, false) => None,
        };
        Ok(Self {
            kind: f.kind,
            subkind: f.subkind,
            organiser,
            member_id: f.member_id.as_ref().map(|id| decode_id(Kind::Member, id, "memberId")).transpose()?,
            from: f.from,
            to: f.to,
            year: f.year,
            status: f.status,
            include_voided: f.include_voided,
        })
    }
}

impl TryFrom<RecordActivityInput> for NewActivity {
    type Error = AppError;

    fn try_from(input: RecordActivityInput) -> Result<Self, AppError> {
        Ok(Self {
            title: input.title,
            kind: input.kind,
            subkind: input.subkind,
            organiser: decode_organiser(input.organiser_id.as_ref(), "organiserId")?,
            start_date: input.start_date,
            end_date: input.end_date,
            location: input.location,
            status: input.status,
            compulsory: input.compulsory,
            issues_solved: input.issues_solved,
            people_served: input.people_served,
            donations: input.donations.map(|d| d.read("donations")).transpose()?,
            description: input.description,
            participants: participants(input.participants)?,
        })
    }
}

impl From<AttendanceModeInput> for AttendanceMode {
    fn from(mode: AttendanceModeInput) -> Self {
        match mode {
            AttendanceModeInput::Upsert => Self::Upsert,
            AttendanceModeInput::Replace => Self::Replace,
        }
    }
}

impl TryFrom<UpdateActivityInput> for (i64, ActivityChanges) {
    type Error = AppError;

    fn try_from(input: UpdateActivityInput) -> Result<Self, AppError> {
        let id = decode_id(Kind::Activity, &input.id, "id")?;
        let changes = ActivityChanges {
            title: input.title,
            kind: input.kind,
            subkind: change(input.subkind),
            start_date: input.start_date,
            end_date: change(input.end_date),
            location: change(input.location),
            status: input.status,
            compulsory: input.compulsory,
            issues_solved: change(input.issues_solved),
            people_served: change(input.people_served),
            donations: change(input.donations).map(|d| d.map(|d| d.read("donations")).transpose()).transpose()?,
            description: change(input.description),
        };
        Ok((id, changes))
    }
}
