//! Issue 20, corrections (editing): correcting training sessions and public-opinion reports,
//! withdrawing a report, reopening a decided duty item and correcting an assignment's dates
//! (discarding runs and rule sets: `discards.rs`). Each correction changes what readers see and
//! the counts that follow, writes its audit entry, and a refused one leaves everything as it was.

use entity::enums::Role;
use lvzhi::relay::Kind;
use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, gid, member, members, org},
    helpers::{Scope, TestApp, error_code, error_field},
};

/// The audit entries of `operation`, oldest first, as `(entity, before, after)`.
pub(crate) async fn audit(app: &TestApp, operation: &str) -> Vec<(String, Value, Value)> {
    let data = app
        .ok(
            "query($f: AuditFilterInput) { auditLog(filter: $f, first: 50) { nodes { entity before after } } }",
            json!({ "f": { "operation": operation } }),
        )
        .await;
    let mut rows: Vec<(String, Value, Value)> = data["auditLog"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["entity"].as_str().unwrap().to_owned(), n["before"].clone(), n["after"].clone()))
        .collect();
    rows.reverse();
    rows
}

// ----- training sessions -----

const RECORD_TRAINING: &str = "mutation($input: RecordTrainingSessionInput!) { recordTrainingSession(input: $input) {
    trainingSession { id } } }";
const UPDATE_TRAINING: &str = "mutation($input: UpdateTrainingSessionInput!) { updateTrainingSession(input: $input) {
    trainingSession { title startDate endDate creditHours attendees { hours completed } } } }";

async fn training(app: &TestApp, member: &str) -> String {
    let input = json!({ "title": "委员培训班", "kind": "CLASS", "startDate": "2023-05-16", "creditHours": "2",
        "attendees": [{ "memberId": member, "hours": "2", "completed": true }] });
    let data = app.ok(RECORD_TRAINING, json!({ "input": input })).await;
    data["recordTrainingSession"]["trainingSession"]["id"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn update_training_session_moves_its_hours_with_its_date_and_replaces_the_attendees() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let me = gid(Kind::Member, members(&app, &org, 1).await[0]);
    let id = training(&app, &me).await;

    let data = app
        .ok(
            UPDATE_TRAINING,
            json!({ "input": { "id": id, "title": "履职能力提升培训班", "startDate": "2024-03-01", "creditHours": "3",
                "attendees": [{ "memberId": me, "hours": "3" }] } }),
        )
        .await;
    let hours = app
        .ok(
            "query($id: ID!) { member(id: $id) { before: trainingHours(year: 2023) after: trainingHours(year: 2024) } }",
            json!({ "id": me }),
        )
        .await;

    let session = &data["updateTrainingSession"]["trainingSession"];
    assert_eq!(session["title"], "履职能力提升培训班");
    assert_eq!((&session["startDate"], &session["endDate"]), (&json!("2024-03-01"), &json!("2024-03-01")));
    assert_eq!(session["attendees"], json!([{ "hours": "3", "completed": false }]));
    assert_eq!((&hours["member"]["before"], &hours["member"]["after"]), (&json!("0"), &json!("3")));
    let entries = audit(&app, "updateTrainingSession").await;
    let entities: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(entities, ["training_session", "training_session_attendees"]);
    assert_eq!(entries[0].1["start_date"], "2023-05-16");
    assert_eq!(entries[0].2["start_date"], "2024-03-01");
    assert_eq!(entries[1].1[0]["hours_tenths"], 20);
    assert_eq!(entries[1].2[0]["hours_tenths"], 30);
}

#[actix_web::test]
async fn update_training_session_refuses_hours_above_the_credit_and_bad_dates_and_changes_nothing() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let me = gid(Kind::Member, members(&app, &org, 1).await[0]);
    let id = training(&app, &me).await;
    let update = |input: Value| app.admin(UPDATE_TRAINING, json!({ "input": input }));

    let below_earned = update(json!({ "id": id, "creditHours": "1", "title": "改名" })).await;
    let attendee_above = update(json!({ "id": id, "attendees": [{ "memberId": me, "hours": "2.5" }] })).await;
    let reversed = update(json!({ "id": id, "endDate": "2023-05-01" })).await;
    let blank = update(json!({ "id": id, "title": " " })).await;
    let missing = update(json!({ "id": gid(Kind::TrainingSession, 999), "title": "x" })).await;
    let after = app.ok("{ trainingSessions { nodes { title creditHours attendees { hours } } } }", json!({})).await;

    assert_eq!((error_code(&below_earned), error_field(&below_earned)), ("BAD_USER_INPUT", "input.creditHours"));
    assert_eq!(
        (error_code(&attendee_above), error_field(&attendee_above)),
        ("BAD_USER_INPUT", "input.attendees.0.hours")
    );
    assert_eq!((error_code(&reversed), error_field(&reversed)), ("BAD_USER_INPUT", "input.endDate"));
    assert_eq!((error_code(&blank), error_field(&blank)), ("BAD_USER_INPUT", "input.title"));
    assert_eq!(error_code(&missing), "NOT_FOUND");
    assert_eq!(
        after["trainingSessions"]["nodes"],
        json!([{ "title": "委员培训班", "creditHours": "2", "attendees": [{ "hours": "2" }] }])
    );
    assert!(audit(&app, "updateTrainingSession").await.is_empty());
}

#[actix_web::test]
async fn committee_staff_correct_only_their_committees_training_sessions() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let me = gid(Kind::Member, members(&app, &org, 1).await[0]);
    let own = app
        .ok(
            RECORD_TRAINING,
            json!({ "input": { "title": "专委会学习", "kind": "FORUM", "startDate": "2023-03-01", "creditHours": "2",
                "organiserId": gid(Kind::SpecialCommittee, org.proposals_committee) } }),
        )
        .await["recordTrainingSession"]["trainingSession"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let office = training(&app, &me).await;
    let staff = app.account("staff", Role::CommitteeStaff, Scope::Committee(org.proposals_committee)).await;

    let allowed = app.post(Some(&staff), UPDATE_TRAINING, json!({ "input": { "id": own, "title": "学习会" } })).await;
    let refused =
        app.post(Some(&staff), UPDATE_TRAINING, json!({ "input": { "id": office, "title": "学习会" } })).await;

    assert!(allowed.get("errors").is_none(), "{allowed:#}");
    assert_eq!(error_code(&refused), "FORBIDDEN");
}

// ----- public-opinion reports -----

const SUBMIT_REPORT: &str = "mutation($input: SubmitOpinionReportInput!) { submitOpinionReport(input: $input) {
    opinionReport { id } } }";
const UPDATE_REPORT: &str = "mutation($input: UpdateOpinionReportInput!) { updateOpinionReport(input: $input) {
    opinionReport { title year submittedOn status authors { role member { name } } } } }";
const WITHDRAW_REPORT: &str = "mutation($id: ID!) { withdrawOpinionReport(input: { id: $id }) {
    opinionReport { status statusLabel } } }";

async fn report(app: &TestApp, first: &str, co: Option<&str>, on: &str) -> String {
    let mut authors = vec![json!({ "memberId": first, "role": "FIRST" })];
    if let Some(co) = co {
        authors.push(json!({ "memberId": co, "role": "CO" }));
    }
    let input = json!({ "authors": authors, "title": "关于老旧小区加装电梯的建议", "body": "正文", "submittedOn": on });
    let data = app.ok(SUBMIT_REPORT, json!({ "input": input })).await;
    data["submitOpinionReport"]["opinionReport"]["id"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn a_member_corrects_their_own_report_and_its_year_follows_the_submission_day() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 2).await;
    let (me, other) = (gid(Kind::Member, ids[0]), gid(Kind::Member, ids[1]));
    let id = report(&app, &me, None, "2024-01-03").await;
    let token = app.account("member1", Role::Member, Scope::Member(ids[0])).await;

    let response = app
        .post(
            Some(&token),
            UPDATE_REPORT,
            json!({ "input": { "id": id, "title": "关于加装电梯的建议", "submittedOn": "2023-12-28",
                "authors": [{ "memberId": me, "role": "FIRST" }, { "memberId": other, "role": "CO" }] } }),
        )
        .await;
    let stats = app
        .ok(
            "{ a: yearInReview(year: 2023) { opinionReports } b: yearInReview(year: 2024) { opinionReports } }",
            json!({}),
        )
        .await;

    let report = &response["data"]["updateOpinionReport"]["opinionReport"];
    assert!(response.get("errors").is_none(), "{response:#}");
    assert_eq!((&report["title"], &report["year"]), (&json!("关于加装电梯的建议"), &json!(2023)));
    assert_eq!(report["authors"].as_array().unwrap().len(), 2);
    assert_eq!((&stats["a"]["opinionReports"], &stats["b"]["opinionReports"]), (&json!(1), &json!(0)));
    let entries = audit(&app, "updateOpinionReport").await;
    let entities: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(entities, ["opinion_report", "opinion_report_authors"]);
    assert_eq!((&entries[0].1["year"], &entries[0].2["year"]), (&json!(2024), &json!(2023)));
}

#[actix_web::test]
async fn correcting_a_report_is_refused_to_co_authors_strangers_and_once_decided() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 3).await;
    let (me, co) = (gid(Kind::Member, ids[0]), gid(Kind::Member, ids[1]));
    let id = report(&app, &me, Some(&co), "2024-01-03").await;
    let adopted = report(&app, &me, None, "2024-01-04").await;
    app.ok(
        "mutation($id: ID!) { recordOpinionAdoption(input: { id: $id, level: CITY, adoptedOn: \"2024-02-01\" }) { opinionReport { id } } }",
        json!({ "id": adopted }),
    )
    .await;
    let author = app.account("author", Role::Member, Scope::Member(ids[0])).await;
    let co_author = app.account("coauthor", Role::Member, Scope::Member(ids[1])).await;
    let stranger = app.account("stranger", Role::Member, Scope::Member(ids[2])).await;
    let staff = app.account("staff", Role::CommitteeStaff, Scope::Committee(org.proposals_committee)).await;
    let retitle = |id: &str| json!({ "input": { "id": id, "title": "新标题" } });

    let by_co_author = app.post(Some(&co_author), UPDATE_REPORT, retitle(&id)).await;
    let by_stranger = app.post(Some(&stranger), UPDATE_REPORT, retitle(&id)).await;
    let by_staff = app.post(Some(&staff), UPDATE_REPORT, retitle(&id)).await;
    let handing_over = app
        .post(
            Some(&author),
            UPDATE_REPORT,
            json!({ "input": { "id": id, "authors": [{ "memberId": co, "role": "FIRST" }, { "memberId": me, "role": "CO" }] } }),
        )
        .await;
    let no_first =
        app.admin(UPDATE_REPORT, json!({ "input": { "id": id, "authors": [{ "memberId": co, "role": "CO" }] } })).await;
    let blank = app.admin(UPDATE_REPORT, json!({ "input": { "id": id, "body": "" } })).await;
    let decided = app.admin(UPDATE_REPORT, retitle(&adopted)).await;
    let withdraw_decided = app.admin(WITHDRAW_REPORT, json!({ "id": adopted })).await;
    let withdraw_by_stranger = app.post(Some(&stranger), WITHDRAW_REPORT, json!({ "id": id })).await;
    let unchanged = app
        .ok("query($id: ID!) { opinionReport(id: $id) { title status authors { role } } }", json!({ "id": id }))
        .await;

    assert_eq!(error_code(&by_co_author), "FORBIDDEN");
    assert_eq!(error_code(&by_stranger), "NOT_FOUND");
    assert_eq!(error_code(&by_staff), "FORBIDDEN");
    assert_eq!(error_code(&handing_over), "FORBIDDEN");
    assert_eq!((error_code(&no_first), error_field(&no_first)), ("BAD_USER_INPUT", "input.authors"));
    assert_eq!((error_code(&blank), error_field(&blank)), ("BAD_USER_INPUT", "input.body"));
    assert_eq!(error_code(&decided), "CONFLICT");
    assert_eq!(error_code(&withdraw_decided), "CONFLICT");
    assert_eq!(error_code(&withdraw_by_stranger), "NOT_FOUND");
    assert_eq!(unchanged["opinionReport"]["title"], "关于老旧小区加装电梯的建议");
    assert_eq!(unchanged["opinionReport"]["status"], "SUBMITTED");
    assert_eq!(unchanged["opinionReport"]["authors"].as_array().unwrap().len(), 2);
    assert!(audit(&app, "updateOpinionReport").await.is_empty());
    assert!(audit(&app, "withdrawOpinionReport").await.is_empty());
}

#[actix_web::test]
async fn a_withdrawn_report_stays_on_record_but_counts_nowhere() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 2).await;
    let (kept_by, withdrawn_by) = (gid(Kind::Member, ids[0]), gid(Kind::Member, ids[1]));
    report(&app, &kept_by, None, "2024-03-05").await;
    let id = report(&app, &withdrawn_by, None, "2024-03-06").await;
    let token = app.account("member2", Role::Member, Scope::Member(ids[1])).await;

    let response = app.post(Some(&token), WITHDRAW_REPORT, json!({ "id": id })).await;
    let again = app.admin(WITHDRAW_REPORT, json!({ "id": id })).await;
    let adopt = app
        .admin(
            "mutation($id: ID!) { recordOpinionAdoption(input: { id: $id, level: CITY }) { opinionReport { id } } }",
            json!({ "id": id }),
        )
        .await;
    let rules = app
        .ok("mutation { r: createRuleSet(input: { name: \"社情民意\", scale: CAPPED, maxPoints: \"100\", categories: [{ code: \"O\", label: \"社情民意\" }], rules: [{ code: \"o\", label: \"报送社情民意\", category: \"O\", source: OPINION_REPORT, opinionMilestone: SUBMITTED, points: \"10\" }], grades: [{ grade: COMPETENT, minPoints: \"60\" }, { grade: INCOMPETENT, minPoints: \"0\" }] }) { ruleSet { id } } }", json!({}))
        .await;
    app.ok(
        "mutation($r: ID!) { runAssessment(input: { ruleSetId: $r, year: 2024 }) { assessmentRun { id } } }",
        json!({ "r": rules["r"]["ruleSet"]["id"] }),
    )
    .await;
    let seen = app
        .ok(
            "query($a: ID!, $b: ID!, $id: ID!) {
               yearInReview(year: 2024) { opinionReports }
               dutyRecordsByMonth(year: 2024) { reportsSubmitted }
               opinionReport(id: $id) { status }
               kept: member(id: $a) { assessment(year: 2024) { total } }
               withdrawn: member(id: $b) { assessment(year: 2024) { total } opinionReports { totalCount } } }",
            json!({ "a": kept_by, "b": withdrawn_by, "id": id }),
        )
        .await;

    assert!(response.get("errors").is_none(), "{response:#}");
    assert_eq!(
        response["data"]["withdrawOpinionReport"]["opinionReport"],
        json!({ "status": "WITHDRAWN", "statusLabel": "已撤回" })
    );
    assert_eq!(error_code(&again), "CONFLICT");
    assert_eq!(error_code(&adopt), "CONFLICT");
    assert_eq!(seen["yearInReview"]["opinionReports"], 1);
    let by_month: i64 =
        seen["dutyRecordsByMonth"].as_array().unwrap().iter().map(|m| m["reportsSubmitted"].as_i64().unwrap()).sum();
    assert_eq!(by_month, 1);
    assert_eq!(seen["opinionReport"]["status"], "WITHDRAWN");
    assert_eq!(seen["withdrawn"]["opinionReports"]["totalCount"], 1, "the record stays");
    assert_eq!(seen["kept"]["assessment"]["total"], "10");
    assert_eq!(seen["withdrawn"]["assessment"]["total"], "0");
    let entries = audit(&app, "withdrawOpinionReport").await;
    assert_eq!(entries.len(), 1);
    assert_eq!((&entries[0].1["status"], &entries[0].2["status"]), (&json!("SUBMITTED"), &json!("WITHDRAWN")));
}

// ----- duty items -----

const REOPEN: &str = "mutation($id: ID!, $reason: String!) { reopenDutyItem(input: { id: $id, reason: $reason }) {
    dutyItem { status reviewNote reviewedAt } } }";

async fn research_report(app: &TestApp, member: &str) -> String {
    let data = app
        .ok(
            "mutation($m: ID!) { submitDutyItem(input: { memberId: $m, kind: RESEARCH_REPORT, title: \"关于养老服务的调研报告\", date: \"2024-04-01\", suggestions: 3 }) { dutyItem { id } } }",
            json!({ "m": member }),
        )
        .await;
    data["submitDutyItem"]["dutyItem"]["id"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn a_reopened_item_leaves_the_confirmed_counts_until_it_is_confirmed_again() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let me = gid(Kind::Member, members(&app, &org, 1).await[0]);
    let id = research_report(&app, &me).await;
    let confirm = "mutation($id: ID!) { confirmDutyItem(input: { id: $id }) { dutyItem { status } } }";
    let counts = "{ yearInReview(year: 2024) { researchReports suggestions } }";
    app.ok(confirm, json!({ "id": id })).await;
    let confirmed = app.ok(counts, json!({})).await;

    let reopened = app.ok(REOPEN, json!({ "id": id, "reason": "证明材料有误" })).await;
    let while_open = app.ok(counts, json!({})).await;
    app.ok(confirm, json!({ "id": id })).await;
    let again = app.ok(counts, json!({})).await;

    assert_eq!(confirmed["yearInReview"], json!({ "researchReports": 1, "suggestions": 3 }));
    assert_eq!(
        reopened["reopenDutyItem"]["dutyItem"],
        json!({ "status": "SUBMITTED", "reviewNote": "证明材料有误", "reviewedAt": null })
    );
    assert_eq!(while_open["yearInReview"], json!({ "researchReports": 0, "suggestions": 0 }));
    assert_eq!(again["yearInReview"], json!({ "researchReports": 1, "suggestions": 3 }));
    let entries = audit(&app, "reopenDutyItem").await;
    assert_eq!(entries.len(), 1);
    assert_eq!((&entries[0].1["status"], &entries[0].2["status"]), (&json!("CONFIRMED"), &json!("SUBMITTED")));
}

#[actix_web::test]
async fn reopening_needs_a_decision_a_reason_and_the_office() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 1).await;
    let me = gid(Kind::Member, ids[0]);
    let pending = research_report(&app, &me).await;
    let rejected = research_report(&app, &me).await;
    app.ok(
        "mutation($id: ID!) { rejectDutyItem(input: { id: $id, reason: \"材料不全\" }) { dutyItem { status } } }",
        json!({ "id": rejected }),
    )
    .await;
    let token = app.account("member1", Role::Member, Scope::Member(ids[0])).await;

    let undecided = app.admin(REOPEN, json!({ "id": pending, "reason": "重审" })).await;
    let no_reason = app.admin(REOPEN, json!({ "id": rejected, "reason": "  " })).await;
    let control = app.admin(REOPEN, json!({ "id": rejected, "reason": "重审\u{7}" })).await;
    let by_member = app.post(Some(&token), REOPEN, json!({ "id": rejected, "reason": "重审" })).await;
    let reopened = app.admin(REOPEN, json!({ "id": rejected, "reason": "补充材料已到" })).await;

    assert_eq!(error_code(&undecided), "CONFLICT");
    assert_eq!((error_code(&no_reason), error_field(&no_reason)), ("BAD_USER_INPUT", "input.reason"));
    assert_eq!((error_code(&control), error_field(&control)), ("BAD_USER_INPUT", "input.reason"));
    assert_eq!(error_code(&by_member), "FORBIDDEN");
    assert_eq!(reopened["data"]["reopenDutyItem"]["dutyItem"]["status"], "SUBMITTED");
    assert_eq!(audit(&app, "reopenDutyItem").await.len(), 1);
}

// ----- assignments -----

const CORRECT: &str = "mutation($input: CorrectAssignmentInput!) { correctAssignment(input: $input) {
    assignment { __typename ... on CommitteeMembership { startDate endDate } ... on StudioAssignment { startDate endDate } } } }";

/// A member of the proposals committee and the town studio since 2022-01-05; their id and the
/// global IDs of the two rows.
async fn placed(app: &TestApp) -> (i64, String, String) {
    let org = org(app).await;
    let spec = MemberSpec {
        committee: Some(org.proposals_committee),
        studio: Some(org.town_studio),
        ..MemberSpec::named("王芳")
    };
    let id = member(app, &org, spec).await;
    let data = app
        .ok(
            "query($id: ID!) { member(id: $id) { committeeMemberships { id } studioAssignments { id } } }",
            json!({ "id": gid(Kind::Member, id) }),
        )
        .await;
    let rows = &data["member"];
    (
        id,
        rows["committeeMemberships"][0]["id"].as_str().unwrap().to_owned(),
        rows["studioAssignments"][0]["id"].as_str().unwrap().to_owned(),
    )
}

#[actix_web::test]
async fn correct_assignment_fixes_the_dates_as_if_they_had_always_been_so() {
    let app = TestApp::new().await;
    let (id, committee, studio) = placed(&app).await;

    let fixed = app.ok(CORRECT, json!({ "input": { "id": committee, "startsOn": "2022-03-01" } })).await;
    let ended =
        app.ok(CORRECT, json!({ "input": { "id": studio, "startsOn": "2022-01-05", "endsOn": "2023-06-30" } })).await;
    let seen = app
        .ok(
            "query($id: ID!) { member(id: $id) { committeeMemberships { startDate endDate } current: studioAssignments(current: true) { id } } }",
            json!({ "id": gid(Kind::Member, id) }),
        )
        .await;

    assert_eq!(
        fixed["correctAssignment"]["assignment"],
        json!({ "__typename": "CommitteeMembership", "startDate": "2022-03-01", "endDate": null })
    );
    assert_eq!(ended["correctAssignment"]["assignment"]["endDate"], "2023-06-30");
    assert_eq!(seen["member"]["committeeMemberships"], json!([{ "startDate": "2022-03-01", "endDate": null }]));
    assert_eq!(seen["member"]["current"], json!([]));
    let entries = audit(&app, "correctAssignment").await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].0, "committee_membership");
    assert_eq!(
        (&entries[0].1["start_date"], &entries[0].2["start_date"]),
        (&json!("2022-01-05"), &json!("2022-03-01"))
    );
    assert_eq!((&entries[1].1["end_date"], &entries[1].2["end_date"]), (&Value::Null, &json!("2023-06-30")));
    assert!(audit(&app, "endAssignment").await.is_empty(), "a correction is not an ending");
}

#[actix_web::test]
async fn correct_assignment_refuses_reversed_dates_dates_outside_the_term_and_overlaps() {
    let app = TestApp::new().await;
    let (id, committee, _) = placed(&app).await;
    // The member left the committee and came back: two rows.
    app.ok(
        "mutation($id: ID!) { endAssignment(input: { id: $id, endDate: \"2023-06-30\" }) { assignment { __typename } } }",
        json!({ "id": committee }),
    )
    .await;
    let org_committee = app.ok("{ specialCommittees { id name } }", json!({})).await["specialCommittees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "提案委员会")
        .unwrap()["id"]
        .clone();
    let back = app
        .ok(
            "mutation($m: ID!, $c: ID!) { assignCommittee(input: { memberId: $m, specialCommitteeId: $c, role: MEMBER, startDate: \"2023-07-01\" }) { committeeMembership { id } } }",
            json!({ "m": gid(Kind::Member, id), "c": org_committee }),
        )
        .await["assignCommittee"]["committeeMembership"]["id"]
        .clone();
    let correct = |input: Value| app.admin(CORRECT, json!({ "input": input }));

    let reversed = correct(json!({ "id": committee, "startsOn": "2023-01-01", "endsOn": "2022-01-01" })).await;
    let before_term = correct(json!({ "id": committee, "startsOn": "2021-06-01", "endsOn": "2023-06-30" })).await;
    let after_term = correct(json!({ "id": back, "startsOn": "2023-07-01", "endsOn": "2027-01-01" })).await;
    let overlap = correct(json!({ "id": back, "startsOn": "2023-01-01" })).await;
    let reopened_over = correct(json!({ "id": committee, "startsOn": "2022-01-05" })).await;
    let not_a_row = correct(json!({ "id": gid(Kind::Member, id), "startsOn": "2022-01-05" })).await;
    let missing = correct(json!({ "id": gid(Kind::StudioAssignment, 999), "startsOn": "2022-01-05" })).await;
    let boundary = correct(json!({ "id": back, "startsOn": "2023-06-30" })).await;

    assert_eq!((error_code(&reversed), error_field(&reversed)), ("BAD_USER_INPUT", "input.endsOn"));
    assert_eq!((error_code(&before_term), error_field(&before_term)), ("BAD_USER_INPUT", "input.startsOn"));
    assert_eq!((error_code(&after_term), error_field(&after_term)), ("BAD_USER_INPUT", "input.endsOn"));
    assert_eq!((error_code(&overlap), error_field(&overlap)), ("BAD_USER_INPUT", "input.startsOn"));
    assert_eq!((error_code(&reopened_over), error_field(&reopened_over)), ("BAD_USER_INPUT", "input.startsOn"));
    assert_eq!((error_code(&not_a_row), error_field(&not_a_row)), ("BAD_USER_INPUT", "input.id"));
    assert_eq!(error_code(&missing), "NOT_FOUND");
    assert!(boundary.get("errors").is_none(), "a row may begin on the day another ends: {boundary:#}");
    let rows = app
        .ok(
            "query($id: ID!) { member(id: $id) { committeeMemberships { startDate endDate } } }",
            json!({ "id": gid(Kind::Member, id) }),
        )
        .await;
    let mut dates: Vec<(String, Value)> = rows["member"]["committeeMemberships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["startDate"].as_str().unwrap().to_owned(), r["endDate"].clone()))
        .collect();
    dates.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(dates, [("2022-01-05".to_owned(), json!("2023-06-30")), ("2023-06-30".to_owned(), Value::Null)]);
    assert_eq!(audit(&app, "correctAssignment").await.len(), 1);
}

const RENAME: &str = "mutation($id: ID!, $name: String!) { renameUnit(input: { id: $id, name: $name }) {
  unit { id __typename ... on Sector { name } ... on Studio { name } ... on Term { name } } } }";

#[actix_web::test]
async fn rename_unit_corrects_a_name_everywhere_it_shows_and_refuses_duplicates_and_other_kinds() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let sector = gid(Kind::Sector, o.economy);
    let renamed = app.ok(RENAME, json!({ "id": sector, "name": "经济界别" })).await;
    assert_eq!(renamed["renameUnit"]["unit"]["__typename"], "Sector");
    assert_eq!(renamed["renameUnit"]["unit"]["name"], "经济界别");
    let listed = app.ok("{ sectors { id name } }", json!({})).await;
    assert!(
        listed["sectors"].as_array().unwrap().iter().any(|s| s["id"] == sector && s["name"] == "经济界别"),
        "{listed:#}"
    );
    let studio = app.ok(RENAME, json!({ "id": gid(Kind::Studio, o.town_studio), "name": "城关委员工作室" })).await;
    assert_eq!(studio["renameUnit"]["unit"]["name"], "城关委员工作室");

    let (before, after) = match audit(&app, "renameUnit").await.as_slice() {
        [(entity, before, after), _] => {
            assert_eq!(entity, "sector");
            (before["name"].clone(), after["name"].clone())
        }
        other => panic!("two audit entries expected, got {other:?}"),
    };
    assert_ne!(before, after);
    assert_eq!(after, "经济界别");

    // Another sector's name, a blank name, a record that is no unit, a member's token.
    let education = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Sector { name } } }",
            json!({ "id": gid(Kind::Sector, o.education) }),
        )
        .await;
    let taken = education["node"]["name"].as_str().unwrap().to_owned();
    let duplicate = app.admin(RENAME, json!({ "id": sector, "name": taken })).await;
    assert_eq!(error_code(&duplicate), "CONFLICT", "{duplicate:#}");
    let blank = app.admin(RENAME, json!({ "id": sector, "name": "  " })).await;
    assert_eq!((error_code(&blank), error_field(&blank)), ("BAD_USER_INPUT", "input.name"), "{blank:#}");
    let ids = members(&app, &o, 1).await;
    let not_a_unit = app.admin(RENAME, json!({ "id": gid(Kind::Member, ids[0]), "name": "某某" })).await;
    assert_eq!((error_code(&not_a_unit), error_field(&not_a_unit)), ("BAD_USER_INPUT", "input.id"), "{not_a_unit:#}");
    let missing = app.admin(RENAME, json!({ "id": gid(Kind::Sector, 999_999), "name": "某界" })).await;
    assert_eq!(error_code(&missing), "NOT_FOUND", "{missing:#}");
    let token = app.account("member1", Role::Member, Scope::Member(ids[0])).await;
    let refused = app.post(Some(&token), RENAME, json!({ "id": sector, "name": "某界" })).await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused:#}");
    // Studios keep their names unique; a region's is unique among its siblings.
    let studio_taken =
        app.admin(RENAME, json!({ "id": gid(Kind::Studio, o.village_studio), "name": "城关委员工作室" })).await;
    assert_eq!(error_code(&studio_taken), "CONFLICT", "{studio_taken:#}");
    let town = app
        .ok("query($id: ID!) { node(id: $id) { ... on Region { name } } }", json!({ "id": gid(Kind::Region, o.town) }))
        .await;
    let town_name = town["node"]["name"].as_str().unwrap().to_owned();
    let sibling = app.admin("mutation($parent: ID!) { createRegion(input: { name: \"东门社区\", level: COMMUNITY, parentId: $parent }) { region { id } } }", json!({ "parent": gid(Kind::Region, o.town) })).await;
    let sibling_id = sibling["data"]["createRegion"]["region"]["id"].clone();
    assert!(sibling_id.is_string(), "{sibling:#}");
    let region_taken = app.admin(RENAME, json!({ "id": gid(Kind::Region, o.village), "name": "东门社区" })).await;
    assert_eq!(error_code(&region_taken), "CONFLICT", "{region_taken:#}");
    let not_a_sibling = app.admin(RENAME, json!({ "id": gid(Kind::Region, o.village), "name": town_name })).await;
    assert!(not_a_sibling["errors"].is_null(), "a village may bear its town's name: {not_a_sibling:#}");
    let unchanged = app.ok("{ sectors { id name } }", json!({})).await;
    assert_eq!(unchanged, listed, "a refused rename changes nothing");
    assert_eq!(audit(&app, "renameUnit").await.len(), 3, "a refused rename writes no audit entry");
}
