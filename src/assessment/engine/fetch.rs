//! Fetching a run's records: the members seated in the year with their cohorts, each rule's
//! matching records by source (activity, training, proposal, opinion report, duty item), the
//! planner that cuts each member's records to those that can count (and samples whether to
//! walk participations or read them), and the plenary absences behind 劝辞.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ActiveEnum, ConnectionTrait, DbBackend, StreamTrait, Value};

use super::{
    Fetch,
    score::{Record, Seated},
    sql::{ActivityRow, DutyRow, SignedRow, TrainingRow, code_of, date, each_row, get, marks, statement},
};
use crate::{
    assessment::rules::{self, Definition, Rule, cents},
    dates::year_bounds,
    error::AppResult,
};
use entity::enums::{
    ActivityKind, ActivitySubkind, AssessmentScale, Attendance, DutyItemKind, OpinionMilestone, ProposalMilestone,
    RulePer, RuleSource, SignerRole, TrainingMeasure,
};

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
                     AND (end_date IS NULL OR end_date >= ?) AND voided_at IS NULL ORDER BY member_id, start_date, id"
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

/// A record of joint work (a proposal's or a report's signature): `what` was done on its
/// title; co-signers' lines say `co` after the title.
fn signed(SignedRow(source_id, member_id, date, role, title, signers): SignedRow, what: &str, co: &str) -> Record {
    let role = code_of::<SignerRole>(&role).unwrap_or(SignerRole::Co);
    let description = match role {
        SignerRole::First => format!("{what}《{title}》"),
        SignerRole::Co => format!("{what}《{title}》{co}"),
    };
    Record { signer: Some((role, signers)), ..Record::new(member_id, source_id, date, description) }
}

/// How many of a member's records (in date order) can possibly count for `rule`, when that is
/// bounded: one for a once-a-year rule; for a rule worth the same fixed points on every record,
/// the skipped ones plus as many as fit under the tightest cap over them (the rule's cap, the
/// category's and, on a BASE_PLUS_BONUS scale, the bonus cap for positive points), plus one.
/// Records past the bound would be dropped by that cap, so they need not leave the database;
/// only their number matters (for minimum requirements), and it is counted in SQL.
pub(super) fn record_limit(def: &Definition, rule: &Rule) -> Option<i64> {
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

/// The most matches of `rule` any minimum requirement asks for: a member's records can be cut
/// at a limit no lower than this and still be judged against every minimum (a sum reaches a
/// count no greater than each of its terms' limits exactly when the uncut sum does).
pub(super) fn minimum_need(def: &Definition, rule: &Rule) -> i64 {
    def.minimums.iter().filter(|m| m.rules.contains(&rule.code)).map(|m| i64::from(m.count)).max().unwrap_or(0)
}

/// The records `rule` matches in `year`, for every member, in (member, date, id) order; only the
/// first [`record_limit`] of each member when that is given. Rows arrive in documents of a few
/// hundred members each (see [`each_row`]); past the limit they are only counted, so no more
/// than a document's rows are held beyond the records kept.
pub(super) async fn records(
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
            // Only invitations count (应出席); 列席 rows never do.
            let mut cond = String::from(
                "a.status = 'DONE' AND a.voided_at IS NULL AND p.invited AND p.activity_date >= ? \
                     AND p.activity_date <= ?",
            );
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
                // walks then move forward through the index, faster than in name order).
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
                 JOIN training_session ts ON ts.id = ta.session_id WHERE ts.start_date >= ? AND ts.start_date <= ? \
                 AND ts.voided_at IS NULL",
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
                        TrainingMeasure::Hours => format!("培训《{title}》 {}学时", rules::points(hours * 10)),
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
                 WHERE p.year = ? AND p.status <> 'CONVERTED' AND p.voided_at IS NULL{condition}"
            );
            if !rule.signer_roles.is_empty() {
                sql.push_str(&format!(" AND s.role IN ({})", marks(rule.signer_roles.len())));
                values.extend(codes(rule.signer_roles.iter().map(ActiveEnum::to_value).collect()));
            }
            let what = milestone.label();
            each_row(db, &sql, values, &["id", "member_id", "day", "role", "title", "n"], |row| {
                out.push(signed(row, what, "（联名）"))
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
                 ON c.report_id = r.id WHERE r.year = ? AND r.status <> 'WITHDRAWN' AND r.voided_at IS NULL"
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
                out.push(signed(row, what, "（合作）"))
            })
            .await?;
        }
        RuleSource::DutyItem => {
            let mut sql = String::from(
                "SELECT id, member_id, date, kind, title FROM duty_item WHERE date >= ? AND date <= ? \
                 AND voided_at IS NULL AND status ",
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
                 WHERE a.kind = 'PLENARY_SESSION' AND a.status = 'DONE' AND a.voided_at IS NULL \
                 AND p.attendance = 'ABSENT' AND p.invited \
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
