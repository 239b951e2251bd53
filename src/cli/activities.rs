//! `lvzhi activities close-due`: closes every open activity whose last day is at least the
//! auto-close setting's days past (its invitees without a mark turn absent), for cron.

use clap::Subcommand;
use lvzhi::{activity::service as activities, config::AttendanceConfig, dates::today};
use sea_orm::DatabaseConnection;

/// What to do with activities.
#[derive(Subcommand)]
pub enum ActivitiesCommand {
    /// Close every open activity that ended at least `--auto-close-days` days ago (at least 1
    /// when the setting is 0), as the system; prints the activities closed.
    CloseDue,
}

/// Runs an activities command as the system.
pub async fn run(
    db: &DatabaseConnection,
    settings: &AttendanceConfig,
    command: ActivitiesCommand,
) -> Result<(), String> {
    match command {
        ActivitiesCommand::CloseDue => {
            let days = settings.auto_close_days.max(1);
            let closed = activities::close_due(db, days, today()).await.map_err(|e| e.message())?;
            let ids: Vec<String> = closed.iter().map(i64::to_string).collect();
            super::print(&format!(
                "{} activities closed{}{}\n",
                closed.len(),
                if ids.is_empty() { "" } else { ": " },
                ids.join(", ")
            ))
        }
    }
}
