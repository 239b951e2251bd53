//! The reads measured: lvzhi's GraphQL document, the floor (hand-written SQL for the same data)
//! and, for the four reads measured beside PostGraphile, the peer's document and how both
//! answers are brought to one shape to be compared.

use base64::Engine;
use sea_orm::Value;
use serde_json::{Value as Json, json};

use crate::client::Res;

#[path = "analytics.rs"]
mod analytics;

/// What the documents' variables are made of, found once the database is ready.
#[derive(Clone, Copy, Debug)]
pub struct Ctx {
    /// The member whose attendance and participations are read (row id).
    pub member: i64,
    /// The 2024 assessment run (row id): the appraisal view's run.
    pub run: i64,
}

/// Turns an answer's `data` into the shape both sides are compared in.
pub type Normalise = fn(&Json) -> Res<Json>;

pub struct PeerRead {
    pub query: &'static str,
    /// Variables for a page of `n`.
    pub variables: fn(i64, &Ctx) -> Json,
    pub ours: Normalise,
    pub peer: Normalise,
}

pub struct ReadOp {
    /// What `--only` calls it.
    pub key: &'static str,
    pub name: &'static str,
    pub query: &'static str,
    /// Variables for a page of `n` (reads without pages ignore `n`).
    pub variables: fn(i64, &Ctx) -> Json,
    pub paged: bool,
    /// Hand-written SQL for the same data (none: no floor is measured).
    pub floor: Vec<(&'static str, Vec<Value>)>,
    /// A check of lvzhi's answer before the load (that it holds what the read is about).
    pub check: Option<Normalise>,
    /// The same data fetched from PostGraphile (the four reads of the side-by-side table).
    pub peer: Option<PeerRead>,
}

pub fn gid(kind: &str, id: i64) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{kind}:{id}"))
}

/// The row id in one of lvzhi's global IDs.
pub fn row_id(global: &Json) -> Res<i64> {
    let text = global.as_str().ok_or_else(|| format!("not an ID: {global}"))?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(text).map_err(|e| format!("ID {text}: {e}"))?;
    String::from_utf8_lossy(&bytes)
        .rsplit(':')
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("ID {text} has no row id"))
}

// ----- lvzhi's documents and the floors -----

const MEMBER_PAGE: &str = "query MemberPage($first: Int!) { members(first: $first, orderBy: [{ field: NAME }]) {
  nodes { id name pinyin
    currentSeat { memberNumber party standingCommittee sector { name } }
    committeeMemberships(current: true) { role specialCommittee { name } }
    studioAssignments(current: true) { studio { name region { name } } } } } }";

const MEMBER_PAGE_FLOOR: &str = "SELECT m.id, m.name, m.name_pinyin, s.member_number, s.party, s.standing_committee, \
  sec.name AS sector, cm.role AS committee_role, c.name AS committee, st.name AS studio, r.name AS region \
  FROM member m JOIN seat s ON s.member_id = m.id AND s.end_date IS NULL \
  LEFT JOIN sector sec ON sec.id = s.sector_id \
  LEFT JOIN committee_membership cm ON cm.member_id = m.id AND cm.end_date IS NULL \
  LEFT JOIN special_committee c ON c.id = cm.committee_id \
  LEFT JOIN studio_assignment sa ON sa.member_id = m.id AND sa.end_date IS NULL \
  LEFT JOIN studio st ON st.id = sa.studio_id LEFT JOIN region r ON r.id = st.region_id \
  ORDER BY m.name_pinyin, m.id LIMIT 50";

const APPRAISAL: &str =
    "query Appraisal($first: Int!) { assessments(year: 2024, first: $first, orderBy: [{ field: RANK }]) {
  nodes { rank total grade gradeLabel passed flags
    sector: cohortRank(cohort: SECTOR) committee: cohortRank(cohort: SPECIAL_COMMITTEE)
    subtotals { category label points records } member { name } } } }";

const APPRAISAL_FLOOR: &str = "SELECT a.rank, a.total_cents, a.grade, a.passed, a.flag_commend, a.flag_reminder, \
  a.flag_resign, a.sector_rank, a.committee_rank, a.subtotals, m.name FROM member_assessment a \
  JOIN member m ON m.id = a.member_id WHERE a.run_id = (SELECT MAX(id) FROM assessment_run WHERE year = 2024) \
  ORDER BY a.rank, a.name_pinyin, a.id LIMIT 50";

const DUTY_FILE: &str = "query DutyFile($id: ID!) { member(id: $id) { name pinyin phone
  currentSeat { memberNumber sector { name } }
  attendance(year: 2024) { present late leftEarly excused absent expected attended rate }
  trainingHours(year: 2024)
  participations(year: 2024, first: 50) { nodes { date attendance role activity { title kind } } }
  dutyItems(year: 2024) { kind title date status }
  proposals(year: 2024) { nodes { title status } }
  opinionReports(year: 2024) { nodes { title status } }
  assessment(year: 2024) { total grade rank subtotals { category points } lines { date description points } } } }";

const ATTENDANCE: &str = "query Attendance($id: ID!) { member(id: $id) {
  attendance(year: 2024) { present late leftEarly excused absent } } }";

const ATTENDANCE_FLOOR: &str = "SELECT p.attendance, COUNT(*) AS n FROM participation p \
  JOIN activity a ON a.id = p.activity_id WHERE p.member_id = ? AND p.activity_date >= '2024-01-01' \
  AND p.activity_date <= '2024-12-31' AND a.status <> 'CANCELLED' AND p.invited GROUP BY p.attendance";

const PARTICIPATIONS: &str = "query Participations($id: ID!, $first: Int!) { member(id: $id) {
  participations(year: 2024, first: $first) { nodes { date attendance role activity { title kind } } } } }";

const PARTICIPATIONS_FLOOR: &str = "SELECT p.activity_date, p.attendance, p.role, a.title, a.kind FROM participation p \
  JOIN activity a ON a.id = p.activity_id WHERE p.member_id = ? AND p.activity_date >= '2024-01-01' \
  AND p.activity_date <= '2024-12-31' ORDER BY p.activity_date DESC, p.id DESC LIMIT 50";

fn duty_file_floor() -> Vec<(&'static str, Vec<Value>)> {
    let m = || Value::BigInt(Some(1));
    vec![
        (
            "SELECT m.name, m.name_pinyin, m.phone, s.member_number, sec.name AS sector FROM member m \
             JOIN seat s ON s.member_id = m.id LEFT JOIN sector sec ON sec.id = s.sector_id WHERE m.id = ?",
            vec![m()],
        ),
        (
            "SELECT p.attendance, COUNT(*) AS n, SUM(CASE WHEN a.compulsory THEN 1 ELSE 0 END) AS expected \
             FROM participation p JOIN activity a ON a.id = p.activity_id \
             WHERE p.member_id = ? AND p.activity_date >= '2024-01-01' AND p.activity_date <= '2024-12-31' \
             AND p.invited GROUP BY p.attendance",
            vec![m()],
        ),
        (
            "SELECT SUM(ta.hours_tenths) AS hours FROM training_attendance ta JOIN training_session ts \
             ON ts.id = ta.session_id WHERE ta.member_id = ? AND ts.start_date >= '2024-01-01' \
             AND ts.start_date <= '2024-12-31'",
            vec![m()],
        ),
        (PARTICIPATIONS_FLOOR, vec![m()]),
        (
            "SELECT kind, title, date, status FROM duty_item WHERE member_id = ? AND date >= '2024-01-01' \
             AND date <= '2024-12-31' ORDER BY date, id",
            vec![m()],
        ),
        (
            "SELECT p.title, p.status FROM proposal p JOIN proposal_signer s ON s.proposal_id = p.id \
             WHERE s.member_id = ? AND p.year = 2024 ORDER BY p.id LIMIT 20",
            vec![m()],
        ),
        (
            "SELECT r.title, r.status FROM opinion_report r JOIN opinion_author a ON a.report_id = r.id \
             WHERE a.member_id = ? AND r.year = 2024 ORDER BY r.id LIMIT 20",
            vec![m()],
        ),
        (
            "SELECT a.total_cents, a.grade, a.rank, a.subtotals, l.lines \
             FROM member_assessment a LEFT JOIN assessment_lines l ON l.assessment_id = a.id \
             WHERE a.member_id = ? AND a.year = 2024",
            vec![m()],
        ),
    ]
}

const YEAR_IN_REVIEW: &str = "query YearInReview { yearInReview(year: 2024) { members specialCommittees towns studios
  activitiesByKind { kind count } consultations proposals { submitted accepted answered metRate satisfiedRate }
  opinionReports opinionReportsAdopted researchReports suggestions readingEvents readingParticipations
  studioConsultations } }";

fn year_in_review_floor() -> Vec<(&'static str, Vec<Value>)> {
    vec![
        (
            "SELECT COUNT(DISTINCT s.member_id) AS n FROM seat s WHERE s.start_date <= '2024-12-31' \
             AND (s.end_date IS NULL OR s.end_date >= '2024-01-01')",
            vec![],
        ),
        ("SELECT COUNT(*) AS n FROM special_committee", vec![]),
        ("SELECT COUNT(*) AS n FROM region WHERE parent_id IS NULL", vec![]),
        ("SELECT COUNT(*) AS n FROM studio", vec![]),
        (
            "SELECT a.kind, COUNT(*) AS n, SUM(CASE WHEN a.kind = 'CONSULTATION' THEN 1 ELSE 0 END) AS consultations, \
             SUM(CASE WHEN a.kind = 'STUDIO_RECEPTION' THEN 1 ELSE 0 END) AS studio FROM activity a \
             WHERE a.start_date >= '2024-01-01' AND a.start_date <= '2024-12-31' AND a.status = 'DONE' GROUP BY a.kind",
            vec![],
        ),
        (
            "SELECT COUNT(*) AS submitted, SUM(CASE WHEN accepted_on IS NOT NULL THEN 1 ELSE 0 END) AS accepted, \
             SUM(CASE WHEN answered_on IS NOT NULL THEN 1 ELSE 0 END) AS answered, \
             SUM(CASE WHEN met_proposer THEN 1 ELSE 0 END) AS met FROM proposal WHERE year = 2024 \
             AND status <> 'CONVERTED'",
            vec![],
        ),
        (
            "SELECT COUNT(*) AS n, SUM(CASE WHEN status = 'ADOPTED' THEN 1 ELSE 0 END) AS adopted \
             FROM opinion_report WHERE year = 2024",
            vec![],
        ),
        (
            "SELECT COUNT(*) AS n, SUM(suggestions) AS suggestions FROM duty_item WHERE kind = 'RESEARCH_REPORT' \
             AND status = 'CONFIRMED' AND date >= '2024-01-01' AND date <= '2024-12-31'",
            vec![],
        ),
        (
            "SELECT COUNT(DISTINCT a.id) AS events, COUNT(p.id) AS participations FROM activity a \
             LEFT JOIN participation p ON p.activity_id = a.id WHERE a.kind = 'READING' AND a.status = 'DONE' \
             AND a.start_date >= '2024-01-01' AND a.start_date <= '2024-12-31'",
            vec![],
        ),
    ]
}

// ----- PostGraphile's documents (amber preset's names, from its introspection) -----

const PEER_MEMBER_PAGE: &str = "query MemberPage($first: Int!) {
  allMembers(first: $first, orderBy: [NAME_PINYIN_ASC, NAME_ASC, ROW_ID_ASC]) { nodes { rowId name namePinyin
    seatsByMemberId(condition: { endDate: null }) { nodes { memberNumber party standingCommittee sectorBySectorId { name } } }
    committeeMembershipsByMemberId(condition: { endDate: null }) { nodes { role specialCommitteeByCommitteeId { name } } }
    studioAssignmentsByMemberId(condition: { endDate: null }) { nodes { studioByStudioId { name regionByRegionId { name } } } } } } }";

const PEER_APPRAISAL: &str = "query Appraisal($first: Int!, $run: BigInt!) {
  allMemberAssessments(condition: { runId: $run }, first: $first, orderBy: [RANK_ASC, NAME_PINYIN_ASC, ROW_ID_ASC]) {
    nodes { rank totalCents grade passed flagCommend flagReminder flagResign flagMinimum sectorRank committeeRank
      subtotals memberByMemberId { name } } } }";

const PEER_ATTENDANCE: &str = "query Attendance($id: BigInt!) { memberByRowId(rowId: $id) {
  present: participationsIn(year: 2024, condition: { attendance: \"PRESENT\", invited: true }) { totalCount }
  late: participationsIn(year: 2024, condition: { attendance: \"LATE\", invited: true }) { totalCount }
  leftEarly: participationsIn(year: 2024, condition: { attendance: \"LEFT_EARLY\", invited: true }) { totalCount }
  excused: participationsIn(year: 2024, condition: { attendance: \"EXCUSED\", invited: true }) { totalCount }
  absent: participationsIn(year: 2024, condition: { attendance: \"ABSENT\", invited: true }) { totalCount } } }";

const PEER_PARTICIPATIONS: &str = "query Participations($id: BigInt!, $first: Int!) { memberByRowId(rowId: $id) {
  participationsIn(year: 2024, first: $first, orderBy: [ACTIVITY_DATE_DESC, ROW_ID_DESC]) {
    nodes { activityDate attendance role activityByActivityId { title kind } } } } }";

// ----- bringing answers to one shape -----

/// `value[key]`, which must be there (null is a value; a missing key is a wrong document).
fn at<'a>(value: &'a Json, key: &str) -> Res<&'a Json> {
    value.get(key).ok_or_else(|| format!("no `{key}` in {}", excerpt(value)))
}

fn path<'a>(value: &'a Json, keys: &[&str]) -> Res<&'a Json> {
    keys.iter().try_fold(value, |v, k| at(v, k))
}

/// `value[key]`, or null when `value` is null (an optional object's field).
fn opt<'a>(value: &'a Json, key: &str) -> Res<&'a Json> {
    if value.is_null() { Ok(&Json::Null) } else { at(value, key) }
}

fn list<'a>(value: &'a Json, keys: &[&str]) -> Res<&'a Vec<Json>> {
    let v = path(value, keys)?;
    v.as_array().ok_or_else(|| format!("`{}` is not a list: {}", keys.join("."), excerpt(v)))
}

fn excerpt(value: &Json) -> String {
    value.to_string().chars().take(300).collect()
}

/// Points (a decimal, as lvzhi sends them) or cents (a BigInt string, as PostGraphile sends
/// them) as cents.
fn cents_of_points(points: &Json) -> Res<i64> {
    let text = match points {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    };
    let value: f64 = text.parse().map_err(|_| format!("not a number: {text}"))?;
    Ok((value * 100.0).round() as i64)
}

fn integer(value: &Json) -> Res<i64> {
    match value {
        Json::Number(n) => n.as_i64().ok_or_else(|| format!("not an integer: {n}")),
        Json::String(s) => s.parse().map_err(|_| format!("not an integer: {s}")),
        other => Err(format!("not an integer: {other}")),
    }
}

fn sorted(mut items: Vec<Json>) -> Json {
    items.sort_by_key(|v| v.to_string());
    Json::Array(items)
}

fn ours_member_page(data: &Json) -> Res<Json> {
    list(data, &["members", "nodes"])?
        .iter()
        .map(|m| {
            let seat = at(m, "currentSeat")?;
            let seats = if seat.is_null() {
                vec![]
            } else {
                vec![json!({
                    "number": at(seat, "memberNumber")?, "party": at(seat, "party")?,
                    "standing": at(seat, "standingCommittee")?, "sector": opt(at(seat, "sector")?, "name")?,
                })]
            };
            let committees = list(m, &["committeeMemberships"])?
                .iter()
                .map(|c| Ok(json!([at(c, "role")?, opt(at(c, "specialCommittee")?, "name")?])))
                .collect::<Res<Vec<_>>>()?;
            let studios = list(m, &["studioAssignments"])?
                .iter()
                .map(|s| {
                    let studio = at(s, "studio")?;
                    Ok(json!([opt(studio, "name")?, opt(opt(studio, "region")?, "name")?]))
                })
                .collect::<Res<Vec<_>>>()?;
            Ok(json!({
                "id": row_id(at(m, "id")?)?, "name": at(m, "name")?, "pinyin": at(m, "pinyin")?,
                "seats": seats, "committees": sorted(committees), "studios": sorted(studios),
            }))
        })
        .collect::<Res<Vec<_>>>()
        .map(Json::Array)
}

fn peer_member_page(data: &Json) -> Res<Json> {
    list(data, &["allMembers", "nodes"])?
        .iter()
        .map(|m| {
            let seats = list(m, &["seatsByMemberId", "nodes"])?
                .iter()
                .map(|seat| {
                    Ok(json!({
                        "number": at(seat, "memberNumber")?, "party": at(seat, "party")?,
                        "standing": at(seat, "standingCommittee")?, "sector": opt(at(seat, "sectorBySectorId")?, "name")?,
                    }))
                })
                .collect::<Res<Vec<_>>>()?;
            let committees = list(m, &["committeeMembershipsByMemberId", "nodes"])?
                .iter()
                .map(|c| Ok(json!([at(c, "role")?, opt(at(c, "specialCommitteeByCommitteeId")?, "name")?])))
                .collect::<Res<Vec<_>>>()?;
            let studios = list(m, &["studioAssignmentsByMemberId", "nodes"])?
                .iter()
                .map(|s| {
                    let studio = at(s, "studioByStudioId")?;
                    Ok(json!([opt(studio, "name")?, opt(opt(studio, "regionByRegionId")?, "name")?]))
                })
                .collect::<Res<Vec<_>>>()?;
            Ok(json!({
                "id": integer(at(m, "rowId")?)?, "name": at(m, "name")?, "pinyin": at(m, "namePinyin")?,
                "seats": seats, "committees": sorted(committees), "studios": sorted(studios),
            }))
        })
        .collect::<Res<Vec<_>>>()
        .map(Json::Array)
}

fn ours_appraisal(data: &Json) -> Res<Json> {
    list(data, &["assessments", "nodes"])?
        .iter()
        .map(|a| {
            let subtotals = list(a, &["subtotals"])?
                .iter()
                .map(|s| {
                    Ok(json!([
                        at(s, "category")?,
                        at(s, "label")?,
                        cents_of_points(at(s, "points")?)?,
                        at(s, "records")?
                    ]))
                })
                .collect::<Res<Vec<_>>>()?;
            Ok(json!({
                "rank": at(a, "rank")?, "cents": cents_of_points(at(a, "total")?)?, "grade": at(a, "grade")?,
                "passed": at(a, "passed")?, "flags": at(a, "flags")?, "sectorRank": at(a, "sector")?,
                "committeeRank": at(a, "committee")?, "subtotals": subtotals, "member": path(a, &["member", "name"])?,
            }))
        })
        .collect::<Res<Vec<_>>>()
        .map(Json::Array)
}

fn peer_appraisal(data: &Json) -> Res<Json> {
    list(data, &["allMemberAssessments", "nodes"])?
        .iter()
        .map(|a| {
            // The flags in the order lvzhi lists them.
            let mut flags = Vec::new();
            for (column, flag) in [
                ("flagCommend", "COMMEND"),
                ("flagReminder", "REMINDER_TALK"),
                ("flagResign", "PERSUADE_RESIGN"),
                ("flagMinimum", "MINIMUM_NOT_MET"),
            ] {
                if at(a, column)?.as_bool() == Some(true) {
                    flags.push(flag);
                }
            }
            // A text column holding JSON: [{category, label, cents, records}].
            let text = at(a, "subtotals")?.as_str().ok_or("subtotals is not text")?;
            let stored: Json = serde_json::from_str(text).map_err(|e| format!("subtotals: {e}"))?;
            let subtotals = stored
                .as_array()
                .ok_or("subtotals is not a list")?
                .iter()
                .map(|s| Ok(json!([at(s, "category")?, at(s, "label")?, integer(at(s, "cents")?)?, at(s, "records")?])))
                .collect::<Res<Vec<_>>>()?;
            Ok(json!({
                "rank": at(a, "rank")?, "cents": integer(at(a, "totalCents")?)?, "grade": at(a, "grade")?,
                "passed": at(a, "passed")?, "flags": flags, "sectorRank": at(a, "sectorRank")?,
                "committeeRank": at(a, "committeeRank")?, "subtotals": subtotals,
                "member": path(a, &["memberByMemberId", "name"])?,
            }))
        })
        .collect::<Res<Vec<_>>>()
        .map(Json::Array)
}

const ATTENDANCES: [&str; 5] = ["present", "late", "leftEarly", "excused", "absent"];

fn ours_attendance(data: &Json) -> Res<Json> {
    let a = path(data, &["member", "attendance"])?;
    ATTENDANCES.iter().map(|k| Ok(json!([k, integer(at(a, k)?)?]))).collect::<Res<Vec<_>>>().map(Json::Array)
}

fn peer_attendance(data: &Json) -> Res<Json> {
    let m = at(data, "memberByRowId")?;
    ATTENDANCES
        .iter()
        .map(|k| Ok(json!([k, integer(path(m, &[*k, "totalCount"])?)?])))
        .collect::<Res<Vec<_>>>()
        .map(Json::Array)
}

fn ours_participations(data: &Json) -> Res<Json> {
    list(data, &["member", "participations", "nodes"])?
        .iter()
        .map(|p| {
            let activity = at(p, "activity")?;
            Ok(json!([
                at(p, "date")?,
                at(p, "attendance")?,
                at(p, "role")?,
                at(activity, "title")?,
                at(activity, "kind")?
            ]))
        })
        .collect::<Res<Vec<_>>>()
        .map(Json::Array)
}

fn peer_participations(data: &Json) -> Res<Json> {
    list(data, &["memberByRowId", "participationsIn", "nodes"])?
        .iter()
        .map(|p| {
            let activity = at(p, "activityByActivityId")?;
            Ok(json!([
                at(p, "activityDate")?,
                at(p, "attendance")?,
                at(p, "role")?,
                at(activity, "title")?,
                at(activity, "kind")?
            ]))
        })
        .collect::<Res<Vec<_>>>()
        .map(Json::Array)
}

/// Fails with the first difference when the two answers, in one shape, differ — or when they
/// are empty (an empty page matches any other empty page and proves nothing).
pub fn compare(read: &str, ours: &Json, peer: &Json) -> Res<()> {
    if ours.as_array().is_some_and(Vec::is_empty) {
        return Err(format!("{read}: lvzhi's answer is empty, nothing to compare"));
    }
    if ours == peer {
        return Ok(());
    }
    fn first_difference(a: &Json, b: &Json, at: String) -> String {
        match (a, b) {
            (Json::Array(x), Json::Array(y)) if x.len() != y.len() => {
                format!("{at}: {} items against {}", x.len(), y.len())
            }
            (Json::Array(x), Json::Array(y)) => x
                .iter()
                .zip(y)
                .enumerate()
                .find(|(_, (p, q))| p != q)
                .map(|(i, (p, q))| first_difference(p, q, format!("{at}[{i}]")))
                .unwrap_or_default(),
            (Json::Object(x), Json::Object(y)) => x
                .iter()
                .find(|(k, v)| y.get(k.as_str()) != Some(*v))
                .map(|(k, v)| first_difference(v, y.get(k).unwrap_or(&Json::Null), format!("{at}.{k}")))
                .unwrap_or_else(|| format!("{at}: keys differ")),
            _ => format!("{at}: lvzhi {} against PostGraphile {}", excerpt(a), excerpt(b)),
        }
    }
    Err(format!(
        "{read}: lvzhi and PostGraphile answered different data — {}",
        first_difference(ours, peer, "$".into())
    ))
}

fn member(_: i64, c: &Ctx) -> Json {
    json!({ "id": gid("Member", c.member) })
}

pub fn reads() -> Vec<ReadOp> {
    // The floors read member 1, the member the harness asks about (`Ctx::member`).
    let m = || Value::BigInt(Some(1));
    vec![
        ReadOp {
            key: "member-page",
            name: "member page (50, nested org)",
            check: None,
            query: MEMBER_PAGE,
            variables: |n, _| json!({ "first": n }),
            paged: true,
            floor: vec![(MEMBER_PAGE_FLOOR, vec![])],
            peer: Some(PeerRead {
                query: PEER_MEMBER_PAGE,
                variables: |n, _| json!({ "first": n }),
                ours: ours_member_page,
                peer: peer_member_page,
            }),
        },
        ReadOp {
            key: "appraisal",
            name: "appraisal view (50)",
            check: None,
            query: APPRAISAL,
            variables: |n, _| json!({ "first": n }),
            paged: true,
            floor: vec![(APPRAISAL_FLOOR, vec![])],
            peer: Some(PeerRead {
                query: PEER_APPRAISAL,
                variables: |n, c| json!({ "first": n, "run": c.run.to_string() }),
                ours: ours_appraisal,
                peer: peer_appraisal,
            }),
        },
        ReadOp {
            key: "attendance",
            name: "member's 2024 attendance",
            check: None,
            query: ATTENDANCE,
            variables: member,
            paged: false,
            floor: vec![(ATTENDANCE_FLOOR, vec![m()])],
            peer: Some(PeerRead {
                query: PEER_ATTENDANCE,
                variables: |_, c| json!({ "id": c.member.to_string() }),
                ours: ours_attendance,
                peer: peer_attendance,
            }),
        },
        ReadOp {
            key: "participations",
            name: "member's 2024 participations (50)",
            check: None,
            query: PARTICIPATIONS,
            variables: |n, c| json!({ "id": gid("Member", c.member), "first": n }),
            paged: true,
            floor: vec![(PARTICIPATIONS_FLOOR, vec![m()])],
            peer: Some(PeerRead {
                query: PEER_PARTICIPATIONS,
                variables: |n, c| json!({ "id": c.member.to_string(), "first": n }),
                ours: ours_participations,
                peer: peer_participations,
            }),
        },
        ReadOp {
            key: "duty-file",
            name: "member's duty file",
            check: None,
            query: DUTY_FILE,
            variables: member,
            paged: false,
            floor: duty_file_floor(),
            peer: None,
        },
        ReadOp {
            key: "year-in-review",
            name: "yearInReview",
            check: None,
            query: YEAR_IN_REVIEW,
            variables: |_, _| json!({}),
            paged: false,
            floor: year_in_review_floor(),
            peer: None,
        },
    ]
    .into_iter()
    .chain(analytics::reads())
    .collect()
}

pub const RECORD_ACTIVITY: &str = "mutation Record($input: RecordActivityInput!) { recordActivity(input: $input) {
  activity { id } } }";

pub fn record_input(i: usize, members: u64) -> Json {
    let participants: Vec<_> =
        (0..50u64).map(|k| json!({ "memberId": gid("Member", ((i as u64 * 50 + k) % members + 1) as i64) })).collect();
    json!({ "input": {
        "title": format!("基准测试活动{i}"), "kind": "CONSULTATION", "startDate": "2024-11-20",
        "participants": participants } })
}
