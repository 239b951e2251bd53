//! The calendar every domain shares: what "today" is and the bounds of a year.

use chrono::{Local, NaiveDate};

use crate::error::{AppError, AppResult};

/// Today in the server's time zone: the day "current" refers to.
pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// The first and last day of `year`, a year from 1900 to 9999; outside that, BAD_USER_INPUT
/// naming the field `year`.
pub fn year_bounds(year: i32) -> AppResult<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1);
    let last = NaiveDate::from_ymd_opt(year, 12, 31);
    match (first, last) {
        (Some(first), Some(last)) if (1900..=9999).contains(&year) => Ok((first, last)),
        _ => Err(AppError::bad_field("year", format!("year {year} is out of range"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_is_bounded_by_its_first_and_last_day_and_refused_out_of_range() {
        let (first, last) = year_bounds(2024).unwrap_or_else(|e| panic!("{}", e.message()));
        assert_eq!((first.to_string(), last.to_string()), ("2024-01-01".to_owned(), "2024-12-31".to_owned()));
        assert!(matches!(year_bounds(1899), Err(AppError::BadInput { field: Some(f), .. }) if f == "year"));
        assert!(year_bounds(10_000).is_err());
    }
}
