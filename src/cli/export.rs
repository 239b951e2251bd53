//! `lvzhi export …`: the roster, the attendance table and an assessment run's results as
//! Excel workbooks.

use std::path::PathBuf;

use clap::Subcommand;
use lvzhi::auth::Actor;
use sea_orm::DatabaseConnection;

use super::progress::Bar;

/// What to export.
#[derive(Subcommand)]
pub enum ExportCommand {
    /// The roster of a term (the current one by default) as .xlsx, in the columns the roster
    /// import reads.
    Roster {
        /// The workbook to write.
        #[arg(long)]
        out: PathBuf,
        /// The term's number (10 for 第十届).
        #[arg(long)]
        term: Option<i32>,
    },
    /// The attendance table of a year as .xlsx: counts per status, compulsory expected and
    /// attended, rate.
    Attendance {
        /// The year.
        #[arg(long)]
        year: i32,
        /// The workbook to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// A run's results (总表, one sheet per cohort view, every score line) as .xlsx.
    Assessments {
        /// The run: its row id or its global ID.
        #[arg(long)]
        run: String,
        /// The workbook to write.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Runs an export as the system and writes its workbook.
pub async fn run(db: &DatabaseConnection, command: ExportCommand) -> Result<(), String> {
    match command {
        ExportCommand::Roster { out, term } => {
            let spinner = Bar::spinner("exporting the roster");
            let export = lvzhi::export::service::roster(db, &Actor::System, term).await;
            spinner.finish();
            let export = export.map_err(|e| e.message())?;
            std::fs::write(&out, &export.bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            tracing::info!(members = export.rows, file = %out.display(), "roster exported");
            Ok(())
        }
        ExportCommand::Attendance { year, out } => {
            let spinner = Bar::spinner("exporting the attendance table");
            let export = lvzhi::export::service::attendance(db, &Actor::System, year).await;
            spinner.finish();
            let export = export.map_err(|e| e.message())?;
            std::fs::write(&out, &export.bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            tracing::info!(members = export.rows, file = %out.display(), "attendance exported");
            Ok(())
        }
        ExportCommand::Assessments { run, out } => {
            let id = super::row_id(&run, lvzhi::relay::Kind::AssessmentRun, "--run")?;
            let spinner = Bar::spinner("exporting the appraisal table");
            let members = lvzhi::assessment::export::assessments(db, &Actor::System, id, &out).await;
            spinner.finish();
            let members = members.map_err(|e| e.message())?;
            tracing::info!(members, file = %out.display(), "assessments exported");
            Ok(())
        }
    }
}
