//! `lvzhi import members`: a term's roster (委员名册) from an .xlsx or CSV file.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use lvzhi::auth::Actor;
use sea_orm::DatabaseConnection;

use super::progress::Bar;

/// What to import.
#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import a term's roster (委员名册) from an .xlsx or CSV file (UTF-8 or GBK), as the
    /// system; every bad row is listed, and nothing is written unless every row is good.
    Members {
        /// The file.
        file: PathBuf,
        /// The term's number (10 for 第十届).
        #[arg(long)]
        term: i32,
        /// Write the good rows even when some rows are bad.
        #[arg(long)]
        only_valid_rows: bool,
        /// Check and count, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs an import as the system.
pub async fn run(db: &DatabaseConnection, command: ImportCommand) -> Result<(), String> {
    match command {
        ImportCommand::Members { file, term, only_valid_rows, dry_run } => {
            members(db, &file, term, only_valid_rows, dry_run).await
        }
    }
}

/// Imports a roster file and prints the report: the counts, then one line per error.
async fn members(
    db: &DatabaseConnection,
    file: &Path,
    term: i32,
    only_valid_rows: bool,
    dry_run: bool,
) -> Result<(), String> {
    use lvzhi::import::service::{ImportOptions, TermRef, import_members};
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let options = ImportOptions { only_valid_rows, dry_run };
    let spinner = Bar::spinner("checking and importing the roster");
    let report = import_members(db, &Actor::System, &bytes, TermRef::Number(term), options).await;
    spinner.finish();
    let report = report.map_err(|e| e.message())?;
    let mut text = format!(
        "{} created, {} updated, {} unchanged, {} rejected\n",
        report.created, report.updated, report.unchanged, report.rejected
    );
    for e in &report.errors {
        text.push_str(&format!("line {}, {}: {}\n", e.line, e.column, e.message));
    }
    text.push_str(match (report.applied, dry_run) {
        (true, _) => "written.\n",
        (false, true) => "dry run: nothing was written.\n",
        (false, false) => {
            "nothing was written: correct the rows above, or import the good ones with --only-valid-rows.\n"
        }
    });
    super::print(&text)?;
    if report.rejected > 0 && !only_valid_rows {
        return Err(format!("rows rejected: {}; nothing was written", report.rejected));
    }
    Ok(())
}
