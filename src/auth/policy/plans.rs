//! Annual plans and personal targets, the roster import and exports, exit cases and 换届.

use super::*;

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
