//! The access rules, in one place. Each function answers one question about an actor and
//! returns `Ok(())` or the error to give: UNAUTHENTICATED for anonymous requests, FORBIDDEN
//! for signed-in accounts whose role does not allow it.

use super::{Actor, Role};
use crate::error::{AppError, AppResult};

/// The decision behind every rule but [`own_account`]: an account holding a one-time password
/// may do nothing until it has changed it (PASSWORD_CHANGE_REQUIRED), whatever its role.
fn allow(actor: &Actor, roles: &[Role], what: &str) -> AppResult<()> {
    match actor {
        Actor::System => Ok(()),
        Actor::Anonymous => Err(AppError::Unauthenticated("authentication required")),
        Actor::Account(s) if s.must_change_password => Err(AppError::PasswordChangeRequired),
        Actor::Account(s) if roles.contains(&s.role) => Ok(()),
        Actor::Account(s) => Err(AppError::Forbidden(format!("the {} role may not {what}", s.role.label_en()))),
    }
}

/// The roles that read members, activities, attendance, duty records and the signed records:
/// the office, the organisers (committee staff, studio leads, sector conveners, group leads;
/// "谁组织谁记录") and members (their own records, where it matters).
const STAFF_AND_MEMBERS: &[Role] = &[
    Role::Admin,
    Role::Office,
    Role::CommitteeStaff,
    Role::StudioLead,
    Role::SectorConvener,
    Role::GroupLead,
    Role::Member,
];

/// The roles that record activities: the office, and the organisers for what they organise.
const RECORDERS: &[Role] =
    &[Role::Admin, Role::Office, Role::CommitteeStaff, Role::StudioLead, Role::SectorConvener, Role::GroupLead];

/// Read the organisation: terms, sectors, committees, regions, studios, groups, units.
pub fn read_organisation(actor: &Actor) -> AppResult<()> {
    allow(actor, Role::ALL, "read the organisation")
}

/// Create or change the organisation's structure and its memberships.
pub fn manage_organisation(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "change the organisation")
}

/// Leave to read the memberships of the organisation's units (and the members in them)
/// through the loaders. Only [`read_memberships`] makes one, so no loader of memberships can be
/// reached without the decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MembershipScope(());

/// Read the members of committees, studios, groups and sectors: as [`read_members`].
pub fn read_memberships(actor: &Actor) -> AppResult<MembershipScope> {
    read_members(actor)?;
    Ok(MembershipScope(()))
}

/// Read members' public fields (name, seats, memberships) and list members.
pub fn read_members(actor: &Actor) -> AppResult<()> {
    allow(actor, STAFF_AND_MEMBERS, "read member records")
}

/// Create or change member records and seats.
pub fn manage_members(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "change member records")
}

/// Whether the actor may see the personal fields (phone, birth date, notes) of `member_id`.
pub fn sees_personal_data(actor: &Actor, member_id: i64) -> bool {
    match actor {
        Actor::System => true,
        Actor::Anonymous => false,
        Actor::Account(s) => {
            matches!(s.role, Role::Admin | Role::Office) || (s.role == Role::Member && s.member_id == Some(member_id))
        }
    }
}

/// Manage accounts.
pub fn manage_accounts(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin], "manage accounts")
}

/// Change one's own account (its password, its sessions): any signed-in account, as itself.
pub fn own_account(actor: &Actor) -> AppResult<&super::Session> {
    actor.session().ok_or(AppError::Unauthenticated("authentication required"))
}

/// Read the audit log.
pub fn read_audit_log(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "read the audit log")
}

// ----- proposals and public-opinion reports -----

/// Which proposals or public-opinion reports an actor may see. Only the rules in this file make
/// one, so no list or batch of records can be read without a decision; services read what it
/// lets through with [`RecordScope::reach`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RecordScope(Reach);

/// What a [`RecordScope`] lets through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reach {
    /// Every record.
    All,
    /// Only those this member signed or wrote.
    Member(i64),
    /// Only proposals assigned to this handling unit.
    HandlingUnit(i64),
}

impl RecordScope {
    /// What the scope lets through.
    pub fn reach(self) -> Reach {
        self.0
    }
}

/// Read proposals; answers which ones. VIEWER sees statistics only.
pub fn read_proposals(actor: &Actor) -> AppResult<RecordScope> {
    allow(
        actor,
        &[
            Role::Admin,
            Role::Office,
            Role::CommitteeStaff,
            Role::StudioLead,
            Role::SectorConvener,
            Role::GroupLead,
            Role::Member,
            Role::HandlingUnit,
        ],
        "read proposals",
    )?;
    scope_of(actor)
}

/// Which proposals a step of the lifecycle may find before its own rule decides: a signed-in
/// account only those it may read (the others are NOT_FOUND); the system any. An anonymous
/// request finds any too, and is refused by the step's own rule.
pub fn proposals_to_change(actor: &Actor) -> AppResult<RecordScope> {
    match actor {
        Actor::Account(_) => read_proposals(actor),
        Actor::System | Actor::Anonymous => Ok(RecordScope(Reach::All)),
    }
}

fn scope_of(actor: &Actor) -> AppResult<RecordScope> {
    let Actor::Account(s) = actor else { return Ok(RecordScope(Reach::All)) };
    let unlinked = || AppError::Forbidden(format!("this {} account is not linked to a record", s.role.label_en()));
    let reach = match s.role {
        Role::Member => s.member_id.map(Reach::Member).ok_or_else(unlinked)?,
        Role::HandlingUnit => s.handling_unit_id.map(Reach::HandlingUnit).ok_or_else(unlinked)?,
        _ => Reach::All,
    };
    Ok(RecordScope(reach))
}

/// Submit (or resubmit) a proposal whose first proposer is `first_signer`: office staff for
/// anyone, a member only as the first proposer themself.
pub fn submit_proposal(actor: &Actor, first_signer: Option<i64>) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office, Role::Member], "submit proposals")?;
    own_record(actor, first_signer, "a member submits proposals only as their first proposer")
}

fn own_record(actor: &Actor, first: Option<i64>, refusal: &str) -> AppResult<()> {
    match actor {
        Actor::Account(s) if s.role == Role::Member && (s.member_id.is_none() || s.member_id != first) => {
            Err(AppError::Forbidden(refusal.to_owned()))
        }
        _ => Ok(()),
    }
}

/// Review, assign, reopen, close, flag and convert proposals; configure result labels.
pub fn manage_proposals(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "manage proposals")
}

/// Answer (or refuse) the assignment of a proposal to `unit_id`: office staff, or that unit.
pub fn answer_proposal(actor: &Actor, unit_id: i64) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office, Role::HandlingUnit], "answer proposals")?;
    match actor {
        Actor::Account(s) if s.role == Role::HandlingUnit && s.handling_unit_id != Some(unit_id) => {
            Err(AppError::Forbidden("a handling unit answers only the proposals assigned to it".to_owned()))
        }
        _ => Ok(()),
    }
}

/// Record the proposer's feedback: office staff, or the first proposer themself.
pub fn give_proposal_feedback(actor: &Actor, first_signer: Option<i64>) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office, Role::Member], "record proposal feedback")?;
    own_record(actor, first_signer, "only the first proposer gives feedback on a proposal")
}

/// Read public-opinion reports; answers which ones.
pub fn read_opinion_reports(actor: &Actor) -> AppResult<RecordScope> {
    allow(actor, STAFF_AND_MEMBERS, "read public-opinion reports")?;
    scope_of(actor)
}

/// Submit a public-opinion report whose first author is `first_author`.
pub fn submit_opinion_report(actor: &Actor, first_author: Option<i64>) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office, Role::Member], "submit public-opinion reports")?;
    own_record(actor, first_author, "a member submits reports only as their first author")
}

/// Correct or withdraw a public-opinion report whose first author is `first_author` (while
/// it awaits a decision): office staff any, a member only as its first author.
pub fn amend_opinion_report(actor: &Actor, first_author: Option<i64>) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office, Role::Member], "correct public-opinion reports")?;
    own_record(actor, first_author, "a member corrects or withdraws only the reports they wrote first")
}

/// Record adoptions, instructions and refusals of public-opinion reports.
pub fn manage_opinion_reports(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "manage public-opinion reports")
}

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
pub struct DutyRecordsOf(i64);

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

/// Confirm or reject submitted duty items.
pub fn review_duty_items(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "confirm or reject duty items")
}

/// Read aggregate figures such as the year in review (every signed-in role).
pub fn read_statistics(actor: &Actor) -> AppResult<()> {
    allow(actor, Role::ALL, "read statistics")
}

// ----- assessment (履职考核) -----

/// Read rule sets (the scoring rules are public to every signed-in role).
pub fn read_rule_sets(actor: &Actor) -> AppResult<()> {
    allow(actor, Role::ALL, "read rule sets")
}

/// Create rule sets; run, adjust, confirm and publish assessments.
pub fn manage_assessments(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "manage assessments")
}

/// Read every member's assessment results and the runs.
pub fn read_assessments(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "read assessment results")
}

/// The smallest group of a run's results whose figures are shown to a role that may not read
/// the results inside it: a smaller group could identify a member.
pub const SMALLEST_VISIBLE_GROUP: i64 = 3;

/// Which assessment runs an actor may find, and which of their groups' figures it may see.
/// Made only by [`read_assessment_runs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RunScope {
    published_only: bool,
}

impl RunScope {
    /// Whether only published runs may be found.
    pub fn published_only(self) -> bool {
        self.published_only
    }

    /// The fewest members a group must have for its figures to be shown: 1 for a role that
    /// reads every result, [`SMALLEST_VISIBLE_GROUP`] for one that reads aggregates only.
    pub fn smallest_group(self) -> i64 {
        if self.published_only { SMALLEST_VISIBLE_GROUP } else { 1 }
    }
}

/// Find assessment runs and read their aggregate figures (grade counts, groups): office staff
/// every run; a VIEWER (aggregates only) the published runs, without groups of fewer than
/// [`SMALLEST_VISIBLE_GROUP`] members. The results inside stay [`read_assessments`]'.
pub fn read_assessment_runs(actor: &Actor) -> AppResult<RunScope> {
    allow(actor, &[Role::Admin, Role::Office, Role::Viewer], "read assessment runs")?;
    let published_only = matches!(actor, Actor::Account(s) if s.role == Role::Viewer);
    Ok(RunScope { published_only })
}

/// How much of the duty records grouped by sector, committee, studio, town, party, standing
/// or newness an actor sees. Made only by [`read_duty_record_groups`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DutyGroupScope {
    every_group: bool,
}

impl DutyGroupScope {
    /// The fewest members a group must have to be shown: 1 for a role that reads every
    /// member's duty records, [`SMALLEST_VISIBLE_GROUP`] for one that reads aggregates only.
    pub fn smallest_group(self) -> i64 {
        if self.every_group { 1 } else { SMALLEST_VISIBLE_GROUP }
    }
}

/// Read a year's duty records grouped by a dimension: the roles that read every member's duty
/// records (office, committee staff, studio leads, sector conveners, group leads) every group;
/// a VIEWER (aggregates only) groups of at least [`SMALLEST_VISIBLE_GROUP`] members, so a group
/// cannot stand for one member's record. A MEMBER (who reads only their own records) and a
/// HANDLING_UNIT (which reads no duty records) may not.
pub fn read_duty_record_groups(actor: &Actor) -> AppResult<DutyGroupScope> {
    allow(
        actor,
        &[
            Role::Admin,
            Role::Office,
            Role::CommitteeStaff,
            Role::StudioLead,
            Role::SectorConvener,
            Role::GroupLead,
            Role::Viewer,
        ],
        "read duty records by group",
    )?;
    Ok(DutyGroupScope { every_group: sees_all_duty_records(actor) })
}

/// Which of a member's assessment results an actor may see: every run's (drafts included) or
/// only published runs' (a member's own). Made only by [`member_assessment_scope`], so the
/// batch reads that take one cannot run without a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AssessmentScope {
    published_only: bool,
}

impl AssessmentScope {
    /// Whether only published runs' results may be seen.
    pub fn published_only(self) -> bool {
        self.published_only
    }
}

/// Read the assessment results of `member_id`: office staff all of them, a member only their
/// own published ones; nobody else any.
pub fn member_assessment_scope(actor: &Actor, member_id: i64) -> AppResult<AssessmentScope> {
    allow(actor, &[Role::Admin, Role::Office, Role::Member], "read assessment results")?;
    match actor {
        Actor::Account(s) if s.role == Role::Member && s.member_id == Some(member_id) => {
            Ok(AssessmentScope { published_only: true })
        }
        Actor::Account(s) if s.role == Role::Member => {
            Err(AppError::Forbidden("a member may read only their own assessment".to_owned()))
        }
        _ => Ok(AssessmentScope { published_only: false }),
    }
}

// ----- annual plans ("三亮") and personal targets -----

/// Read annual plans, their items, stages and progress (no personal data: every signed-in
/// role).
pub fn read_plans(actor: &Actor) -> AppResult<()> {
    allow(actor, Role::ALL, "read plans")
}

/// Create plans, add and change items, link activities to items.
pub fn manage_plans(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "manage plans")
}

/// Record stages of plan items at all (which items: [`record_plan_stage`]).
pub fn record_plan_stages(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office, Role::CommitteeStaff], "record plan stages")
}

/// Record the goal, progress or result of a plan item led by the special committee `lead` (none: the
/// office): office staff for any item, committee staff for their own committee's items.
pub fn record_plan_stage(actor: &Actor, lead: Option<i64>) -> AppResult<()> {
    record_plan_stages(actor)?;
    match actor {
        Actor::Account(s) if s.role == Role::CommitteeStaff && (s.committee_id.is_none() || s.committee_id != lead) => {
            Err(AppError::Forbidden("committee staff record stages only of items their committee leads".to_owned()))
        }
        _ => Ok(()),
    }
}

/// Set members' personal yearly targets.
pub fn set_member_targets(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "set members' targets")
}

/// Read the personal targets of `member_id` and their progress: as the member's duty records
/// (office, committee and studio staff anyone's; a member only their own).
pub fn read_member_targets(actor: &Actor, member_id: i64) -> AppResult<()> {
    read_duty_records(actor, member_id)
}

/// Read the personal targets of `member_id` ([`read_member_targets`]), as a value the
/// page-wide loader takes.
pub fn targets_of(actor: &Actor, member_id: i64) -> AppResult<DutyRecordsOf> {
    read_member_targets(actor, member_id)?;
    Ok(DutyRecordsOf(member_id))
}

// ----- roster import and exports -----

/// Import the roster (委员名册) from a file.
pub fn import_roster(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "import the roster")
}

/// Download the roster and attendance workbooks (they hold personal data).
pub fn export_records(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "export records")
}

// ----- the exit mechanism (委员退出) and 换届 -----

/// Open exit cases and record their steps and the standing committee's decision.
pub fn manage_exit_cases(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "manage exit cases")
}

/// Whose exit cases an actor may read: every member's, or one member's own. Made only by
/// [`read_exit_cases`], so no list of cases is read without a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExitCaseScope(Option<i64>);

impl ExitCaseScope {
    /// The one member whose cases the actor sees; none when they see every member's.
    pub fn only_member(self) -> Option<i64> {
        self.0
    }

    /// Whether the actor sees the cases of `member_id`.
    pub fn sees(self, member_id: i64) -> bool {
        self.0.is_none_or(|own| own == member_id)
    }
}

/// Read exit cases: the office every member's, a member only their own (an account linked to
/// no member: nobody's); nobody else any (they are personal, as a member's assessment is).
pub fn read_exit_cases(actor: &Actor) -> AppResult<ExitCaseScope> {
    allow(actor, &[Role::Admin, Role::Office, Role::Member], "read exit cases")?;
    Ok(match actor {
        Actor::Account(s) if s.role == Role::Member => ExitCaseScope(Some(s.member_id.unwrap_or(-1))),
        _ => ExitCaseScope(None),
    })
}

/// Open the next term (换届): new seats, the old term's seats and memberships ended.
pub fn open_next_term(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "open the next term")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Session;

    fn account(role: Role, member_id: Option<i64>) -> Actor {
        Actor::Account(Session {
            account_id: 1,
            token_id: None,
            username: "u".into(),
            role,
            member_id,
            committee_id: None,
            studio_id: None,
            handling_unit_id: None,
            sector_id: None,
            group_id: None,
            must_change_password: false,
        })
    }

    #[test]
    fn a_member_sees_only_their_own_personal_data() {
        let me = account(Role::Member, Some(7));
        assert!(sees_personal_data(&me, 7));
        assert!(!sees_personal_data(&me, 8));
    }

    #[test]
    fn anonymous_is_unauthenticated_and_viewer_is_forbidden_from_members() {
        assert!(matches!(read_members(&Actor::Anonymous), Err(AppError::Unauthenticated(_))));
        assert!(matches!(read_members(&account(Role::Viewer, None)), Err(AppError::Forbidden(_))));
        assert!(read_organisation(&account(Role::Viewer, None)).is_ok());
    }
}
