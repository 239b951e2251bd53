//! Who reads and records duty records: activities, attendance, leave, training, duty items, voiding.

use super::*;

// ----- duty records: activities, attendance, training, duty items -----

/// Read activities and training sessions (not who attended them).
pub fn read_activities(actor: &Actor) -> AppResult<()> {
    allow(actor, STAFF_AND_MEMBERS, "read activities")
}

/// Record or change an activity (and its attendance) or a training session organised by
/// `organiser` ("谁组织谁记录"): the office for anything, committee staff for their own
/// committee, a studio lead for their own studio, a sector convener for their own sector, a
/// group lead for their own group.
pub fn record_for(actor: &Actor, organiser: entity::organiser::Organiser) -> AppResult<()> {
    use entity::organiser::Organiser;
    allow(actor, RECORDERS, "record activities")?;
    let Actor::Account(s) = actor else { return Ok(()) };
    let own = match (s.role, organiser) {
        (Role::Admin | Role::Office, _) => true,
        (Role::CommitteeStaff, Organiser::Committee(id)) => s.committee_id == Some(id),
        (Role::StudioLead, Organiser::Studio(id)) => s.studio_id == Some(id),
        (Role::SectorConvener, Organiser::Sector(id)) => s.sector_id == Some(id),
        (Role::GroupLead, Organiser::Group(id)) => s.group_id == Some(id),
        _ => false,
    };
    if own {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "the {} role may only record activities organised by its own committee, studio, sector or group",
            s.role.label_en()
        )))
    }
}

/// Void records (作废), before the record is looked up: the office, and the organisers (whose
/// records [`void_record`] then narrows to the activities and training sessions they organise).
pub fn void_records(actor: &Actor) -> AppResult<()> {
    allow(actor, RECORDERS, "void records")
}

/// Void one record: an activity or training session (its `organiser` given) as it may be
/// recorded ([`record_for`]); any other kind (`organiser` none) by the office only.
pub fn void_record(actor: &Actor, organiser: Option<entity::organiser::Organiser>) -> AppResult<()> {
    match organiser {
        Some(organiser) => record_for(actor, organiser),
        None => allow(actor, &[Role::Admin, Role::Office], "void proposals, reports, duty items or memberships"),
    }
}

/// Restore a voided record: ADMIN only.
pub fn restore_records(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin], "restore voided records")
}

/// Whether the actor still finds voided records (single lookups, `includeVoided` lists): the
/// office, so that it can check and restore them. To every other role a voided record does not
/// exist.
pub fn sees_voided(actor: &Actor) -> bool {
    match actor {
        Actor::System => true,
        Actor::Anonymous => false,
        Actor::Account(s) => matches!(s.role, Role::Admin | Role::Office) && !s.must_change_password,
    }
}

/// Whether the actor sees every member's participations, attendance, training and duty items
/// (otherwise only a member's own).
pub fn sees_all_duty_records(actor: &Actor) -> bool {
    match actor {
        Actor::System => true,
        Actor::Anonymous => false,
        Actor::Account(s) => {
            matches!(
                s.role,
                Role::Admin
                    | Role::Office
                    | Role::CommitteeStaff
                    | Role::StudioLead
                    | Role::SectorConvener
                    | Role::GroupLead
            )
        }
    }
}

/// Read the duty records of `member_id`: participations, attendance, training hours, duty
/// items. Office, committee staff and studio leads read anyone's; a member only their own.
pub fn read_duty_records(actor: &Actor, member_id: i64) -> AppResult<()> {
    allow(actor, STAFF_AND_MEMBERS, "read duty records")?;
    match actor {
        Actor::Account(s) if s.role == Role::Member && s.member_id != Some(member_id) => {
            Err(AppError::Forbidden("a member may read only their own duty records".to_owned()))
        }
        _ => Ok(()),
    }
}

/// Whose rows an actor sees in a list of attendance (an activity's participants, a training
/// session's attendees): every member's, or one member's own. Only this module makes one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DutyScope(Option<i64>);

impl DutyScope {
    /// The one member whose rows the actor sees; none when they see every member's.
    pub fn only_member(self) -> Option<i64> {
        self.0
    }

    /// Whether the actor sees the rows of `member_id`.
    pub fn sees(self, member_id: i64) -> bool {
        self.0.is_none_or(|own| own == member_id)
    }
}

/// Read the attendance of activities and training sessions; answers whose rows: office,
/// committee and studio staff every member's, a member only their own (an account linked to
/// no member: nobody's).
pub fn read_attendance(actor: &Actor) -> AppResult<DutyScope> {
    read_activities(actor)?;
    let own = (!sees_all_duty_records(actor)).then(|| actor.session().and_then(|s| s.member_id).unwrap_or(-1));
    Ok(DutyScope(own))
}

/// The duty records of one member that an actor may read: participations, attendance,
/// training hours, duty items, targets. Only this module makes one, by
/// [`duty_records_of`] or [`targets_of`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DutyRecordsOf(pub(super) i64);

impl DutyRecordsOf {
    /// The member.
    pub fn member(self) -> i64 {
        self.0
    }
}

/// Read the duty records of `member_id` ([`read_duty_records`]), as a value the page-wide
/// loaders take.
pub fn duty_records_of(actor: &Actor, member_id: i64) -> AppResult<DutyRecordsOf> {
    read_duty_records(actor, member_id)?;
    Ok(DutyRecordsOf(member_id))
}

/// Ask for leave (请假) from an activity for `member_id`: the office for anyone, a member only
/// for themself.
pub fn request_leave(actor: &Actor, member_id: i64) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office, Role::Member], "ask for leave")?;
    match actor {
        Actor::Account(s) if s.role == Role::Member && s.member_id != Some(member_id) => {
            Err(AppError::Forbidden("a member may ask for leave only for themself".to_owned()))
        }
        _ => Ok(()),
    }
}

/// Approve or refuse leave from an activity organised by `organiser`: whoever records its
/// attendance ([`record_for`]), so a role that records an organiser's activities decides their
/// leave too.
pub fn decide_leave(actor: &Actor, organiser: entity::organiser::Organiser) -> AppResult<()> {
    record_for(actor, organiser)
}

/// Invite or uninvite members and sign them in at an activity organised by `organiser`: as
/// recording its attendance ([`record_for`]).
pub fn take_attendance(actor: &Actor, organiser: entity::organiser::Organiser) -> AppResult<()> {
    record_for(actor, organiser)
}

/// Close an activity (its unmarked invitees turn absent): the office only, whoever organised
/// it. Closing decides absences that weigh in every assessment, so it is the office's step
/// ("the office closes it"), not the organiser's.
pub fn close_activity(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "close activities")
}

/// Read requests for leave; answers whose: as [`read_attendance`] (a member only their own).
pub fn read_leave_requests(actor: &Actor) -> AppResult<DutyScope> {
    read_attendance(actor)
}

/// Submit a duty item for `member_id`: the office for anyone, a member for themself.
pub fn submit_duty_item(actor: &Actor, member_id: i64) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office, Role::Member], "submit duty items")?;
    match actor {
        Actor::Account(s) if s.role == Role::Member && s.member_id != Some(member_id) => {
            Err(AppError::Forbidden("a member may submit duty items only for themself".to_owned()))
        }
        _ => Ok(()),
    }
}

/// Correct duty items (`updateDutyItem`), before the item is looked up: the office, and members
/// (whose items [`amend_duty_item`] then narrows to their own).
pub fn amend_duty_items(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office, Role::Member], "correct duty items")
}

/// Which duty items an actor may correct, by their status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DutyItemReach {
    /// Any item that counts (not voided), decided or not: the office.
    AnyStatus,
    /// Only while it awaits review (SUBMITTED): the member who submitted it.
    WhileSubmitted,
}

/// Correct a duty item of `member_id`: the office any, a member only their own (another's is
/// FORBIDDEN, as reading it is), and only while it awaits review.
pub fn amend_duty_item(actor: &Actor, member_id: i64) -> AppResult<DutyItemReach> {
    amend_duty_items(actor)?;
    match actor {
        Actor::Account(s) if s.role == Role::Member && s.member_id != Some(member_id) => {
            Err(AppError::Forbidden("a member may correct only their own duty items".to_owned()))
        }
        Actor::Account(s) if s.role == Role::Member => Ok(DutyItemReach::WhileSubmitted),
        _ => Ok(DutyItemReach::AnyStatus),
    }
}

/// Confirm or reject submitted duty items.
pub fn review_duty_items(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "confirm or reject duty items")
}

/// Read aggregate figures such as the year in review (every signed-in role).
pub fn read_statistics(actor: &Actor) -> AppResult<()> {
    allow(actor, Role::ALL, "read statistics")
}
