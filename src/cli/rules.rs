//! `lvzhi rules load`: stores a shipped assessment preset as a rule set (考核办法).

use clap::Subcommand;
use lvzhi::auth::Actor;
use sea_orm::DatabaseConnection;

/// What to do with rule sets.
#[derive(Subcommand)]
pub enum RulesCommand {
    /// Store a shipped preset (tongcheng, jinan, yanbian) as a rule set; a name already stored
    /// gets the next version.
    Load {
        /// The preset: tongcheng, jinan or yanbian.
        name: String,
        /// Tie the rule set to this term (its row id).
        #[arg(long)]
        term_id: Option<i64>,
        /// Tie the rule set to this year only.
        #[arg(long)]
        year: Option<i32>,
    },
}

/// Runs a rules command as the system.
pub async fn run(db: &DatabaseConnection, command: RulesCommand) -> Result<(), String> {
    match command {
        RulesCommand::Load { name, term_id, year } => {
            let set = lvzhi::assessment::service::load_preset(db, &Actor::System, &name, term_id, year)
                .await
                .map_err(|e| e.message())?;
            tracing::info!(id = set.id, name = %set.name, version = set.version, "rule set stored");
            Ok(())
        }
    }
}
