//! Who reads rule sets, runs, results and their groups, and who manages them.

use super::*;

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
