//! Who reads, submits and handles proposals and public-opinion reports.

use super::*;

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
