//! A year's duty records per group of members — by sector, special committee, studio, town,
//! party, standing or newness, the dimensions of `AssessmentRun.groups` —: per group the members
//! seated in the year, participations and attendance per activity kind, proposals submitted and
//! accepted, public-opinion reports submitted and adopted, training hours.
//!
//! A member belongs to one group per dimension, as an assessment run places them: the seat of
//! the year (the latest begun) gives the sector, party, standing flag and newness (no seat in an
//! earlier term); the committee and studio are the latest begun of those held in the year, and
//! the town is that studio's. All of a member's records of the year count in that group.
//!
//! Three statements whatever the number of groups or members, each a `GROUP BY` over the same
//! `WITH` clause that places every member: the groups with their member counts and labels, the
//! participations (through [`duty::participation_counts`], the analytics' one count of
//! attendance), and the proposals, reports and training hours in one `UNION ALL`.

use std::collections::HashMap;

use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use super::{
    duty::{self, KindFigures, Per, params},
    groups::{GroupKey, flag_label, none_label, order},
};
use crate::{
    auth::{Actor, policy},
    dates::year_bounds,
    error::{AppError, AppResult},
    training::service::hours,
};
use entity::enums::{ActivityKind, AssessmentGroupBy, Party};

/// The duty records of one group of members in a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupFigures {
    /// What the group is (as `AssessmentRun.groups` keys it).
    pub key: GroupKey,
    /// Its Chinese label.
    pub label: String,
    /// Members seated in the year placed in the group.
    pub member_count: i64,
    /// Participations per activity kind (only kinds with any), in the kinds' order.
    pub activities: Vec<KindFigures>,
    /// Proposals of the year signed (first or co) by a member of the group, each counted once.
    pub proposals_submitted: i64,
    /// Of which accepted (立案).
    pub proposals_accepted: i64,
    /// Public-opinion reports of the year written (first or co) by a member of the group.
    pub reports_submitted: i64,
    /// Of which adopted.
    pub reports_adopted: i64,
    /// Training hours the group's members earned in sessions that began in the year.
    pub training_hours: Decimal,
}

/// The `WITH` clause placing every member seated in the year (parameters 1 and 2: its first
/// and last day) in one group of `by`: `cohort(member_id, k)`, `k` a unit's id, a party's
/// position in [`Party::ALL`], 1/0 for a yes/no dimension, or -1 for members without a unit.
fn cohort_sql(backend: DbBackend, by: AssessmentGroupBy) -> String {
    let p = params(backend, 1, 2);
    let (first, last) = (&p[0], &p[1]);
    let held = |table: &str, column: &str| {
        format!(
            "(SELECT h.{column} FROM {table} h WHERE h.member_id = seated.member_id AND h.start_date <= {last} \
             AND (h.end_date IS NULL OR h.end_date >= {first}) AND h.voided_at IS NULL ORDER BY h.start_date DESC, h.id DESC LIMIT 1)"
        )
    };
    let key = match by {
        AssessmentGroupBy::Sector => "sector_id".to_owned(),
        AssessmentGroupBy::SpecialCommittee => held("committee_membership", "committee_id"),
        AssessmentGroupBy::Studio => held("studio_assignment", "studio_id"),
        AssessmentGroupBy::Town => format!(
            "(SELECT CASE WHEN r.parent_id IS NULL THEN r.id ELSE r.parent_id END \
             FROM studio st JOIN region r ON r.id = st.region_id WHERE st.id = {})",
            held("studio_assignment", "studio_id")
        ),
        AssessmentGroupBy::Party => {
            let arms: String = Party::ALL
                .iter()
                .enumerate()
                .map(|(i, party)| format!(" WHEN '{}' THEN {i}", sea_orm::ActiveEnum::to_value(party)))
                .collect();
            format!("CASE party{arms} END")
        }
        AssessmentGroupBy::Standing => "CASE WHEN standing THEN 1 ELSE 0 END".to_owned(),
        AssessmentGroupBy::NewMember => "CASE WHEN EXISTS (SELECT 1 FROM seat e JOIN term et ON et.id = e.term_id \
             WHERE e.member_id = seated.member_id AND et.start_date < seated.term_start) THEN 0 ELSE 1 END"
            .to_owned(),
    };
    format!(
        "WITH seated AS (
           SELECT member_id, sector_id, party, standing, term_start FROM (
             SELECT s.member_id, s.sector_id, s.party, s.standing_committee AS standing, t.start_date AS term_start,
                    ROW_NUMBER() OVER (PARTITION BY s.member_id ORDER BY s.start_date DESC, s.id DESC) AS rn
             FROM seat s JOIN term t ON t.id = s.term_id
             WHERE t.start_date <= {last} AND t.end_date >= {first} AND s.start_date <= {last}
               AND (s.end_date IS NULL OR s.end_date >= {first})) x
           WHERE rn = 1),
         cohort AS (SELECT member_id, CAST(COALESCE({key}, -1) AS BIGINT) AS k FROM seated)"
    )
}

/// The table holding the units of a dimension (for their names), if it has units.
fn unit_table(by: AssessmentGroupBy) -> Option<&'static str> {
    match by {
        AssessmentGroupBy::Sector => Some("sector"),
        AssessmentGroupBy::SpecialCommittee => Some("special_committee"),
        AssessmentGroupBy::Studio => Some("studio"),
        AssessmentGroupBy::Town => Some("region"),
        AssessmentGroupBy::Party | AssessmentGroupBy::Standing | AssessmentGroupBy::NewMember => None,
    }
}

fn key_of(by: AssessmentGroupBy, k: i64) -> AppResult<GroupKey> {
    Ok(match by {
        AssessmentGroupBy::Party => GroupKey::Party(
            usize::try_from(k)
                .ok()
                .and_then(|i| Party::ALL.get(i).copied())
                .ok_or_else(|| AppError::Internal(format!("a seat has an unknown party (position {k})")))?,
        ),
        AssessmentGroupBy::Standing | AssessmentGroupBy::NewMember => GroupKey::Flag(k == 1),
        _ => GroupKey::Unit((k >= 0).then_some(k)),
    })
}

/// The year's duty records of each group of `by`, as the actor may see them
/// ([`policy::read_duty_record_groups`]): staff every group; a VIEWER only groups of at least
/// [`policy::SMALLEST_VISIBLE_GROUP`] members (smaller ones are omitted). Listed as
/// `AssessmentRun.groups` lists them: by the unit's id (members without one last), the party's
/// order, yes before no.
pub async fn by_group(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
    by: AssessmentGroupBy,
) -> AppResult<Vec<GroupFigures>> {
    let scope = policy::read_duty_record_groups(actor)?;
    let (first, last) = year_bounds(year)?;
    let backend = db.get_database_backend();
    let with = cohort_sql(backend, by);
    let bounds = || -> Vec<Value> { vec![first.into(), last.into()] };

    let label = unit_table(by).map_or(("CAST(NULL AS TEXT)".to_owned(), String::new()), |table| {
        ("MIN(u.name)".to_owned(), format!("LEFT JOIN {table} u ON u.id = c.k"))
    });
    let groups = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "{with} SELECT c.k AS k, {} AS label, CAST(COUNT(*) AS BIGINT) AS n FROM cohort c {} GROUP BY c.k",
                label.0, label.1
            ),
            bounds(),
        ))
        .await?;

    let participations = duty::participation_counts(db, year, Per::Cohort(&with)).await?;

    let y = &params(backend, 3, 1)[0];
    let records_sql = format!(
        "{with}
         SELECT 'P' AS src, c.k AS k, CAST(COUNT(DISTINCT pr.id) AS BIGINT) AS a,
                CAST(COUNT(DISTINCT CASE WHEN pr.accepted_on IS NOT NULL THEN pr.id END) AS BIGINT) AS b
         FROM proposal pr JOIN proposal_signer ps ON ps.proposal_id = pr.id JOIN cohort c ON c.member_id = ps.member_id
         WHERE pr.year = {y} AND pr.status <> 'CONVERTED' AND pr.voided_at IS NULL GROUP BY c.k
         UNION ALL
         SELECT 'R' AS src, c.k AS k, CAST(COUNT(DISTINCT o.id) AS BIGINT) AS a,
                CAST(COUNT(DISTINCT CASE WHEN o.status = 'ADOPTED' THEN o.id END) AS BIGINT) AS b
         FROM opinion_report o JOIN opinion_author oa ON oa.report_id = o.id JOIN cohort c ON c.member_id = oa.member_id
         WHERE o.year = {y} AND o.status <> 'WITHDRAWN' AND o.voided_at IS NULL GROUP BY c.k
         UNION ALL
         SELECT 'T' AS src, c.k AS k, CAST(SUM(t.hours_tenths) AS BIGINT) AS a, CAST(0 AS BIGINT) AS b
         FROM training_attendance t JOIN training_session s ON s.id = t.session_id
              JOIN cohort c ON c.member_id = t.member_id
         WHERE s.start_date BETWEEN {} AND {} AND s.voided_at IS NULL GROUP BY c.k",
        params(backend, 1, 1)[0],
        params(backend, 2, 1)[0],
    );
    let mut values = bounds();
    values.push(year.into());
    let rows = db.query_all_raw(Statement::from_sql_and_values(backend, records_sql, values)).await?;
    let mut records: HashMap<(String, i64), (i64, i64)> = HashMap::new();
    for row in &rows {
        let get = |c: &str| -> AppResult<i64> { Ok(row.try_get::<Option<i64>>("", c)?.unwrap_or(0)) };
        records.insert((row.try_get("", "src")?, get("k")?), (get("a")?, get("b")?));
    }
    let record = |src: &str, k: i64| records.get(&(src.to_owned(), k)).copied().unwrap_or_default();

    let mut out = Vec::with_capacity(groups.len());
    for row in &groups {
        let k: i64 = row.try_get("", "k")?;
        let member_count: i64 = row.try_get("", "n")?;
        if member_count < scope.smallest_group() {
            continue;
        }
        let key = key_of(by, k)?;
        let label = match &key {
            GroupKey::Unit(None) => none_label(by).to_owned(),
            GroupKey::Unit(Some(id)) => row.try_get::<Option<String>>("", "label")?.unwrap_or_else(|| format!("#{id}")),
            GroupKey::Party(party) => party.label().to_owned(),
            GroupKey::Flag(yes) => flag_label(by, *yes).to_owned(),
        };
        let mut activities: Vec<KindFigures> = participations
            .iter()
            .filter(|r| r.0 == k)
            .map(|&(_, kind, participations, attended)| KindFigures { kind, participations, attended })
            .collect();
        activities.sort_by_key(|a| ActivityKind::ALL.iter().position(|x| *x == a.kind));
        let (proposals_submitted, proposals_accepted) = record("P", k);
        let (reports_submitted, reports_adopted) = record("R", k);
        out.push(GroupFigures {
            key,
            label,
            member_count,
            activities,
            proposals_submitted,
            proposals_accepted,
            reports_submitted,
            reports_adopted,
            training_hours: hours(record("T", k).0),
        });
    }
    out.sort_by_key(|g| order(&g.key));
    Ok(out)
}
