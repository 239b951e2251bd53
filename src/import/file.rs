//! Reading an uploaded roster into rows of cells, numbered as the user sees them in Excel
//! (the first row of the sheet is line 1): an Excel workbook (.xlsx), or a CSV file as Excel
//! writes it — UTF-8 with or without a byte-order mark, or GBK/GB18030 ("CSV (逗号分隔)" on
//! Chinese Windows). Text is decoded strictly: a field that is not valid in the file's
//! encoding becomes an [`Cell::Invalid`] cell (a row error later), never silent mojibake.

use std::io::Cursor;

use calamine::{Data, DataRef, Reader, Xlsx, XlsxError, open_workbook_from_rs};
use chrono::NaiveDate;
use encoding_rs::{Encoding, GB18030};

use super::guard::{self, CellBudget};
use crate::error::{AppError, AppResult};

/// The field file-level errors name, as the import's input calls it (the API places it under
/// `input`).
pub const FILE_FIELD: &str = "file";

/// One cell of a sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing in it.
    Empty,
    /// Text (for CSV, every non-empty field).
    Text(String),
    /// A number typed into Excel.
    Number(f64),
    /// A date typed into Excel.
    Date(NaiveDate),
    /// TRUE or FALSE typed into Excel.
    Bool(bool),
    /// A cell that cannot be read, and why.
    Invalid(String),
}

impl Cell {
    /// Whether the cell holds nothing but blanks.
    pub fn is_blank(&self) -> bool {
        match self {
            Self::Empty => true,
            Self::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A row of a sheet and its line number in Excel.
#[derive(Clone, Debug)]
pub struct Row {
    /// Line number as Excel shows it (1 = the first row of the sheet).
    pub line: u32,
    /// The cells, from column A on.
    pub cells: Vec<Cell>,
}

/// What a file turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// An Excel workbook.
    Xlsx,
    /// CSV in UTF-8.
    CsvUtf8,
    /// CSV in GBK/GB18030.
    CsvGbk,
}

/// The sheets of a file: every worksheet of a workbook, or the one table of a CSV file.
#[derive(Clone, Debug)]
pub struct Sheets {
    /// What the file is.
    pub format: Format,
    /// The sheets in file order, each a list of rows (blank rows included).
    pub sheets: Vec<Vec<Row>>,
}

/// [`read`] on a blocking thread: parsing a file is CPU work that must not stall the async
/// workers serving other requests.
pub async fn read_off_thread(bytes: Vec<u8>) -> AppResult<Sheets> {
    tokio::task::spawn_blocking(move || read(&bytes))
        .await
        .map_err(|err| AppError::Internal(format!("reading an imported file failed: {err}")))?
}

/// Reads `bytes` as an .xlsx workbook (recognised by its content, not its name) or as CSV,
/// within the bounds of [`guard`].
pub fn read(bytes: &[u8]) -> AppResult<Sheets> {
    let bad = |message: &str| AppError::bad_field(FILE_FIELD, message);
    guard::check_size(bytes)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(bad("the file is empty"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(bad("this is an old Excel 97-2003 (.xls) workbook: save it as .xlsx or as CSV and import that"));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(bad("this is UTF-16 text: save it from Excel as \"CSV UTF-8\" or \"CSV (逗号分隔)\""));
    }
    read_csv(bytes)
}

fn read_xlsx(bytes: &[u8]) -> AppResult<Sheets> {
    guard::check_archive(bytes)?;
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| AppError::bad_field(FILE_FIELD, "the file is not a readable .xlsx workbook"))?;
    let mut budget = CellBudget::default();
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let unreadable = || AppError::bad_field(FILE_FIELD, format!("worksheet {name} cannot be read"));
        // The cells are read one by one and placed here, never through calamine's dense range,
        // which allocates the whole rectangle the sheet declares before reading a cell.
        let mut reader = match book.worksheet_cells_reader(&name) {
            Ok(reader) => reader,
            Err(XlsxError::NotAWorksheet(_)) => {
                sheets.push(Vec::new());
                continue;
            }
            Err(_) => return Err(unreadable()),
        };
        guard::check_position(&name, reader.dimensions().end)?;
        let mut cells = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(|_| unreadable())? {
            if matches!(cell.get_value(), DataRef::Empty) {
                continue;
            }
            guard::check_position(&name, cell.get_position())?;
            cells.push((cell.get_position(), cell_of(&Data::from(cell.get_value().clone()))));
        }
        sheets.push(rows_of(cells, &mut budget)?);
    }
    Ok(Sheets { format: Format::Xlsx, sheets })
}

/// Lays a sheet's cells out as rows from its first used row to its last, each from column A
/// to the last used column.
fn rows_of(cells: Vec<((u32, u32), Cell)>, budget: &mut CellBudget) -> AppResult<Vec<Row>> {
    let Some(first) = cells.iter().map(|((r, _), _)| *r).min() else {
        return Ok(Vec::new());
    };
    let last = cells.iter().map(|((r, _), _)| *r).max().unwrap_or(first);
    let width = cells.iter().map(|((_, c), _)| *c as usize + 1).max().unwrap_or(0);
    let height = (last - first) as usize + 1;
    budget.spend(height, width)?;
    let mut rows: Vec<Row> =
        (first..=last).map(|r| Row { line: r.saturating_add(1), cells: vec![Cell::Empty; width] }).collect();
    for ((r, c), cell) in cells {
        rows[(r - first) as usize].cells[c as usize] = cell;
    }
    Ok(rows)
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => text_cell(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            Some(at) => Cell::Date(at.date()),
            None => Cell::Invalid("the date in the cell is out of range".to_owned()),
        },
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::Error(e) => Cell::Invalid(format!("the cell shows the Excel error {e}")),
    }
}

/// Marks text that already is mojibake (replacement characters, the 锟斤拷 of GBK-decoded
/// replacement characters) as invalid; keeps anything else.
fn text_cell(text: String) -> Cell {
    if text.contains('\u{FFFD}') || text.contains("锟斤拷") {
        Cell::Invalid("the text is garbled (mojibake): correct it in the file".to_owned())
    } else if text.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(text)
    }
}

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

fn read_csv(bytes: &[u8]) -> AppResult<Sheets> {
    let (bytes, bom) = match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let records = split_records(bytes)?;
    let encoding = if bom { Format::CsvUtf8 } else { guess_encoding(&records) };
    let rows = records
        .into_iter()
        .zip(1u32..)
        .map(|(fields, line)| Row { line, cells: fields.iter().map(|f| decode(f, encoding)).collect() })
        .collect();
    Ok(Sheets { format: encoding, sheets: vec![rows] })
}

/// UTF-8 unless most fields with non-ASCII bytes are not valid UTF-8 (then GBK/GB18030, whose
/// bytes are seldom valid UTF-8 while the reverse is common).
fn guess_encoding(records: &[Vec<Vec<u8>>]) -> Format {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for field in records.iter().flatten().filter(|f| !f.is_ascii()) {
        if std::str::from_utf8(field).is_ok() {
            valid += 1;
        } else {
            invalid += 1;
        }
    }
    if invalid > valid { Format::CsvGbk } else { Format::CsvUtf8 }
}

fn decode(field: &[u8], format: Format) -> Cell {
    let (encoding, name): (&'static Encoding, &str) = match format {
        Format::CsvGbk => (GB18030, "GBK"),
        _ => (encoding_rs::UTF_8, "UTF-8"),
    };
    match encoding.decode_without_bom_handling_and_without_replacement(field) {
        Some(text) => text_cell(text.into_owned()),
        None => Cell::Invalid(format!(
            "the text is not valid {name} (the rest of the file is {name}): correct the characters in the file"
        )),
    }
}

/// Splits CSV bytes into records of raw fields (RFC 4180: quoted fields may hold commas,
/// doubled quotes and line breaks). The delimiters are ASCII, and no byte of a GBK/GB18030
/// multi-byte character is one of them, so splitting before decoding is safe. A header line
/// with tabs and no commas makes the file tab-separated. Lines longer than
/// [`guard::MAX_LINE_BYTES`], with more than [`guard::MAX_COLUMNS`] fields, or more lines than
/// [`guard::MAX_SHEET_ROWS`] are refused as they are met.
fn split_records(bytes: &[u8]) -> AppResult<Vec<Vec<Vec<u8>>>> {
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = if !first_line.contains(&b',') && first_line.contains(&b'\t') { b'\t' } else { b',' };
    let mut records = Vec::new();
    let mut record: Vec<Vec<u8>> = Vec::new();
    let mut field = Vec::new();
    let (mut quoted, mut started) = (false, false);
    let (mut i, mut line_start) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let line = u32::try_from(records.len()).unwrap_or(u32::MAX).saturating_add(1);
        guard::check_line(line, i - line_start)?;
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    field.push(b'"');
                    i += 1;
                } else {
                    quoted = false;
                }
            } else {
                field.push(b);
            }
        } else if b == b'"' && !started {
            quoted = true;
            started = true;
        } else if b == delimiter {
            record.push(std::mem::take(&mut field));
            guard::check_record(line, record.len())?;
            started = false;
        } else if b == b'\n' || b == b'\r' {
            if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            record.push(std::mem::take(&mut field));
            guard::check_record(line, record.len())?;
            records.push(std::mem::take(&mut record));
            line_start = i + 1;
            started = false;
        } else {
            field.push(b);
            started = true;
        }
        i += 1;
    }
    if started || !field.is_empty() || !record.is_empty() {
        record.push(field);
        let line = u32::try_from(records.len()).unwrap_or(u32::MAX).saturating_add(1);
        guard::check_record(line, record.len())?;
        records.push(record);
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sheets: &Sheets) -> Vec<Vec<Cell>> {
        sheets.sheets[0].iter().map(|r| r.cells.clone()).collect()
    }

    #[test]
    fn csv_quotes_commas_and_line_breaks() {
        let sheets = read(b"a,\"b,\"\"c\"\"\"\r\n\"x\ny\",\n").unwrap_or_else(|e| panic!("{}", e.message()));
        let t = |s: &str| Cell::Text(s.to_owned());
        assert_eq!(texts(&sheets), vec![vec![t("a"), t("b,\"c\"")], vec![t("x\ny"), Cell::Empty]]);
    }

    #[test]
    fn gbk_is_detected_and_invalid_bytes_are_a_cell_error() {
        let (gbk, _, _) = GB18030.encode("姓名,界别\n陳建華,经济界\n");
        let mut bytes = gbk.into_owned();
        bytes.extend_from_slice(b"\xFF\xFE\x81,x\n");
        let sheets = read(&bytes).unwrap_or_else(|e| panic!("{}", e.message()));
        assert_eq!(sheets.format, Format::CsvGbk);
        let rows = texts(&sheets);
        assert_eq!(rows[1][0], Cell::Text("陳建華".to_owned()));
        assert!(matches!(rows[2][0], Cell::Invalid(_)));
    }

    #[test]
    fn utf8_with_bom_is_utf8() {
        let sheets = read("\u{FEFF}姓名\n李晓秋\n".as_bytes()).unwrap_or_else(|e| panic!("{}", e.message()));
        assert_eq!(sheets.format, Format::CsvUtf8);
        assert_eq!(texts(&sheets)[0][0], Cell::Text("姓名".to_owned()));
    }

    #[test]
    fn old_xls_and_empty_files_are_refused() {
        assert!(read(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0]).is_err());
        assert!(read(b"  \n").is_err());
    }
}
