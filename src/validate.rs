//! Input checks shared by every service. Each names the input field at fault.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::error::{AppError, AppResult};

/// Most characters a name may have.
pub const MAX_NAME_CHARS: usize = 100;
/// Most characters of a free text.
pub const MAX_TEXT_CHARS: usize = 5000;

/// A required text: trimmed, not empty, at most `max` characters, without control characters.
/// A free text (one allowed [`MAX_TEXT_CHARS`]: notes, descriptions, addresses) may hold line
/// breaks and tabs; a shorter text (a name, a title, a number) is one line.
pub fn required(field: &str, value: &str, max: usize) -> AppResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::bad_field(field, format!("{field} must not be empty")));
    }
    if value.chars().count() > max {
        return Err(AppError::bad_field(field, format!("{field} must be at most {max} characters")));
    }
    let multi_line = max >= MAX_TEXT_CHARS;
    let allowed = |c: char| multi_line && matches!(c, '\n' | '\r' | '\t');
    if let Some(c) = value.chars().find(|&c| c.is_control() && !allowed(c)) {
        return Err(AppError::bad_field(
            field,
            format!("{field} must not contain control characters (U+{:04X})", u32::from(c)),
        ));
    }
    Ok(value.to_owned())
}

/// An optional text: trimmed; empty becomes none; at most `max` characters.
pub fn optional(field: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => required(field, v, max).map(Some),
    }
}

/// `end` must not fall before `start`.
pub fn date_order(field: &str, start: NaiveDate, end: Option<NaiveDate>) -> AppResult<()> {
    match end {
        Some(end) if end < start => {
            Err(AppError::bad_field(field, format!("{field} {end} is before the start {start}")))
        }
        _ => Ok(()),
    }
}

/// The earliest year of a birth date: 1900, the first year an Excel workbook can hold a date
/// in (the exports write birth dates as dates).
pub const EARLIEST_BIRTH_YEAR: i32 = 1900;

/// A birth date: from 1900-01-01 to `today`.
pub fn birth_date(field: &str, date: Option<NaiveDate>, today: NaiveDate) -> AppResult<Option<NaiveDate>> {
    match date {
        Some(d) if d.year() < EARLIEST_BIRTH_YEAR || d > today => Err(AppError::bad_field(
            field,
            format!("{field} {d} is not a plausible birth date (from {EARLIEST_BIRTH_YEAR}-01-01 to today)"),
        )),
        _ => Ok(date),
    }
}

/// A non-negative quantity with at most `places` decimal places and at most `max`, as an
/// integer count of its smallest unit (`places` = 2: fen or hundredths; 1: tenths): the form
/// quantities are stored and summed in. `what` describes the quantity for the message ("an
/// amount in yuan"). Checked throughout: a huge value is BAD_USER_INPUT on `field`, never an
/// overflow.
pub fn scaled(field: &str, value: Decimal, places: u32, max: i64, what: &str) -> AppResult<i64> {
    let bad = || {
        AppError::bad_field(
            field,
            format!("{field} must be {what} from 0 to {max} with at most {places} decimal place(s)"),
        )
    };
    if value.is_sign_negative() && !value.is_zero() {
        return Err(bad());
    }
    if value > Decimal::from(max) || value.normalize().scale() > places {
        return Err(bad());
    }
    let unit = Decimal::from(10_i64.checked_pow(places).ok_or_else(bad)?);
    let units = value.checked_mul(unit).ok_or_else(bad)?;
    i64::try_from(units.trunc()).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_trims_and_rejects_blank_and_long_text() {
        assert_eq!(required("name", "  李晓秋 ", 10).ok().as_deref(), Some("李晓秋"));
        assert!(matches!(required("name", "   ", 10), Err(AppError::BadInput { field: Some(f), .. }) if f == "name"));
        assert!(required("name", "一二三四五六", 5).is_err());
    }

    fn refused_for_control(field: &str, value: &str, max: usize) -> bool {
        matches!(required(field, value, max), Err(AppError::BadInput { field: Some(f), message })
            if f == field && message.contains("control characters"))
    }

    #[test]
    fn names_refuse_every_control_character_line_breaks_and_tabs_included() {
        for bad in ["\u{5}", "a\u{0}b", "委员\u{7F}", "a\u{9B}b", "第一\n第二", "a\tb", "a\rb"] {
            assert!(refused_for_control("name", bad, MAX_NAME_CHARS), "{bad:?}");
        }
        assert!(required("name", "\t李晓秋\n", MAX_NAME_CHARS).is_ok(), "blanks around a name are trimmed");
    }

    #[test]
    fn free_texts_keep_line_breaks_and_tabs_but_refuse_other_control_characters() {
        assert_eq!(required("notes", "第一行\r\n\t第二行", MAX_TEXT_CHARS).ok().as_deref(), Some("第一行\r\n\t第二行"));
        assert!(refused_for_control("notes", "响铃\u{7}", MAX_TEXT_CHARS));
        assert!(matches!(optional("notes", Some("a\u{1B}[31m"), MAX_TEXT_CHARS), Err(AppError::BadInput { .. })));
    }

    #[test]
    fn scaled_quantities_are_checked_without_overflow() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(scaled("donations", d("12.34"), 2, 100, "an amount").ok(), Some(1234));
        assert_eq!(scaled("hours", d("1.50"), 1, 100, "hours").ok(), Some(15));
        for bad in ["-1", "0.001", "101", "99999999999999999999999", "79228162514264337593543950335"] {
            assert!(
                matches!(scaled("donations", d(bad), 2, 100, "an amount"), Err(AppError::BadInput { field: Some(f), .. }) if f == "donations"),
                "{bad}"
            );
        }
        assert_eq!(scaled("hours", Decimal::MAX, 0, i64::MAX, "hours").ok(), None);
    }

    #[test]
    fn birth_dates_start_in_1900_and_end_today() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let today = day(2026, 12, 7);
        assert!(birth_date("birthDate", Some(day(1900, 1, 1)), today).is_ok());
        assert!(birth_date("birthDate", Some(day(1899, 12, 31)), today).is_err());
        assert!(birth_date("birthDate", Some(day(2026, 12, 8)), today).is_err());
        assert!(birth_date("birthDate", None, today).is_ok());
    }
}
