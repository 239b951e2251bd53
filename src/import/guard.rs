//! The bounds an imported file must keep, checked before anything is allocated for it: an
//! uploaded file is hostile until proved otherwise. A 5 KB workbook may declare a sheet of
//! 16,384 × 1,048,576 cells or inflate to gigabytes; a CSV file may be one 10 MB line or have
//! thousands of columns. Each is refused as `BAD_USER_INPUT` on the file, never by running
//! out of memory.

use std::io::{self, Cursor, Read};

use crate::error::{AppError, AppResult};

use super::file::FILE_FIELD;

/// Largest file read at all (the API's body limit is usually lower).
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// Most entries a workbook's zip archive may hold.
pub const MAX_ZIP_ENTRIES: usize = 1000;
/// Most bytes a workbook's entries may inflate to, all together.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 64 * 1024 * 1024;
/// Most rows a sheet may span (a roster holds at most 5,000 members, plus its header).
pub const MAX_SHEET_ROWS: u32 = 10_000;
/// Most columns a sheet or CSV line may span (a roster has about thirty).
pub const MAX_COLUMNS: u32 = 100;
/// Most cells (rows × columns) all the sheets of a file may span together.
pub const MAX_CELLS: usize = 1_000_000;
/// Longest CSV line (record), in bytes.
pub const MAX_LINE_BYTES: usize = 256 * 1024;

fn refuse(message: impl Into<String>) -> AppError {
    AppError::bad_field(FILE_FIELD, message)
}

/// Refuses a file larger than [`MAX_FILE_BYTES`].
pub fn check_size(bytes: &[u8]) -> AppResult<()> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(refuse(format!("the file is larger than {} MB", MAX_FILE_BYTES / (1024 * 1024))));
    }
    Ok(())
}

/// Refuses a workbook whose archive has too many entries, declares an entry larger than the
/// limit, or actually inflates past it (declared sizes can lie, so every entry is inflated
/// and counted, and reading stops at the limit).
pub fn check_archive(bytes: &[u8]) -> AppResult<()> {
    let unreadable = || refuse("the file is not a readable .xlsx workbook");
    let too_large =
        || refuse(format!("the workbook unpacks to more than {} MB", MAX_UNCOMPRESSED_BYTES / (1024 * 1024)));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(refuse(format!("the workbook holds more than {MAX_ZIP_ENTRIES} parts")));
    }
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|_| unreadable())?;
        let left = MAX_UNCOMPRESSED_BYTES - total;
        if entry.size() > left {
            return Err(too_large());
        }
        let inflated = io::copy(&mut (&mut entry).take(left + 1), &mut io::sink()).map_err(|_| unreadable())?;
        if inflated > left {
            return Err(too_large());
        }
        total += inflated;
    }
    Ok(())
}

/// The running count of cells the sheets read so far span.
#[derive(Debug, Default)]
pub struct CellBudget {
    spent: usize,
}

impl CellBudget {
    /// Spends `rows × columns` cells of the file's budget, or refuses the file.
    pub fn spend(&mut self, rows: usize, columns: usize) -> AppResult<()> {
        self.spent = self.spent.saturating_add(rows.saturating_mul(columns));
        if self.spent > MAX_CELLS {
            return Err(refuse(format!("the file spans more than {MAX_CELLS} cells")));
        }
        Ok(())
    }
}

/// Refuses a sheet whose declared dimension (`<dimension ref="A1:XFD1048576"/>`) or one of
/// whose cells reaches past the row or column limit. `at` is (row, column), counted from 0.
pub fn check_position(sheet: &str, (row, column): (u32, u32)) -> AppResult<()> {
    if row >= MAX_SHEET_ROWS || column >= MAX_COLUMNS {
        return Err(refuse(format!(
            "worksheet {sheet} reaches cell {}: a roster may span at most {MAX_SHEET_ROWS} rows and {MAX_COLUMNS} columns",
            cell_name(row, column)
        )));
    }
    Ok(())
}

/// The Excel name of a cell: (0, 0) is A1, (1048575, 16383) is XFD1048576.
fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(column) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

/// Refuses a CSV line longer than [`MAX_LINE_BYTES`].
pub fn check_line(line: u32, bytes: usize) -> AppResult<()> {
    if bytes > MAX_LINE_BYTES {
        return Err(refuse(format!("line {line} is longer than {} KB", MAX_LINE_BYTES / 1024)));
    }
    Ok(())
}

/// Refuses a CSV line with more than [`MAX_COLUMNS`] fields, or a file with more than
/// [`MAX_SHEET_ROWS`] lines.
pub fn check_record(line: u32, fields: usize) -> AppResult<()> {
    if fields > MAX_COLUMNS as usize {
        return Err(refuse(format!("line {line} has more than {MAX_COLUMNS} columns")));
    }
    if line > MAX_SHEET_ROWS {
        return Err(refuse(format!("the file has more than {MAX_SHEET_ROWS} lines")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn positions_past_the_limits_are_refused() {
        assert!(check_position("s", (MAX_SHEET_ROWS - 1, MAX_COLUMNS - 1)).is_ok());
        assert!(check_position("s", (MAX_SHEET_ROWS, 0)).is_err());
        assert!(check_position("s", (0, MAX_COLUMNS)).is_err());
    }

    #[test]
    fn the_cell_budget_is_shared_by_every_sheet() {
        let mut budget = CellBudget::default();
        assert!(budget.spend(MAX_CELLS / 2, 1).is_ok());
        assert!(budget.spend(MAX_CELLS / 2, 1).is_ok());
        assert!(budget.spend(1, 1).is_err());
    }
}
