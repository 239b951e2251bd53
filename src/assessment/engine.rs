//! The assessment engine: applies a rule set to one year's records for every seated member.
//!
//! The work is set-based: one query finds the members seated in the year with their cohorts
//! (and a few more find committees, studios and earlier seats), then one query per scoring rule
//! selects the matching records of *all* members; points, splits, caps, floors, grades and flags
//! are worked out in memory in a fixed order (member, date, record id), so the same rules and
//! records always give the same result. Each rule's rows cross from the database as JSON
//! documents of a few hundred members (see `each_row`). Results and score lines are inserted
//! in bulk, with ranks computed by `RANK() OVER …` (see `service::insert_results`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use sea_orm::{
    ActiveEnum, ConnectionTrait, DatabaseTransaction, DbBackend, Iterable, QueryResult, Statement, StreamTrait,
    TransactionTrait, Value,
};

use super::rules::{Definition, Rule, cents};
use crate::db::Readers;
use crate::error::{AppError, AppResult};
use entity::enums::{
    ActivityKind, ActivitySubkind, AppliesTo, AssessmentScale, Attendance, DutyItemKind, Grade, OpinionMilestone,
    ProposalMilestone, RulePer, RuleSource, SignerRole, SplitMode, TrainingMeasure,
};

/// Builds a statement from SQL written with `?` placeholders, numbering them for PostgreSQL.
pub fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 16);
        let mut n = 0;
        for ch in sql.chars() {
            if ch == '?' {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            } else {
                out.push(ch);
            }
        }
        out
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// `?, ?, ?` for `n` values.
pub fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, col: &str) -> AppResult<T> {
    row.try_get::<T>("", col).map_err(AppError::from)
}

fn code_of<T: ActiveEnum<Value = String>>(raw: &str) -> Option<T> {
    T::try_from_value(&raw.to_owned()).ok()
}

/// A member seated in the year, with the cohort keys the run ranks within.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seated {
    /// The member.
    pub member_id: i64,
    /// The member's name in pinyin.
    pub name_pinyin: String,
    /// The seat held that year.
    pub seat_id: i64,
    /// The seat's term.
    pub term_id: i64,
    /// The term's first day.
    pub term_start: NaiveDate,
    /// The seat's sector.
    pub sector_id: Option<i64>,
    /// A standing-committee member.
    pub standing: bool,
    /// First seated in this term.
    pub new_member: bool,
    /// Special committee at the end of the year.
    pub committee_id: Option<i64>,
    /// Studio at the end of the year.
    pub studio_id: Option<i64>,
    /// Town or street of that studio.
    pub town_id: Option<i64>,
}

fn year_bounds(year: i32) -> AppResult<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1);
    let last = NaiveDate::from_ymd_opt(year, 12, 31);
    first.zip(last).ok_or_else(|| AppError::bad_field("input.year", "input.year is not a valid year"))
}

fn date(d: NaiveDate) -> Value {
    Value::ChronoDate(Some(d))
}

/// Every member seated in `year` (one seat each: the latest begun), with cohorts.
pub async fn seated(db: &impl ConnectionTrait, year: i32) -> AppResult<Vec<Seated>> {
    let (first, last) = year_bounds(year)?;
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(statement(
            backend,
            "SELECT s.id AS seat_id, s.member_id, s.term_id, s.sector_id, s.standing_committee, \
             t.start_date AS term_start, m.name_pinyin, \
             (SELECT COUNT(*) FROM seat e JOIN term et ON et.id = e.term_id \
              WHERE e.member_id = s.member_id AND et.start_date < t.start_date) AS earlier \
             FROM seat s JOIN term t ON t.id = s.term_id JOIN member m ON m.id = s.member_id \
             WHERE t.start_date <= ? AND t.end_date >= ? AND s.start_date <= ? \
             AND (s.end_date IS NULL OR s.end_date >= ?) \
             ORDER BY s.member_id, s.start_date, s.id",
            vec![date(last), date(first), date(last), date(first)],
        ))
        .await?;
    let mut by_member: BTreeMap<i64, Seated> = BTreeMap::new();
    for row in rows {
        let member_id: i64 = get(&row, "member_id")?;
        let earlier: i64 = get(&row, "earlier")?;
        // Ordered by start: a later seat of the same member replaces an earlier one.
        by_member.insert(
            member_id,
            Seated {
                member_id,
                name_pinyin: get(&row, "name_pinyin")?,
                seat_id: get(&row, "seat_id")?,
                term_id: get(&row, "term_id")?,
                term_start: get(&row, "term_start")?,
                sector_id: get(&row, "sector_id")?,
                standing: get(&row, "standing_committee")?,
                new_member: earlier == 0,
                committee_id: None,
                studio_id: None,
                town_id: None,
            },
        );
    }
    // Committee and studio at the end of the year (the latest begun of those held that year).
    for (table, col) in [("committee_membership", "committee_id"), ("studio_assignment", "studio_id")] {
        let rows = db
            .query_all_raw(statement(
                backend,
                &format!(
                    "SELECT member_id, {col} AS target FROM {table} WHERE start_date <= ? \
                     AND (end_date IS NULL OR end_date >= ?) ORDER BY member_id, start_date, id"
                ),
                vec![date(last), date(first)],
            ))
            .await?;
        for row in rows {
            let member_id: i64 = get(&row, "member_id")?;
            if let Some(s) = by_member.get_mut(&member_id) {
                let target: i64 = get(&row, "target")?;
                if col == "committee_id" {
                    s.committee_id = Some(target);
                } else {
                    s.studio_id = Some(target);
                }
            }
        }
    }
    let towns = db
        .query_all_raw(statement(
            backend,
            "SELECT st.id AS studio_id, CASE WHEN r.parent_id IS NULL THEN r.id ELSE r.parent_id END AS town_id \
             FROM studio st JOIN region r ON r.id = st.region_id",
            vec![],
        ))
        .await?;
    let mut town_of: HashMap<i64, i64> = HashMap::new();
    for row in towns {
        town_of.insert(get(&row, "studio_id")?, get(&row, "town_id")?);
    }
    for s in by_member.values_mut() {
        s.town_id = s.studio_id.and_then(|id| town_of.get(&id).copied());
    }
    Ok(by_member.into_values().collect())
}

/// One record a rule matched, for one member.
#[derive(Clone, Debug)]
struct Record {
    member_id: i64,
    source_id: i64,
    date: NaiveDate,
    description: String,
    /// For joint work: the member's role and how many signers the work has.
    signer: Option<(SignerRole, i64)>,
    /// TRAINING HOURS: tenths of an hour.
    hours_tenths: i64,
    /// When only the first records of each member were fetched: how many matched — all of them
    /// when rows were read, at most the limit when each member's participations were walked
    /// (enough for every minimum requirement, see [`minimum_need`]).
    matched: Option<i64>,
}

impl Record {
    /// A record of neither joint work nor hours.
    fn new(member_id: i64, source_id: i64, date: NaiveDate, description: String) -> Self {
        Self { member_id, source_id, date, description, signer: None, hours_tenths: 0, matched: None }
    }

    /// A record of joint work (a proposal's or a report's signature): `what` was done on its
    /// title; co-signers' lines say `co` after the title.
    fn signed(SignedRow(source_id, member_id, date, role, title, signers): SignedRow, what: &str, co: &str) -> Self {
        let role = code_of::<SignerRole>(&role).unwrap_or(SignerRole::Co);
        let description = match role {
            SignerRole::First => format!("{what}《{title}》"),
            SignerRole::Co => format!("{what}《{title}》{co}"),
        };
        Self { signer: Some((role, signers)), ..Self::new(member_id, source_id, date, description) }
    }
}

/// How many of a member's records (in date order) can possibly count for `rule`, when that is
/// bounded: one for a once-a-year rule; for a rule worth the same fixed points on every record,
/// the skipped ones plus as many as fit under the tightest cap over them (the rule's cap, the
/// category's and, on a BASE_PLUS_BONUS scale, the bonus cap for positive points), plus one.
/// Records past the bound would be dropped by that cap, so they need not leave the database;
/// only their number matters (for minimum requirements), and it is counted in SQL.
fn record_limit(def: &Definition, rule: &Rule) -> Option<i64> {
    let fixed_points = match rule.source {
        RuleSource::Activity | RuleSource::DutyItem => true,
        RuleSource::Training => rule.training != Some(TrainingMeasure::Hours),
        RuleSource::Proposal | RuleSource::OpinionReport => false,
    };
    if !fixed_points {
        return None;
    }
    if rule.per == RulePer::Year {
        return Some(1);
    }
    let points = cents(rule.points);
    let mut caps: Vec<i64> = rule.cap.map(cents).into_iter().collect();
    if points > 0 {
        let category = def.categories.iter().find(|c| c.code == rule.category);
        caps.extend(category.and_then(|c| c.cap).map(cents));
        if def.scale == AssessmentScale::BasePlusBonus {
            caps.extend(def.max_bonus.map(cents));
        }
    }
    let cap = caps.into_iter().min()?;
    if points == 0 {
        return None;
    }
    let fit = (cap.max(0) as u64).div_ceil(points.unsigned_abs()) as i64;
    Some(i64::from(rule.skip_first) + fit + 1)
}

/// Members whose participations [`walk_pays`] looks at.
const SAMPLE_MEMBERS: i64 = 50;

/// Whether an ACTIVITY rule that needs only each member's first `k` matches is served faster by
/// walking every member's participations in date order (about `k / f` index entries per member,
/// where `f` is the share of a member's participations the rule matches) than by reading every
/// matching participation of the year (`f` × all of a member's participations, each decoded and
/// sent, so counted twice). The participations of the year of a sample of members (the first
/// [`SAMPLE_MEMBERS`] by id, read through the member index) give `f`; both ways give the same
/// records, so the sample only decides the speed. `cond` and `values` are the rule's filter.
async fn walk_pays(db: &impl ConnectionTrait, cond: &str, values: &[Value], year: i32, k: i64) -> AppResult<bool> {
    let (first, last) = year_bounds(year)?;
    let mut values = values.to_vec();
    values.extend([Value::BigInt(Some(SAMPLE_MEMBERS)), date(first), date(last)]);
    let row = db
        .query_one_raw(statement(
            db.get_database_backend(),
            &format!(
                "SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0) AS matching \
                 FROM participation p JOIN activity a ON a.id = p.activity_id \
                 WHERE p.member_id IN (SELECT id FROM member ORDER BY id LIMIT ?) \
                 AND p.activity_date >= ? AND p.activity_date <= ?"
            ),
            values,
        ))
        .await?;
    let Some(row) = row else { return Ok(false) };
    let total = i128::from(get::<i64>(&row, "total")?);
    let matching = i128::from(get::<i64>(&row, "matching")?);
    // Per sampled member: walking takes k × total / matching steps, reading 2 × matching / SAMPLE.
    Ok(matching > 0 && i128::from(k) * total * i128::from(SAMPLE_MEMBERS) < 2 * matching * matching)
}

/// Keeps the first `limit` rows of each member of a stream ordered by member, and counts the
/// rows it sees.
struct Cut {
    limit: Option<i64>,
    seen: HashMap<i64, i64>,
}

impl Cut {
    fn new(limit: Option<i64>) -> Self {
        Self { limit, seen: HashMap::new() }
    }

    /// Counts a row of `member`; whether to keep it.
    fn take(&mut self, member: i64) -> bool {
        let n = self.seen.entry(member).or_insert(0);
        *n += 1;
        self.limit.is_none_or(|limit| *n <= limit)
    }

    /// Tells each kept record how many rows its member had, when rows were cut.
    fn finish(self, records: &mut [Record]) {
        if self.limit.is_some() {
            for r in records {
                r.matched = self.seen.get(&r.member_id).copied();
            }
        }
    }
}

/// The records `rule` matches in `year`, for every member, in (member, date, id) order; only the
/// first [`record_limit`] of each member when that is given. Rows arrive in documents of a few
/// hundred members each (see [`each_row`]); past the limit they are only counted, so no more
/// than a document's rows are held beyond the records kept.
async fn records(
    db: &(impl ConnectionTrait + StreamTrait),
    rule: &Rule,
    year: i32,
    limit: Option<i64>,
    fetch: Fetch,
) -> AppResult<Vec<Record>> {
    let (first, last) = year_bounds(year)?;
    let backend = ConnectionTrait::get_database_backend(db);
    let mut cut = Cut::new(limit);
    let codes = |values: Vec<String>| values.into_iter().map(|v| Value::String(Some(v))).collect::<Vec<_>>();
    let mut out = Vec::new();
    match rule.source {
        RuleSource::Activity => {
            let mut cond = String::from("a.status = 'DONE' AND p.activity_date >= ? AND p.activity_date <= ?");
            let mut values = vec![date(first), date(last)];
            let attendance: Vec<Attendance> = if rule.attendance.is_empty() {
                vec![Attendance::Present, Attendance::Late, Attendance::LeftEarly]
            } else {
                rule.attendance.clone()
            };
            let mut filter = |column: &str, list: Vec<String>| {
                if !list.is_empty() {
                    cond.push_str(&format!(" AND {column} IN ({})", marks(list.len())));
                    values.extend(codes(list));
                }
            };
            filter("a.kind", rule.activity_kinds.iter().map(ActiveEnum::to_value).collect());
            filter("a.subkind", rule.activity_subkinds.iter().map(ActiveEnum::to_value).collect());
            filter("p.attendance", attendance.iter().map(ActiveEnum::to_value).collect());
            filter("p.role", rule.roles.iter().map(ActiveEnum::to_value).collect());
            if rule.compulsory_only {
                cond.push_str(" AND a.compulsory = ?");
                values.push(Value::Bool(Some(true)));
            }
            let walk = match (limit, fetch) {
                (None, _) | (_, Fetch::Every | Fetch::Read) => false,
                (_, Fetch::Walk) => true,
                (Some(k), Fetch::Cut) => walk_pays(db, &cond, &values, year, k).await?,
            };
            let columns = "p.id, p.member_id, p.activity_date, a.kind, a.subkind, p.attendance";
            let sql = match limit {
                // Each member's first `k` matches, found by walking that member's participations
                // of the year in date order (the `participation (member_id, activity_date, id)`
                // index) and stopping at the k-th: a few index entries per member instead of
                // every matching row of the year. PostgreSQL says so with LATERAL; SQLite, which
                // has none, runs a correlated `IN (… LIMIT k)` once per member (in id order: the
                // walks then move forward through the index, 0.2 s instead of 0.35 s in name order).
                Some(k) if walk && backend == DbBackend::Postgres => format!(
                    "SELECT w.* FROM member m CROSS JOIN LATERAL (SELECT {columns} FROM participation p \
                     JOIN activity a ON a.id = p.activity_id WHERE p.member_id = m.id AND {cond} \
                     ORDER BY p.activity_date, p.id LIMIT {k}) w"
                ),
                Some(k) if walk => format!(
                    "SELECT {columns} FROM member m JOIN participation p ON p.id IN (SELECT p.id \
                     FROM participation p JOIN activity a ON a.id = p.activity_id WHERE p.member_id = m.id \
                     AND {cond} ORDER BY p.activity_date, p.id LIMIT {k}) JOIN activity a ON a.id = p.activity_id \
                     ORDER BY m.id"
                ),
                _ => format!(
                    "SELECT {columns} FROM participation p JOIN activity a ON a.id = p.activity_id WHERE {cond}"
                ),
            };
            each_row(db, &sql, values, &["id", "member_id", "activity_date", "kind", "subkind", "attendance"], {
                |ActivityRow(id, member_id, date, kind, subkind, attendance)| {
                    if cut.take(member_id) {
                        out.push(activity_record(member_id, id, date, &kind, subkind.as_deref(), &attendance));
                    }
                }
            })
            .await?;
        }
        RuleSource::Training => {
            let measure = rule.training.unwrap_or(TrainingMeasure::Attended);
            let mut sql = String::from(
                "SELECT ts.id, ta.member_id, ts.start_date, ts.title, ta.hours_tenths FROM training_attendance ta \
                 JOIN training_session ts ON ts.id = ta.session_id WHERE ts.start_date >= ? AND ts.start_date <= ?",
            );
            let mut values = vec![date(first), date(last)];
            match measure {
                TrainingMeasure::Completed => {
                    sql.push_str(" AND ta.completed = ?");
                    values.push(Value::Bool(Some(true)));
                }
                TrainingMeasure::Hours | TrainingMeasure::Attended => sql.push_str(" AND ta.hours_tenths > 0"),
            }
            each_row(db, &sql, values, &["id", "member_id", "start_date", "title", "hours_tenths"], {
                |TrainingRow(id, member_id, date, title, hours)| {
                    if !cut.take(member_id) {
                        return;
                    }
                    let description = match measure {
                        TrainingMeasure::Hours => format!("培训《{title}》 {}学时", super::rules::points(hours * 10)),
                        TrainingMeasure::Completed => format!("培训《{title}》 结业"),
                        TrainingMeasure::Attended => format!("培训《{title}》 参训"),
                    };
                    out.push(Record { hours_tenths: hours, ..Record::new(member_id, id, date, description) });
                }
            })
            .await?;
        }
        RuleSource::Proposal => {
            let milestone = rule.proposal_milestone.unwrap_or(ProposalMilestone::Submitted);
            let (date_expr, condition) = match milestone {
                ProposalMilestone::Submitted => ("p.submitted_on", ""),
                ProposalMilestone::Accepted => ("p.accepted_on", " AND p.accepted_on IS NOT NULL"),
                ProposalMilestone::Key => ("COALESCE(p.accepted_on, p.submitted_on)", " AND p.key_proposal = ?"),
                ProposalMilestone::Excellent => ("COALESCE(p.accepted_on, p.submitted_on)", " AND p.excellent = ?"),
            };
            let mut values = vec![Value::Int(Some(year))];
            if matches!(milestone, ProposalMilestone::Key | ProposalMilestone::Excellent) {
                values.push(Value::Bool(Some(true)));
            }
            let mut sql = format!(
                "SELECT p.id, s.member_id, {date_expr} AS day, s.role, p.title, c.n FROM proposal_signer s \
                 JOIN proposal p ON p.id = s.proposal_id \
                 JOIN (SELECT proposal_id, COUNT(*) AS n FROM proposal_signer GROUP BY proposal_id) c \
                 ON c.proposal_id = p.id \
                 WHERE p.year = ? AND p.status <> 'CONVERTED'{condition}"
            );
            if !rule.signer_roles.is_empty() {
                sql.push_str(&format!(" AND s.role IN ({})", marks(rule.signer_roles.len())));
                values.extend(codes(rule.signer_roles.iter().map(ActiveEnum::to_value).collect()));
            }
            let what = milestone.label();
            each_row(db, &sql, values, &["id", "member_id", "day", "role", "title", "n"], |row| {
                out.push(Record::signed(row, what, "（联名）"))
            })
            .await?;
        }
        RuleSource::OpinionReport => {
            let milestone = rule.opinion_milestone.unwrap_or(OpinionMilestone::Submitted);
            let mut values = Vec::new();
            let (join, day) = match milestone {
                OpinionMilestone::Submitted => (String::new(), "r.submitted_on"),
                OpinionMilestone::Adopted | OpinionMilestone::Instructed => {
                    let mut cond = String::from("1 = 1");
                    if milestone == OpinionMilestone::Adopted && !rule.adoption_levels.is_empty() {
                        cond.push_str(&format!(" AND level IN ({})", marks(rule.adoption_levels.len())));
                        values.extend(codes(rule.adoption_levels.iter().map(ActiveEnum::to_value).collect()));
                    }
                    if milestone == OpinionMilestone::Instructed {
                        cond.push_str(" AND instruction_level IS NOT NULL");
                        if !rule.instruction_levels.is_empty() {
                            cond.push_str(&format!(
                                " AND instruction_level IN ({})",
                                marks(rule.instruction_levels.len())
                            ));
                            values.extend(codes(rule.instruction_levels.iter().map(ActiveEnum::to_value).collect()));
                        }
                    }
                    (
                        format!(
                            " JOIN (SELECT report_id, MIN(adopted_on) AS d FROM opinion_adoption WHERE {cond} \
                             GROUP BY report_id) ad ON ad.report_id = r.id"
                        ),
                        "ad.d",
                    )
                }
            };
            values.push(Value::Int(Some(year)));
            let mut sql = format!(
                "SELECT r.id, au.member_id, {day} AS day, au.role, r.title, c.n FROM opinion_author au \
                 JOIN opinion_report r ON r.id = au.report_id{join} \
                 JOIN (SELECT report_id, COUNT(*) AS n FROM opinion_author GROUP BY report_id) c \
                 ON c.report_id = r.id WHERE r.year = ?"
            );
            if !rule.signer_roles.is_empty() {
                sql.push_str(&format!(" AND au.role IN ({})", marks(rule.signer_roles.len())));
                values.extend(codes(rule.signer_roles.iter().map(ActiveEnum::to_value).collect()));
            }
            let what = match milestone {
                OpinionMilestone::Submitted => "报送社情民意",
                OpinionMilestone::Adopted => "社情民意被采用",
                OpinionMilestone::Instructed => "社情民意获领导批示",
            };
            each_row(db, &sql, values, &["id", "member_id", "day", "role", "title", "n"], |row| {
                out.push(Record::signed(row, what, "（合作）"))
            })
            .await?;
        }
        RuleSource::DutyItem => {
            let mut sql = String::from(
                "SELECT id, member_id, date, kind, title FROM duty_item WHERE date >= ? AND date <= ? AND status ",
            );
            sql.push_str(if rule.confirmed_only { "= 'CONFIRMED'" } else { "<> 'REJECTED'" });
            let mut values = vec![date(first), date(last)];
            if !rule.duty_item_kinds.is_empty() {
                sql.push_str(&format!(" AND kind IN ({})", marks(rule.duty_item_kinds.len())));
                values.extend(codes(rule.duty_item_kinds.iter().map(ActiveEnum::to_value).collect()));
            }
            each_row(db, &sql, values, &["id", "member_id", "date", "kind", "title"], {
                |DutyRow(id, member_id, date, kind, title)| {
                    if !cut.take(member_id) {
                        return;
                    }
                    let kind = code_of::<DutyItemKind>(&kind).map_or("履职事项", DutyItemKind::label);
                    out.push(Record::new(member_id, id, date, format!("{kind}《{title}》")));
                }
            })
            .await?;
        }
    }
    cut.finish(&mut out);
    Ok(out)
}

/// Members per document that [`each_row`] has the database build.
const MEMBERS_PER_DOCUMENT: i64 = 256;

/// A record row as a JSON array, in its query's column order: id, member, date, then the rest.
trait RecordRow: serde::de::DeserializeOwned {
    /// The order records are scored in: member, date, id.
    fn key(&self) -> (i64, NaiveDate, i64);
}

macro_rules! record_row {
    ($($(#[$doc:meta])* $name:ident($($rest:ty),*);)*) => {$(
        $(#[$doc])*
        #[derive(serde::Deserialize)]
        struct $name(i64, i64, NaiveDate, $($rest),*);

        impl RecordRow for $name {
            fn key(&self) -> (i64, NaiveDate, i64) {
                (self.1, self.2, self.0)
            }
        }
    )*};
}

record_row! {
    /// A participation: kind, subkind and attendance follow.
    ActivityRow(String, Option<String>, String);
    /// A training attendance: the session's title and the hours (tenths) follow.
    TrainingRow(String, i64);
    /// A proposal or opinion report signature: the signer's role, the title and the number of
    /// signers follow.
    SignedRow(String, String, i64);
    /// A duty item: kind and title follow.
    DutyRow(String, String);
}

/// Hands each row of `sql` (whose `columns` start with id, member and date) to `each`, in
/// (member, date, id) order.
///
/// The database packs the rows into JSON documents of [`MEMBERS_PER_DOCUMENT`] members each
/// (`json_group_array` on SQLite, `json_agg` on PostgreSQL), which are parsed and sorted here:
/// rows cross from the driver one at a time — through sqlx's SQLite worker about 10 µs each,
/// so 8,691 rows of a plenary rule took 0.10 s against 0.02 s for its SQL — while a document
/// crosses as one value. Documents rather than one for the whole rule keep memory bounded when
/// a rule reads every matching row of a large year.
async fn each_row<T: RecordRow>(
    db: &(impl ConnectionTrait + StreamTrait),
    sql: &str,
    values: Vec<Value>,
    columns: &[&str],
    mut each: impl FnMut(T),
) -> AppResult<()> {
    let backend = ConnectionTrait::get_database_backend(db);
    let fields = columns.iter().map(|c| format!("x.{c}")).collect::<Vec<_>>().join(", ");
    let sql = if backend == DbBackend::Postgres {
        format!(
            "SELECT x.member_id / {MEMBERS_PER_DOCUMENT} AS part, json_agg(json_build_array({fields}))::text AS rows \
             FROM ({sql}) x GROUP BY 1 ORDER BY 1"
        )
    } else {
        format!(
            "SELECT x.member_id / {MEMBERS_PER_DOCUMENT} AS part, json_group_array(json_array({fields})) AS rows \
             FROM ({sql}) x GROUP BY 1 ORDER BY 1"
        )
    };
    let documents = db.stream_raw(statement(backend, &sql, values)).await?;
    let mut documents = std::pin::pin!(documents);
    while let Some(document) = documents.try_next().await? {
        let rows: String = get(&document, "rows")?;
        let mut rows: Vec<T> =
            serde_json::from_str(&rows).map_err(|e| AppError::Internal(format!("record rows do not parse: {e}")))?;
        rows.sort_unstable_by_key(RecordRow::key);
        rows.into_iter().for_each(&mut each);
    }
    Ok(())
}

/// The record of a participation, described as its score line will show it.
fn activity_record(
    member_id: i64,
    source_id: i64,
    date: NaiveDate,
    kind: &str,
    subkind: Option<&str>,
    attendance: &str,
) -> Record {
    let kind = code_of::<ActivityKind>(kind).map_or("活动", ActivityKind::label);
    let subkind = subkind.and_then(code_of::<ActivitySubkind>).map(ActivitySubkind::label);
    let attendance = code_of::<Attendance>(attendance).map_or("", Attendance::label);
    let description = match subkind {
        Some(sub) => format!("{kind}（{sub}） {attendance}"),
        None => format!("{kind} {attendance}"),
    };
    Record::new(member_id, source_id, date, description)
}

/// `value × num ÷ den`, rounded half away from zero.
fn share(value: i64, num: i64, den: i64) -> i64 {
    if den == 0 {
        return 0;
    }
    let (v, n, d) = (i128::from(value), i128::from(num), i128::from(den));
    let product = v * n;
    let q = product / d;
    let r = product % d;
    let rounded = if 2 * r.abs() >= d.abs() { q + product.signum() * d.signum() } else { q };
    i64::try_from(rounded).unwrap_or(0)
}

/// A member's share of a rule's points for one record, and a note when it is not all of it.
fn split_points(rule: &Rule, points: i64, signer: Option<(SignerRole, i64)>) -> Option<(i64, Option<String>)> {
    let Some((role, n)) = signer else { return Some((points, None)) };
    let n = n.max(1);
    match (rule.split, role) {
        (SplitMode::Full, _) => Some((points, None)),
        (SplitMode::FirstOnly, SignerRole::First) => Some((points, None)),
        (SplitMode::FirstOnly, SignerRole::Co) => None,
        (SplitMode::HalfToFirstRestShared, _) if n == 1 => Some((points, None)),
        (SplitMode::HalfToFirstRestShared, SignerRole::First) => {
            Some((share(points, 1, 2), Some(format!("联名{n}人，第一提案人得一半"))))
        }
        (SplitMode::HalfToFirstRestShared, SignerRole::Co) => {
            Some((share(points, 1, 2 * (n - 1)), Some(format!("联名{n}人，其余{}人平分一半", n - 1))))
        }
        (SplitMode::EqualShare, _) if n == 1 => Some((points, None)),
        (SplitMode::EqualShare, _) => Some((share(points, 1, n), Some(format!("{n}人平分")))),
    }
}

/// One line of a member's result before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Index of the rule in the definition.
    pub rule: usize,
    /// The record.
    pub source: RuleSource,
    /// The record's id.
    pub source_id: i64,
    /// The record's date.
    pub date: NaiveDate,
    /// What was counted.
    pub description: String,
    /// Points (hundredths).
    pub cents: i64,
    /// Why the points differ from the rule's.
    pub note: Option<String>,
}

/// A category subtotal.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Subtotal {
    /// The category code.
    pub category: String,
    /// Its label.
    pub label: String,
    /// Points (hundredths).
    pub cents: i64,
    /// How many lines count in it.
    pub records: i64,
}

/// One member's computed result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The member and cohorts.
    pub seated: Seated,
    /// Lines in display order.
    pub lines: Vec<Line>,
    /// Subtotals in category order.
    pub subtotals: Vec<Subtotal>,
    /// Base plus every line (hundredths).
    pub computed_cents: i64,
    /// The best grade unmet minimums allow.
    pub grade_cap: Option<Grade>,
    /// Labels of unmet minimums.
    pub unmet_minimums: Vec<String>,
}

fn applies(rule: &Rule, standing: bool) -> bool {
    match rule.applies_to {
        AppliesTo::All => true,
        AppliesTo::Standing => standing,
        AppliesTo::Others => !standing,
    }
}

fn with_note(note: Option<String>, extra: &str) -> Option<String> {
    Some(match note {
        Some(n) => format!("{n}；{extra}"),
        None => extra.to_owned(),
    })
}

/// Caps a running positive sum: each positive line keeps what still fits under `cap`; lines
/// with nothing left are dropped. Negative lines are kept as they are.
fn cap_positive(lines: &mut Vec<Line>, cap: i64, label: &str) {
    let mut used = 0i64;
    lines.retain_mut(|line| {
        if line.cents <= 0 {
            return true;
        }
        let room = (cap - used).max(0);
        if room == 0 {
            return false;
        }
        if line.cents > room {
            line.cents = room;
            line.note = with_note(line.note.take(), &format!("{label}已达上限"));
        }
        used += line.cents;
        true
    });
}

/// The most matches of `rule` any minimum requirement asks for: a member's records can be cut
/// at a limit no lower than this and still be judged against every minimum (a sum reaches a
/// count no greater than each of its terms' limits exactly when the uncut sum does).
fn minimum_need(def: &Definition, rule: &Rule) -> i64 {
    def.minimums.iter().filter(|m| m.rules.contains(&rule.code)).map(|m| i64::from(m.count)).max().unwrap_or(0)
}

/// PostgreSQL settings for a run's transactions only (`SET LOCAL`), measured at 10,000 members:
/// - no JIT: the walked activity rule's estimated cost is far above `jit_above_cost` while its
///   actual work is small, and compiling it took 0.38 s of its 0.94 s;
/// - room to sort in memory: the results' seven rank windows each sorted the run's rows on disk
///   under the default 4 MB `work_mem` (0.33 s in all).
pub const POSTGRES_RUN_SETTINGS: &str = "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'";

/// Applies the definition to the matched records of every seated member.
pub async fn compute<C>(db: &C, def: &Definition, year: i32) -> AppResult<Vec<Outcome>>
where
    C: TransactionTrait<Transaction = DatabaseTransaction> + ConnectionTrait + Readers,
{
    compute_with(db, def, year, Fetch::Cut).await
}

/// How [`compute_with`] fetches each rule's records. Every way gives the same outcomes, and a
/// test holds them to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fetch {
    /// Every matched record.
    Every,
    /// Only the records that can count (see `record_limit`), each ACTIVITY rule fetched the
    /// way `walk_pays` judges cheaper: what [`compute`] does.
    Cut,
    /// Only the records that can count, always by walking each member's participations.
    Walk,
    /// Only the records that can count, always by reading every matching row.
    Read,
}

/// [`compute`], fetching records as `fetch` says.
///
/// The reads — the seated members and each rule's records, in the order of [`reads`] — are
/// shared out among [`Readers::readers`] transactions of `db`, each taking the next read as it
/// finishes one: on a pool, two connections read at once (at 10,000 members on PostgreSQL the
/// reads and the scoring took 0.52–0.57 s instead of 0.69–0.71 s, and 0.44–0.48 s once the
/// longest read came first); in a transaction, one after the other. The outcomes do not depend
/// on who read what.
pub async fn compute_with<C>(db: &C, def: &Definition, year: i32, fetch: Fetch) -> AppResult<Vec<Outcome>>
where
    C: TransactionTrait<Transaction = DatabaseTransaction> + ConnectionTrait + Readers,
{
    let reads = reads(def);
    let next = AtomicUsize::new(0);
    let readers = (0..db.readers().min(reads.len())).map(|_| read(db, def, year, fetch, &reads, &next));
    let mut members = Vec::new();
    let mut by_rule: Vec<Vec<Record>> = vec![Vec::new(); def.rules.len()];
    for fetched in futures_util::future::join_all(readers).await {
        for read in fetched? {
            match read {
                Fetched::Seated(seated) => members = seated,
                Fetched::Rule(index, records) => by_rule[index] = records,
            }
        }
    }
    let wanted: HashMap<i64, bool> = members.iter().map(|s| (s.member_id, s.standing)).collect();
    // Per member: per rule, the matched records (before caps), in order.
    let mut matched: HashMap<i64, Vec<Vec<Record>>> = HashMap::new();
    for (index, (rule, records)) in def.rules.iter().zip(by_rule).enumerate() {
        for record in records {
            let Some(&standing) = wanted.get(&record.member_id) else { continue };
            if !applies(rule, standing) {
                continue;
            }
            let slots = matched.entry(record.member_id).or_insert_with(|| vec![Vec::new(); def.rules.len()]);
            slots[index].push(record);
        }
    }
    let base = cents(def.base_points);
    let mut outcomes = Vec::with_capacity(members.len());
    for seated in members {
        let slots = matched.remove(&seated.member_id).unwrap_or_else(|| vec![Vec::new(); def.rules.len()]);
        outcomes.push(score_member(def, seated, &slots, base));
    }
    Ok(outcomes)
}

/// One read of [`compute_with`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Read {
    /// The members seated in the year.
    Seated,
    /// The records of the rule of this index.
    Rule(usize),
}

/// The reads of a run, the likely longest first, so that no reader is left with a long one
/// when the others are done: the ACTIVITY rules (participations are the largest table), those
/// that admit more kinds of activity first (at 10,000 members the 桐城 rule counting ten kinds
/// took 0.35 s, every other read 0.075 s at most); then the seated members; then the rest. The
/// definition's order decides ties.
fn reads(def: &Definition) -> Vec<Read> {
    let all_kinds = ActivityKind::iter().count();
    // Higher goes first.
    let priority = |read: &Read| match *read {
        Read::Rule(i) if def.rules[i].source == RuleSource::Activity => {
            let kinds = &def.rules[i].activity_kinds;
            2 + if kinds.is_empty() { all_kinds } else { kinds.len() }
        }
        Read::Seated => 1,
        Read::Rule(_) => 0,
    };
    let mut reads: Vec<Read> = std::iter::once(Read::Seated).chain((0..def.rules.len()).map(Read::Rule)).collect();
    reads.sort_by_key(|read| std::cmp::Reverse(priority(read)));
    reads
}

/// What one read of [`compute_with`] brings back.
enum Fetched {
    /// The members seated in the year.
    Seated(Vec<Seated>),
    /// A rule's records, by the rule's index.
    Rule(usize, Vec<Record>),
}

/// One reader of [`compute_with`]: in a transaction of its own, takes the next of `reads`
/// until none is left. A failed read stops every reader at its next turn.
async fn read<C>(
    db: &C,
    def: &Definition,
    year: i32,
    fetch: Fetch,
    reads: &[Read],
    next: &AtomicUsize,
) -> AppResult<Vec<Fetched>>
where
    C: TransactionTrait<Transaction = DatabaseTransaction>,
{
    let txn = db.begin().await?;
    let outcome = async {
        if ConnectionTrait::get_database_backend(&txn) == DbBackend::Postgres {
            txn.execute_unprepared(POSTGRES_RUN_SETTINGS).await?;
        }
        let mut out = Vec::new();
        while let Some(&read) = reads.get(next.fetch_add(1, AtomicOrdering::Relaxed)) {
            let Read::Rule(index) = read else {
                out.push(Fetched::Seated(seated(&txn, year).await?));
                continue;
            };
            let rule = &def.rules[index];
            let limit = match fetch {
                Fetch::Every => None,
                _ => record_limit(def, rule).map(|l| l.max(minimum_need(def, rule))),
            };
            let started = std::time::Instant::now();
            let records = records(&txn, rule, year, limit, fetch).await?;
            tracing::debug!(rule = %rule.code, records = records.len(), ms = started.elapsed().as_millis(), "rule fetched");
            out.push(Fetched::Rule(index, records));
        }
        Ok(out)
    }
    .await;
    if outcome.is_err() {
        next.store(reads.len(), AtomicOrdering::Relaxed);
    }
    crate::db::finish(txn, outcome).await
}

fn score_member(def: &Definition, seated: Seated, slots: &[Vec<Record>], base: i64) -> Outcome {
    // 1. Each rule on its own: once a year or per record, skipped firsts, splits, rule cap.
    let mut by_category: Vec<Vec<Line>> = vec![Vec::new(); def.categories.len()];
    let mut matched_counts: HashMap<&str, u32> = HashMap::new();
    for (index, (rule, recs)) in def.rules.iter().zip(slots).enumerate() {
        let matched = recs.first().and_then(|r| r.matched).unwrap_or(recs.len() as i64);
        matched_counts.insert(rule.code.as_str(), u32::try_from(matched).unwrap_or(u32::MAX));
        let points = cents(rule.points);
        let take: Box<dyn Iterator<Item = &Record>> = match rule.per {
            RulePer::Year => Box::new(recs.iter().take(1)),
            RulePer::Record => Box::new(recs.iter().skip(rule.skip_first as usize)),
        };
        let mut lines = Vec::new();
        for record in take {
            let base_points = match rule.training {
                Some(TrainingMeasure::Hours) => share(points, record.hours_tenths, 10),
                _ => points,
            };
            let Some((value, note)) = split_points(rule, base_points, record.signer) else { continue };
            let note = match (rule.per, note) {
                (RulePer::Year, n) => with_note(n, "每年计一次"),
                (_, n) => n,
            };
            lines.push(Line {
                rule: index,
                source: rule.source,
                source_id: record.source_id,
                date: record.date,
                description: record.description.clone(),
                cents: value,
                note,
            });
        }
        if let Some(cap) = rule.cap.map(cents) {
            if points >= 0 {
                cap_positive(&mut lines, cap, "本项");
            } else {
                // A cap on a deduction bounds how much it takes away.
                let mut used = 0i64;
                lines.retain_mut(|line| {
                    let room = (cap - used).max(0);
                    if room == 0 {
                        return false;
                    }
                    if -line.cents > room {
                        line.cents = -room;
                        line.note = with_note(line.note.take(), "本项扣分已达上限");
                    }
                    used += -line.cents;
                    true
                });
            }
        }
        if let Some(slot) = def.categories.iter().position(|c| c.code == rule.category) {
            by_category[slot].extend(lines);
        }
    }
    // 2. Categories: date order, then the category cap on positive points.
    for (category, lines) in def.categories.iter().zip(by_category.iter_mut()) {
        lines.sort_by_key(|a| (a.date, a.rule, a.source_id));
        if let Some(cap) = category.cap.map(cents) {
            cap_positive(lines, cap, &format!("{}类", category.label));
        }
    }
    // 3. BASE_PLUS_BONUS: the bonus cap over every positive point, in date order.
    if def.scale == AssessmentScale::BasePlusBonus
        && let Some(max_bonus) = def.max_bonus.map(cents)
    {
        let mut all: Vec<(usize, Line)> =
            by_category.iter_mut().enumerate().flat_map(|(c, lines)| lines.drain(..).map(move |l| (c, l))).collect();
        all.sort_by_key(|(_, a)| (a.date, a.rule, a.source_id));
        let mut lines: Vec<Line> = Vec::with_capacity(all.len());
        let mut cats = Vec::with_capacity(all.len());
        for (c, l) in all {
            cats.push(c);
            lines.push(l);
        }
        let mut used = 0i64;
        for (c, mut line) in cats.into_iter().zip(lines) {
            if line.cents > 0 {
                let room = (max_bonus - used).max(0);
                if room == 0 {
                    continue;
                }
                if line.cents > room {
                    line.cents = room;
                    line.note = with_note(line.note.take(), "加分已达上限");
                }
                used += line.cents;
            }
            by_category[c].push(line);
        }
    }
    // 4. Category floors, subtotals.
    let mut subtotals = Vec::with_capacity(def.categories.len());
    for (category, lines) in def.categories.iter().zip(by_category.iter_mut()) {
        let mut sum: i64 = lines.iter().map(|l| l.cents).sum();
        if category.floor_at_zero && sum < 0 {
            // Deductions stop at 0: the latest deductions give way first.
            for line in lines.iter_mut().rev() {
                if sum >= 0 {
                    break;
                }
                if line.cents < 0 {
                    let give = (-sum).min(-line.cents);
                    line.cents += give;
                    sum += give;
                    line.note = with_note(line.note.take(), "扣分以本类0分为限");
                }
            }
        }
        subtotals.push(Subtotal {
            category: category.code.clone(),
            label: category.label.clone(),
            cents: sum,
            records: i64::try_from(lines.len()).unwrap_or(i64::MAX),
        });
    }
    let mut lines: Vec<Line> = by_category.into_iter().flatten().collect();
    lines.sort_by_key(|a| (a.date, a.rule, a.source_id));
    let computed_cents = base + subtotals.iter().map(|s| s.cents).sum::<i64>();
    // 5. Minimum requirements.
    let mut grade_cap: Option<Grade> = None;
    let mut unmet = Vec::new();
    for minimum in &def.minimums {
        let count: u32 = minimum.rules.iter().map(|code| matched_counts.get(code.as_str()).copied().unwrap_or(0)).sum();
        if count < minimum.count {
            unmet.push(minimum.label.clone());
            grade_cap = Some(match grade_cap {
                Some(g) if g.order() >= minimum.max_grade.order() => g,
                _ => minimum.max_grade,
            });
        }
    }
    Outcome { seated, lines, subtotals, computed_cents, grade_cap, unmet_minimums: unmet }
}

/// The final figures of a result, from what was computed and the adjustments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finish {
    /// The total (hundredths).
    pub total_cents: i64,
    /// The grade.
    pub grade: Grade,
    /// Whether it reaches the pass mark.
    pub passed: bool,
    /// 通报表彰.
    pub commend: bool,
    /// 提醒谈话.
    pub reminder: bool,
    /// 劝辞.
    pub resign: bool,
}

/// Total, grade, pass and flags of a result.
pub fn finish(
    def: &Definition,
    computed_cents: i64,
    adjustment_cents: i64,
    grade_cap: Option<Grade>,
    previous_failed: bool,
    plenary_absences: i32,
) -> Finish {
    let mut total = computed_cents + adjustment_cents;
    if def.floor_at_zero {
        total = total.max(0);
    }
    if let Some(max) = def.max_points.map(cents) {
        total = total.min(max);
    }
    let top = def.grades.first().map_or(Grade::Competent, |b| b.grade);
    let lowest = def.lowest_grade().unwrap_or(Grade::Incompetent);
    let mut grade = def.grades.iter().find(|b| total >= cents(b.min_points)).map_or(lowest, |b| b.grade);
    if let Some(cap) = grade_cap
        && grade.order() < cap.order()
    {
        grade = cap;
    }
    let passed = match def.pass_mark.map(cents) {
        Some(mark) => total >= mark && grade != lowest,
        None => grade != lowest,
    };
    let too_many_absences = def.plenary_absence_limit.is_some_and(|limit| plenary_absences >= limit);
    Finish {
        total_cents: total,
        grade,
        passed,
        commend: grade == top,
        reminder: grade == lowest && def.grades.len() > 1,
        resign: (!passed && previous_failed) || too_many_absences,
    }
}

/// Unexcused plenary absences of each member from their term's start to the end of `year`.
pub async fn plenary_absences(
    db: &impl ConnectionTrait,
    members: &[Seated],
    year: i32,
) -> AppResult<HashMap<i64, i32>> {
    let (_, last) = year_bounds(year)?;
    let starts: HashSet<NaiveDate> = members.iter().map(|s| s.term_start).collect();
    let mut by_start: HashMap<NaiveDate, HashMap<i64, i32>> = HashMap::new();
    for start in starts {
        let rows = db
            .query_all_raw(statement(
                db.get_database_backend(),
                "SELECT p.member_id, COUNT(*) AS n FROM participation p JOIN activity a ON a.id = p.activity_id \
                 WHERE a.kind = 'PLENARY_SESSION' AND a.status = 'DONE' AND p.attendance = 'ABSENT' \
                 AND p.activity_date >= ? AND p.activity_date <= ? GROUP BY p.member_id",
                vec![date(start), date(last)],
            ))
            .await?;
        let mut counts = HashMap::new();
        for row in rows {
            let n: i64 = get(&row, "n")?;
            counts.insert(get::<i64>(&row, "member_id")?, i32::try_from(n).unwrap_or(i32::MAX));
        }
        by_start.insert(start, counts);
    }
    Ok(members
        .iter()
        .map(|s| (s.member_id, by_start.get(&s.term_start).and_then(|c| c.get(&s.member_id)).copied().unwrap_or(0)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_half_away_from_zero() {
        assert_eq!(share(1000, 1, 2), 500);
        assert_eq!(share(500, 1, 3), 167);
        assert_eq!(share(-500, 1, 3), -167);
        assert_eq!(share(1, 1, 2), 1);
        assert_eq!(share(-1, 1, 2), -1);
    }

    #[test]
    fn every_read_comes_once_the_broadest_activity_rules_first() {
        for name in ["tongcheng", "jinan", "yanbian"] {
            let def = super::super::rules::preset(name).map_err(|e| e.message()).unwrap().definition;
            let reads = reads(&def);
            let key = |r: &Read| match r {
                Read::Seated => 0,
                Read::Rule(i) => i + 1,
            };
            let mut sorted = reads.clone();
            sorted.sort_by_key(key);
            let every: Vec<Read> = std::iter::once(Read::Seated).chain((0..def.rules.len()).map(Read::Rule)).collect();
            assert_eq!(sorted, every, "{name}");
            // ACTIVITY rules, by kinds admitted (all when none is named), then the members.
            let all = ActivityKind::iter().count();
            let kinds = |r: &Read| match r {
                Read::Rule(i) if def.rules[*i].source == RuleSource::Activity => {
                    let kinds = &def.rules[*i].activity_kinds;
                    Some(if kinds.is_empty() { all } else { kinds.len() })
                }
                _ => None,
            };
            let seated = reads.iter().position(|r| *r == Read::Seated).unwrap();
            let activity: Vec<usize> = reads[..seated].iter().map(|r| kinds(r).unwrap()).collect();
            assert!(activity.windows(2).all(|w| w[0] >= w[1]), "{name}: {reads:?}");
            assert!(reads[seated..].iter().all(|r| kinds(r).is_none()), "{name}: {reads:?}");
        }
        // 桐城's rule counting ten kinds of activity (its longest read) is among the first two,
        // which two readers begin at once.
        let tongcheng = super::super::rules::preset("tongcheng").map_err(|e| e.message()).unwrap().definition;
        let first_two = &reads(&tongcheng)[..2];
        assert!(first_two.iter().any(|r| matches!(r, Read::Rule(i) if tongcheng.rules[*i].code == "activity")));
    }

    #[test]
    fn placeholders_are_numbered_for_postgres() {
        let s = statement(DbBackend::Postgres, "a = ? AND b IN (?, ?)", vec![]);
        assert_eq!(s.sql, "a = $1 AND b IN ($2, $3)");
    }
}
