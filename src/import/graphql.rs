//! The roster import in the API: `importMembers`, a file sent as a GraphQL multipart request.

use std::io::Read;

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject, Upload};

use super::service::{self, ImportOptions, ImportReport, RowError, TermRef};
use crate::{
    context::ContextExt,
    error::{AppError, AppResult, Under},
    relay::{Kind, decode_id},
};

/// A roster file to import into a term.
#[derive(InputObject)]
pub struct ImportMembersInput {
    /// The file: an Excel workbook (.xlsx) or CSV (UTF-8, or GBK as Excel writes it on Chinese
    /// Windows), with a header row naming the columns (姓名 required).
    pub file: Upload,
    /// The term the roster is for.
    pub term_id: ID,
    /// Write the good rows even when some rows are bad (the bad ones are reported).
    #[graphql(default = false)]
    pub only_valid_rows: bool,
    /// Check and count, but write nothing.
    #[graphql(default = false)]
    pub dry_run: bool,
}

/// A problem with one row of an imported file.
#[derive(SimpleObject)]
pub struct ImportError {
    /// The line as Excel shows it (the header row is line 1).
    pub line: u32,
    /// The column's header as the file writes it (e.g. 出生日期).
    pub column: String,
    /// What is wrong.
    pub message: String,
}

impl From<RowError> for ImportError {
    fn from(e: RowError) -> Self {
        Self { line: e.line, column: e.column, message: e.message }
    }
}

/// What an import did: nothing is written unless every row is good, or `onlyValidRows` asked
/// for the good rows alone.
#[derive(SimpleObject)]
pub struct ImportMembersPayload {
    /// Rows that put a member on the term's roster (a new member, or a returning member's new seat).
    pub created: u32,
    /// Rows that changed a member already on the roster.
    pub updated: u32,
    /// Rows that matched a member exactly as stored.
    pub unchanged: u32,
    /// Rows refused (each has at least one entry in `errors`).
    pub rejected: u32,
    /// The problems, by line: the first 1,000 (`rejected` counts every refused row).
    #[graphql(complexity = "crate::cost::list(crate::cost::IMPORT_ERRORS, child_complexity)")]
    pub errors: Vec<ImportError>,
    /// Whether the rows were written: false for a dry run, and when rows were rejected without
    /// `onlyValidRows`.
    pub applied: bool,
}

impl From<ImportReport> for ImportMembersPayload {
    fn from(r: ImportReport) -> Self {
        Self {
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            rejected: r.rejected,
            errors: r.errors.into_iter().take(crate::cost::IMPORT_ERRORS).map(ImportError::from).collect(),
            applied: r.applied,
        }
    }
}

/// The bytes of an uploaded file.
fn uploaded(ctx: &Context<'_>, file: &Upload) -> AppResult<Vec<u8>> {
    let unreadable = || AppError::bad_field("file", "the uploaded file cannot be read");
    let mut bytes = Vec::new();
    file.value(ctx).map_err(|_| unreadable())?.into_read().read_to_end(&mut bytes).map_err(|_| unreadable())?;
    Ok(bytes)
}

/// The roster import (ADMIN and OFFICE).
#[derive(Default)]
pub struct ImportMutation;

#[Object]
impl ImportMutation {
    /// Imports a term's roster (委员名册) from an .xlsx or CSV file sent as a GraphQL multipart
    /// request: creates or updates members, seats, committee memberships and studio
    /// assignments in one transaction, and reports every bad row by line and column.
    async fn import_members(&self, ctx: &Context<'_>, input: ImportMembersInput) -> Result<ImportMembersPayload> {
        let term = decode_id(Kind::Term, &input.term_id, "termId").under("input")?;
        let bytes = uploaded(ctx, &input.file).under("input")?;
        let options = ImportOptions { only_valid_rows: input.only_valid_rows, dry_run: input.dry_run };
        let report = service::import_members(ctx.db()?, ctx.actor()?, &bytes, TermRef::Id(term), options)
            .await
            .under("input")?;
        Ok(report.into())
    }
}
