//! Duty-record aggregates: a year's figures per month (participations and attendance per
//! activity kind, proposals submitted and accepted, public-opinion reports submitted and
//! adopted, training hours) and a member's participations per activity kind. Every figure is a
//! `GROUP BY` in the database: four statements for the months, one for any number of members.
//! The same figures per group of members are in [`super::duty_groups`], which counts
//! participations here.
//!
//! Attendance is counted as `stats` counts it: participation rows of activities that took place
//! (status DONE) in the year, attended meaning present, late or leaving early; the attendance
//! rate of a kind is attended rows over recorded rows. All of it is in
//! [`participation_counts`]: invitations only (列席 never counts), and only marked ones (an
//! invitee not yet signed in or closed is pending, neither present nor absent).

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

use crate::{
    auth::{Actor, policy},
    dates::year_bounds,
    error::{AppError, AppResult},
    training::service::hours,
};
use entity::enums::ActivityKind;

/// Participations in activities of one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindFigures {
    /// The kind.
    pub kind: ActivityKind,
    /// Recorded participation rows.
    pub participations: i64,
    /// Of which attended (present, late or leaving early).
    pub attended: i64,
}

impl KindFigures {
    /// attended / participations, four places; none without participations.
    pub fn rate(&self) -> Option<Decimal> {
        (self.participations > 0)
            .then(|| (Decimal::from(self.attended) / Decimal::from(self.participations)).round_dp(4).normalize())
    }
}

/// The figures of one month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthFigures {
    /// 1–12.
    pub month: u32,
    /// Participations per kind (only kinds with any), in the kinds' order.
    pub activities: Vec<KindFigures>,
    /// Proposals submitted in the month.
    pub proposals_submitted: i64,
    /// Of which accepted (立案).
    pub proposals_accepted: i64,
    /// Public-opinion reports submitted in the month.
    pub reports_submitted: i64,
    /// Of which adopted.
    pub reports_adopted: i64,
    /// Training hours earned in sessions that began in the month.
    pub training_hours: Decimal,
}

/// The month of a date column, as an integer, on either database.
fn month_of(backend: DbBackend, column: &str) -> String {
    if backend == DbBackend::Postgres {
        format!("CAST(EXTRACT(MONTH FROM {column}) AS BIGINT)")
    } else {
        format!("CAST(strftime('%m', {column}) AS BIGINT)")
    }
}

/// `$1, $2 …` on PostgreSQL, `?1, ?2 …` on SQLite: numbered, so a statement may name a
/// parameter twice (the year's bounds in a `WITH` clause and in the query).
pub(super) fn params(backend: DbBackend, from: usize, n: usize) -> Vec<String> {
    (from..from + n).map(|i| if backend == DbBackend::Postgres { format!("${i}") } else { format!("?{i}") }).collect()
}

/// What participations are counted per.
pub enum Per<'a> {
    /// Per month of the year.
    Month,
    /// Per member of these.
    Member(&'a [i64]),
    /// Per group of members: a `WITH` clause defining `cohort(member_id, k)` over parameters 1
    /// and 2 (the year's first and last day); members outside it are not counted
    /// (see [`super::duty_groups`]).
    Cohort(&'a str),
}

/// Participation rows and attended rows per (month or member, activity kind) in `year`: the
/// analytics' one count of attendance (see the module documentation).
pub async fn participation_counts(
    db: &impl ConnectionTrait,
    year: i32,
    per: Per<'_>,
) -> AppResult<Vec<(i64, ActivityKind, i64, i64)>> {
    let backend = db.get_database_backend();
    let (first, last) = year_bounds(year)?;
    let p = params(backend, 1, 2);
    let mut values: Vec<Value> = vec![first.into(), last.into()];
    let (with, key, join, members) = match per {
        Per::Month => ("", month_of(backend, "p.activity_date"), "", String::new()),
        Per::Member(ids) => {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let list = params(backend, 3, ids.len()).join(", ");
            values.extend(ids.iter().map(|&id| Value::from(id)));
            ("", "p.member_id".to_owned(), "", format!("AND p.member_id IN ({list})"))
        }
        Per::Cohort(with) => (with, "c.k".to_owned(), "JOIN cohort c ON c.member_id = p.member_id", String::new()),
    };
    let sql = format!(
        "{with} SELECT {key} AS k, a.kind AS kind, CAST(COUNT(p.attendance) AS BIGINT) AS n,
                CAST(SUM(CASE WHEN p.attendance IN ('PRESENT', 'LATE', 'LEFT_EARLY') THEN 1 ELSE 0 END) AS BIGINT) AS attended
         FROM participation p JOIN activity a ON a.id = p.activity_id {join}
         WHERE p.activity_date BETWEEN {} AND {} AND a.status = 'DONE' AND a.voided_at IS NULL AND p.invited AND p.attendance IS NOT NULL {members}
         GROUP BY {key}, a.kind",
        p[0], p[1]
    );
    let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("", "kind")?;
            let kind = kind_of(&kind)?;
            Ok((
                row.try_get("", "k")?,
                kind,
                row.try_get("", "n")?,
                row.try_get::<Option<i64>>("", "attended")?.unwrap_or(0),
            ))
        })
        .collect()
}

pub(super) fn kind_of(value: &str) -> AppResult<ActivityKind> {
    ActivityKind::ALL
        .iter()
        .copied()
        .find(|k| sea_orm::ActiveEnum::to_value(k) == value)
        .ok_or_else(|| AppError::Internal(format!("an activity has an unknown kind {value}")))
}

/// (month, count, second count) rows of a statement.
async fn per_month(db: &impl ConnectionTrait, sql: String, values: Vec<Value>) -> AppResult<HashMap<i64, (i64, i64)>> {
    let backend = db.get_database_backend();
    let rows = db.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    let get = |row: &QueryResult, c: &str| -> AppResult<i64> { Ok(row.try_get::<Option<i64>>("", c)?.unwrap_or(0)) };
    rows.iter().map(|row| Ok((get(row, "m")?, (get(row, "a")?, get(row, "b")?)))).collect()
}

/// The year's duty records per month (every month listed, zeros included). Every signed-in
/// role, as the year in review: the figures are the committee's, not a member's.
pub async fn by_month(db: &impl ConnectionTrait, actor: &Actor, year: i32) -> AppResult<Vec<MonthFigures>> {
    policy::read_statistics(actor)?;
    let backend = db.get_database_backend();
    let (first, last) = year_bounds(year)?;
    let p = params(backend, 1, 2);
    let participations = participation_counts(db, year, Per::Month).await?;
    let proposals = per_month(
        db,
        format!(
            "SELECT {m} AS m, CAST(COUNT(*) AS BIGINT) AS a,
                    CAST(SUM(CASE WHEN accepted_on IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS b
             FROM proposal WHERE year = {y} AND status <> 'CONVERTED' AND voided_at IS NULL GROUP BY {m}",
            m = month_of(backend, "submitted_on"),
            y = p[0],
        ),
        vec![year.into()],
    )
    .await?;
    let reports = per_month(
        db,
        format!(
            "SELECT {m} AS m, CAST(COUNT(*) AS BIGINT) AS a,
                    CAST(SUM(CASE WHEN status = 'ADOPTED' THEN 1 ELSE 0 END) AS BIGINT) AS b
             FROM opinion_report WHERE year = {y} AND status <> 'WITHDRAWN' AND voided_at IS NULL GROUP BY {m}",
            m = month_of(backend, "submitted_on"),
            y = p[0],
        ),
        vec![year.into()],
    )
    .await?;
    let training = per_month(
        db,
        format!(
            "SELECT {m} AS m, CAST(SUM(t.hours_tenths) AS BIGINT) AS a, CAST(0 AS BIGINT) AS b
             FROM training_attendance t JOIN training_session s ON s.id = t.session_id
             WHERE s.start_date BETWEEN {} AND {} AND s.voided_at IS NULL GROUP BY {m}",
            p[0],
            p[1],
            m = month_of(backend, "s.start_date"),
        ),
        vec![first.into(), last.into()],
    )
    .await?;
    Ok((1..=12u32)
        .map(|month| {
            let m = i64::from(month);
            let mut activities: Vec<KindFigures> = participations
                .iter()
                .filter(|r| r.0 == m)
                .map(|&(_, kind, participations, attended)| KindFigures { kind, participations, attended })
                .collect();
            activities.sort_by_key(|k| ActivityKind::ALL.iter().position(|x| *x == k.kind));
            let (proposals_submitted, proposals_accepted) = proposals.get(&m).copied().unwrap_or_default();
            let (reports_submitted, reports_adopted) = reports.get(&m).copied().unwrap_or_default();
            MonthFigures {
                month,
                activities,
                proposals_submitted,
                proposals_accepted,
                reports_submitted,
                reports_adopted,
                training_hours: hours(training.get(&m).map_or(0, |t| t.0)),
            }
        })
        .collect())
}

/// Each member's participations per activity kind in `year` (kinds with any, in the kinds'
/// order): ONE statement for all of them. No access check: the caller holds the policy's
/// `DutyRecordsOf` for each member.
pub async fn member_counts(
    db: &impl ConnectionTrait,
    members: &[i64],
    year: i32,
) -> AppResult<HashMap<i64, Vec<KindFigures>>> {
    let mut out: HashMap<i64, Vec<KindFigures>> = members.iter().map(|&m| (m, Vec::new())).collect();
    for (member, kind, participations, attended) in participation_counts(db, year, Per::Member(members)).await? {
        out.entry(member).or_default().push(KindFigures { kind, participations, attended });
    }
    for list in out.values_mut() {
        list.sort_by_key(|k| ActivityKind::ALL.iter().position(|x| *x == k.kind));
    }
    Ok(out)
}
