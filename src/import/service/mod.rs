//! Importing a term's roster (委员名册): every row is checked first ([`rows`]); then either
//! nothing is written (some row is bad), or every row is (one transaction), or — when asked —
//! only the good rows ([`write`]). Existing members are found by member number within the term,
//! then by name and birth date, so importing the same file twice changes nothing.

mod rows;
mod write;

use std::collections::{HashMap, HashSet};

use sea_orm::{DatabaseConnection, DatabaseTransaction};

use self::{
    rows::{Entry, Lookups, Table, duplicates, parse},
    write::{Known, Outcome, Writer},
};
use super::{fields::Column, file};
use crate::{
    auth::{Actor, policy},
    error::AppResult,
};

/// The operation the audit log records for members and seats written by an import.
const OPERATION: &str = "importMembers";
/// Most rows one file may hold.
pub const MAX_ROWS: usize = 5000;

/// Which term the roster is for.
#[derive(Clone, Copy, Debug)]
pub enum TermRef {
    /// By row id (the API's `termId`).
    Id(i64),
    /// By ordinal (10 for 第十届; the command line's `--term`).
    Number(i32),
}

/// How to import.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Write the good rows even when some rows are bad (the bad ones are reported).
    pub only_valid_rows: bool,
    /// Check and count, but write nothing.
    pub dry_run: bool,
}

/// A problem with one cell (or row) of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// The line as Excel shows it (the header is usually line 1).
    pub line: u32,
    /// The column's header as the file writes it.
    pub column: String,
    /// What is wrong.
    pub message: String,
}

/// What an import did (or, for a dry run or a refused file, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Rows that put a member on the term's roster: a new member, or a returning member's new seat.
    pub created: u32,
    /// Rows that changed a member already on the roster.
    pub updated: u32,
    /// Rows that matched a member exactly as stored.
    pub unchanged: u32,
    /// Rows with at least one error (never written).
    pub rejected: u32,
    /// Every error, by line.
    pub errors: Vec<RowError>,
    /// Whether the rows were written: false for a dry run, and when rows were rejected without
    /// `only_valid_rows`.
    pub applied: bool,
}

/// Imports the roster in `file` (.xlsx or CSV) into `term`, as one transaction.
pub async fn import_members(
    db: &DatabaseConnection,
    actor: &Actor,
    file: &[u8],
    term: TermRef,
    options: ImportOptions,
) -> AppResult<ImportReport> {
    policy::import_roster(actor)?;
    let table = Table::of(&file::read_off_thread(file.to_vec()).await?)?;
    // A report not applied (a dry run, or rows refused) has written nothing, so committing it
    // is the same as rolling it back.
    crate::db::atomically(db, async |txn| run(txn, actor, &table, term, options).await).await
}

async fn run(
    txn: &DatabaseTransaction,
    actor: &Actor,
    table: &Table,
    term: TermRef,
    options: ImportOptions,
) -> AppResult<ImportReport> {
    let look = Lookups::load(txn, term).await?;
    let today = crate::dates::today();
    let mut rows: Vec<(Entry, Vec<RowError>)> = table.rows.iter().map(|r| parse(r, table, &look, today)).collect();
    duplicates(&mut rows, table);
    let names: Vec<String> = rows
        .iter()
        .map(|(e, _)| e.name.clone())
        .filter(|n| !n.is_empty())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let known = Known::load(txn, look.term.id, names, today).await?;

    let mut matched: HashMap<i64, u32> = HashMap::new();
    let mut plans: Vec<(Entry, Option<i64>)> = Vec::new();
    let mut report = ImportReport::default();
    for (entry, mut errors) in rows {
        if errors.is_empty() {
            match known.find(&entry, table, &look.term) {
                Ok(Some(id)) => {
                    if let Some(line) = matched.insert(id, entry.line) {
                        errors.push(RowError {
                            line: entry.line,
                            column: table.header(Column::Name),
                            message: format!("this is the same member as line {line}"),
                        });
                    }
                    if !known.seats.contains_key(&id) && entry.party.is_none() {
                        errors.push(party_needed(&entry, table));
                    }
                    if errors.is_empty() {
                        plans.push((entry, Some(id)));
                    }
                }
                Ok(None) if entry.party.is_none() => errors.push(party_needed(&entry, table)),
                Ok(None) => plans.push((entry, None)),
                Err(error) => errors.push(error),
            }
        }
        if !errors.is_empty() {
            report.rejected += 1;
            report.errors.extend(errors);
        }
    }
    report.errors.sort_by_key(|e| e.line);
    if report.rejected > 0 && !options.only_valid_rows {
        return Ok(report);
    }
    let write = !options.dry_run;
    let writer = Writer { txn, actor, term: &look.term, known: &known, today };
    for (entry, id) in &plans {
        match id {
            None => {
                if write {
                    writer.create(entry).await?;
                }
                report.created += 1;
            }
            Some(id) => match writer.update(entry, *id, write).await? {
                Outcome::SeatCreated => report.created += 1,
                Outcome::Changed => report.updated += 1,
                Outcome::Unchanged => report.unchanged += 1,
            },
        }
    }
    report.applied = write;
    Ok(report)
}

fn party_needed(entry: &Entry, table: &Table) -> RowError {
    RowError {
        line: entry.line,
        column: table.header(Column::Party),
        message: "the 党派 is needed for a member new to the term".to_owned(),
    }
}
