//! The access rules, in one place. Each function answers one question about an actor and
//! returns `Ok(())` or the error to give: UNAUTHENTICATED for anonymous requests, FORBIDDEN
//! for signed-in accounts whose role does not allow it.

use super::{Actor, Role};
use crate::error::{AppError, AppResult};

fn allow(actor: &Actor, roles: &[Role], what: &str) -> AppResult<()> {
    match actor {
        Actor::System => Ok(()),
        Actor::Anonymous => Err(AppError::Unauthenticated("authentication required")),
        Actor::Account(s) if roles.contains(&s.role) => Ok(()),
        Actor::Account(s) => Err(AppError::Forbidden(format!("the {} role may not {what}", s.role.label_en()))),
    }
}

/// Read the organisation: terms, sectors, committees, regions, studios, groups, units.
pub fn read_organisation(actor: &Actor) -> AppResult<()> {
    allow(actor, Role::ALL, "read the organisation")
}

/// Create or change the organisation's structure and its memberships.
pub fn manage_organisation(actor: &Actor) -> AppResult<()> {
    allow(actor, &[Role::Admin, Role::Office], "change the organisation")
}

/// Read members' public fields (name, seats, memberships) and list members.
pub fn read_members(actor: &Actor) -> AppResult<()> {
    allow(
        actor,
        &[Role::Admin, Role::Office, Role::CommitteeStaff, Role::StudioLead, Role::Member],
        "read member records",
    )
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
