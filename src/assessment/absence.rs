//! Absence limits (缺席上限): a rule set may say that so many unexcused absences from chosen
//! meetings — in the assessed year, or in the term up to the end of that year — raise a flag
//! (e.g. 3 standing-committee meetings a year or 7 a term → 劝辞). The per-term count covers
//! the term's years from its first day to the end of the assessed year, so the run of the
//! term's last year sees the whole term. Each limit reached is stored on the result with its
//! count (`member_assessment.absence_flags`), so adjusting a result keeps the flag and its
//! reason.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ActiveEnum, ConnectionTrait, Value};
use serde::{Deserialize, Serialize};

use super::engine::{Seated, marks, statement};
use crate::{
    dates::year_bounds,
    error::{AppError, AppResult},
};
use entity::enums::{ActivityKind, ConsequenceFlag};

/// The largest count a limit may name.
pub const MAX_LIMIT: u32 = 1000;

/// An absence limit of a rule set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AbsenceLimit {
    /// Code, unique among the rule set's limits.
    pub code: String,
    /// Chinese label, e.g. "无故缺席常委会议".
    pub label: String,
    /// The kinds of meeting counted (at least one).
    pub activity_kinds: Vec<ActivityKind>,
    /// Unexcused absences in the assessed year that raise the flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_year: Option<u32>,
    /// Unexcused absences in the term, up to the end of the assessed year, that raise the flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_term: Option<u32>,
    /// The flag raised: REMINDER_TALK or PERSUADE_RESIGN.
    pub flag: ConsequenceFlag,
}

/// A limit a member reached, as stored on the result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reached {
    /// The limit's code.
    pub code: String,
    /// Its label.
    pub label: String,
    /// The flag raised.
    pub flag: ConsequenceFlag,
    /// "YEAR" or "TERM".
    pub span: String,
    /// The member's unexcused absences in that span.
    pub count: u32,
    /// The limit.
    pub limit: u32,
}

impl Reached {
    /// The reason a flag detail gives, e.g. "本年度无故缺席常委会议3次（上限3次）".
    pub fn reason(&self) -> String {
        let span = if self.span == "YEAR" { "本年度" } else { "本届" };
        format!("{span}{}{}次（上限{}次）", self.label, self.count, self.limit)
    }
}

/// Checks the limits of a definition; errors name the field as the definition calls it
/// (`absenceLimits.0.perYear`).
pub fn validate(limits: &[AbsenceLimit]) -> AppResult<()> {
    if limits.len() > super::rules::MAX_RULES {
        return Err(AppError::bad_field("absenceLimits", "absenceLimits may hold at most 200 entries"));
    }
    let mut codes = HashSet::new();
    for (i, l) in limits.iter().enumerate() {
        let f = |name: &str| format!("absenceLimits.{i}.{name}");
        let code_ok = !l.code.is_empty()
            && l.code.len() <= 64
            && l.code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !code_ok {
            return Err(AppError::bad_field(
                f("code"),
                format!("{} must be 1–64 letters, digits, '_' or '-'", f("code")),
            ));
        }
        if !codes.insert(l.code.as_str()) {
            return Err(AppError::bad_field(f("code"), format!("{} {:?} is used twice", f("code"), l.code)));
        }
        crate::validate::required(&f("label"), &l.label, crate::validate::MAX_NAME_CHARS)?;
        if l.activity_kinds.is_empty() {
            return Err(AppError::bad_field(f("activityKinds"), format!("{} must name a kind", f("activityKinds"))));
        }
        if l.per_year.is_none() && l.per_term.is_none() {
            return Err(AppError::bad_field(f("perYear"), format!("give {} or {}", f("perYear"), f("perTerm"))));
        }
        for (name, value) in [("perYear", l.per_year), ("perTerm", l.per_term)] {
            if value.is_some_and(|n| !(1..=MAX_LIMIT).contains(&n)) {
                return Err(AppError::bad_field(f(name), format!("{} must be between 1 and {MAX_LIMIT}", f(name))));
            }
        }
        if !matches!(l.flag, ConsequenceFlag::ReminderTalk | ConsequenceFlag::PersuadeResign) {
            return Err(AppError::bad_field(
                f("flag"),
                format!("{} must be REMINDER_TALK or PERSUADE_RESIGN", f("flag")),
            ));
        }
    }
    Ok(())
}

/// The limits each member reached in `year`: one query per limit and term start (a run has
/// one or two term starts), each counting the year's and the term's absences together.
pub async fn reached(
    db: &impl ConnectionTrait,
    limits: &[AbsenceLimit],
    members: &[Seated],
    year: i32,
) -> AppResult<HashMap<i64, Vec<Reached>>> {
    let mut out: HashMap<i64, Vec<Reached>> = HashMap::new();
    if limits.is_empty() {
        return Ok(out);
    }
    let (first, last) = year_bounds(year)?;
    let starts: HashSet<NaiveDate> = members.iter().map(|s| s.term_start).collect();
    for limit in limits {
        let mut counts: HashMap<(NaiveDate, i64), (u32, u32)> = HashMap::new();
        for &start in &starts {
            let kinds: Vec<Value> = limit.activity_kinds.iter().map(|k| k.to_value().into()).collect();
            let sql = format!(
                "SELECT p.member_id, \
                 SUM(CASE WHEN p.activity_date >= ? THEN 1 ELSE 0 END) AS in_year, COUNT(*) AS in_term \
                 FROM participation p JOIN activity a ON a.id = p.activity_id \
                 WHERE a.kind IN ({}) AND a.status = 'DONE' AND a.voided_at IS NULL AND p.attendance = 'ABSENT' \
                 AND p.activity_date >= ? AND p.activity_date <= ? GROUP BY p.member_id",
                marks(kinds.len())
            );
            let mut values = vec![Value::ChronoDate(Some(first))];
            values.extend(kinds);
            values.extend([Value::ChronoDate(Some(start)), Value::ChronoDate(Some(last))]);
            for row in db.query_all_raw(statement(db.get_database_backend(), &sql, values)).await? {
                let member: i64 = row.try_get("", "member_id")?;
                let in_year: i64 = row.try_get("", "in_year")?;
                let in_term: i64 = row.try_get("", "in_term")?;
                let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
                counts.insert((start, member), (n(in_year), n(in_term)));
            }
        }
        for s in members {
            let (in_year, in_term) = counts.get(&(s.term_start, s.member_id)).copied().unwrap_or_default();
            for (span, count, bound) in [("YEAR", in_year, limit.per_year), ("TERM", in_term, limit.per_term)] {
                if let Some(bound) = bound.filter(|b| count >= *b) {
                    out.entry(s.member_id).or_default().push(Reached {
                        code: limit.code.clone(),
                        label: limit.label.clone(),
                        flag: limit.flag,
                        span: span.to_owned(),
                        count,
                        limit: bound,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// The stored form of a result's limits reached.
pub fn to_json(reached: &[Reached]) -> AppResult<String> {
    serde_json::to_string(reached).map_err(|e| AppError::Internal(format!("absence flags do not serialise: {e}")))
}

/// A result's limits reached, from their stored form (none when unreadable).
pub fn from_json(text: &str) -> Vec<Reached> {
    serde_json::from_str(text).unwrap_or_default()
}

/// Whether the limits reached raise (reminder, resign).
pub fn flags(reached: &[Reached]) -> (bool, bool) {
    (
        reached.iter().any(|r| r.flag == ConsequenceFlag::ReminderTalk),
        reached.iter().any(|r| r.flag == ConsequenceFlag::PersuadeResign),
    )
}
