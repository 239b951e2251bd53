//! Input checks shared by every service. Each names the input field at fault.

use chrono::NaiveDate;

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
}
