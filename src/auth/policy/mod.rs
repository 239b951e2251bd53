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

mod assessment;
mod duty;
mod plans;
mod records;

pub use assessment::*;
pub use duty::*;
pub use plans::*;
pub use records::*;

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
