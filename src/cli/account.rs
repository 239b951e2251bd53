//! `lvzhi account …`: accounts made from the command line.

use std::io::Read;

use clap::Subcommand;
use lvzhi::{
    account::{handout, service as accounts},
    auth::{Actor, Role},
};
use sea_orm::DatabaseConnection;

/// What to do with accounts.
#[derive(Subcommand)]
pub enum AccountCommand {
    /// Create an account; the password is read from standard input.
    Create {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Role: ADMIN, OFFICE, COMMITTEE_STAFF, STUDIO_LEAD, HANDLING_UNIT, MEMBER or VIEWER
        /// (SECTOR_CONVENER and GROUP_LEAD need a sector or group: create them in the API).
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Create a MEMBER account with a one-time password for every member seated in the
    /// current term who has none (as `createMemberAccounts`), and save the workbook of
    /// usernames and one-time passwords to a file.
    HandOut {
        /// Where to save the workbook (.xlsx); an existing file is not overwritten.
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    use async_graphql::EnumType;
    Role::items()
        .iter()
        .find(|item| item.name.eq_ignore_ascii_case(s))
        .map(|item| item.value)
        .ok_or_else(|| format!("unknown role {s}"))
}

/// Runs an account command as the system.
pub async fn run(db: &DatabaseConnection, command: AccountCommand) -> Result<(), String> {
    match command {
        AccountCommand::Create { username, role } => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password).map_err(|e| e.to_string())?;
            let new = accounts::NewAccount {
                username,
                password: password.trim_end_matches(['\r', '\n']).to_owned(),
                role,
                member_id: None,
                committee_id: None,
                studio_id: None,
                handling_unit_id: None,
                sector_id: None,
                group_id: None,
            };
            let account = accounts::create_account(db, &Actor::System, new).await.map_err(|e| e.message())?;
            tracing::info!(username = %account.username, role = ?account.role, "account created");
            Ok(())
        }
        AccountCommand::HandOut { out } => {
            if out.exists() {
                return Err(format!("{} exists; choose another file", out.display()));
            }
            let started = std::time::Instant::now();
            let made = handout::create_member_accounts(db, &Actor::System).await.map_err(|e| e.message())?;
            // The passwords go to the file only, never to the log.
            std::fs::write(&out, &made.workbook).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            let seconds = started.elapsed().as_secs_f64();
            tracing::info!(created = made.accounts.len(), seconds, file = %out.display(), "member accounts created");
            Ok(())
        }
    }
}
