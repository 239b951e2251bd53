//! Values a workbook can hold, whatever a stored row holds. Input checks keep new rows inside
//! Excel's limits (`validate`), but a row written before them, or straight into the database,
//! must not fail a whole export: a text over Excel's cell limit is cut with a note, and a date
//! Excel cannot hold (before 1900) is written as text.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Worksheet, XlsxError};

/// The most a cell holds, in UTF-16 code units (Excel's limit, which rust_xlsxwriter enforces).
pub const MAX_CELL_UNITS: usize = 32_767;

/// The note that ends a text cut to fit a cell.
pub const CUT_NOTE: &str = "……（超出单元格长度，已截断）";

/// `text` if a cell holds it; otherwise its start, cut at a character, with [`CUT_NOTE`].
pub fn fit(text: &str) -> Cow<'_, str> {
    if text.encode_utf16().count() <= MAX_CELL_UNITS {
        return Cow::Borrowed(text);
    }
    let room = MAX_CELL_UNITS - CUT_NOTE.encode_utf16().count();
    let mut used = 0;
    let end = text
        .char_indices()
        .find(|(_, c)| {
            used += c.len_utf16();
            used > room
        })
        .map_or(text.len(), |(i, _)| i);
    Cow::Owned(format!("{}{CUT_NOTE}", &text[..end]))
}

/// The most characters of a sheet name (Excel's limit).
pub const MAX_SHEET_NAME_CHARS: usize = 31;

/// `wanted` as a sheet name Excel accepts: without the characters it refuses (`[]:*?/\`),
/// apostrophes at either end trimmed, at most 31 characters; `fallback` when nothing is left.
pub fn sheet_name(wanted: &str, fallback: &str) -> String {
    let kept: String = wanted.chars().filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control()).collect();
    let name: String = kept.trim_matches('\'').trim().chars().take(MAX_SHEET_NAME_CHARS).collect();
    let name = name.trim_matches('\'').trim();
    if name.is_empty() { fallback.to_owned() } else { name.to_owned() }
}

/// Writes `text` into a cell, cut to fit when it is too long.
pub fn write_text(sheet: &mut Worksheet, row: u32, col: u16, text: &str) -> Result<(), XlsxError> {
    sheet.write_string(row, col, fit(text))?;
    Ok(())
}

/// Writes `date` as a date with `format`, or as its ISO text when Excel cannot hold it (before
/// 1900 or after 9999).
pub fn write_date(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    date: NaiveDate,
    format: &Format,
) -> Result<(), XlsxError> {
    match excel_date(date) {
        Some(d) => sheet.write_datetime_with_format(row, col, d, format)?,
        None => sheet.write_string(row, col, date.to_string())?,
    };
    Ok(())
}

fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    // Excel's dates begin on 1900-01-01 (serial 1); rust_xlsxwriter would write 1899-12-31 as
    // serial 0, which Excel shows as "1900-01-00".
    if d.year() < 1900 {
        return None;
    }
    let year = u16::try_from(d.year()).ok()?;
    let month = u8::try_from(d.month()).ok()?;
    let day = u8::try_from(d.day()).ok()?;
    ExcelDateTime::from_ymd(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_over_the_cell_limit_is_cut_with_a_note_and_fits() {
        let long = "李".repeat(40_000);
        let cut = fit(&long);
        assert!(cut.ends_with(CUT_NOTE));
        assert!(cut.encode_utf16().count() <= MAX_CELL_UNITS);
        let astral = "𠀀".repeat(20_000);
        assert!(fit(&astral).encode_utf16().count() <= MAX_CELL_UNITS);
        assert_eq!(fit("王芳"), "王芳");
    }

    #[test]
    fn sheet_names_lose_what_excel_refuses_and_fit_31_characters() {
        assert_eq!(sheet_name("第十届委员名册", "x"), "第十届委员名册");
        assert_eq!(sheet_name("a[b]:c*d?e/f\\g", "x"), "abcdefg");
        assert_eq!(sheet_name(&"届".repeat(40), "x").chars().count(), 31);
        assert_eq!(sheet_name("'''", "名册"), "名册");
    }

    #[test]
    fn dates_before_1900_are_no_excel_dates() {
        assert!(excel_date(NaiveDate::from_ymd_opt(1899, 12, 31).unwrap_or_default()).is_none());
        assert!(excel_date(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default()).is_some());
    }
}
