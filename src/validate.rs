//! Input checks shared by every service. Each names the input field at fault.

use chrono::NaiveDate;

use crate::error::{AppError, AppResult};

/// Most characters a name may have.
pub const MAX_NAME_CHARS: usize = 100;
/// Most characters of a free text.
pub const MAX_TEXT_CHARS: usize = 5000;

/// A required text: trimmed, not empty, at most `max` characters.
pub fn required(field: &str, value: &str, max: usize) -> AppResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::bad_field(field, format!("{field} must not be empty")));
    }
    if value.chars().count() > max {
        return Err(AppError::bad_field(field, format!("{field} must be at most {max} characters")));
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
}
