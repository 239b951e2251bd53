//! Issue 20, corrections (editing), continued from `edits.rs`: a duty item's own fields
//! (`updateDutyItem`) and a training session's organiser (`updateTrainingSession` with
//! `organiserId`). Each correction shows where the record is read and counted, writes its audit
//! entry, and a refused one leaves everything as it was.

use entity::enums::Role;
use lvzhi::relay::Kind;
use serde_json::{Value, json};

use crate::{
    edits::audit,
    fixtures::{gid, members, org},
    helpers::{Scope, TestApp, error_code, error_field},
};

// ----- duty items -----

const UPDATE_ITEM: &str = "mutation($input: UpdateDutyItemInput!) { updateDutyItem(input: $input) {
    dutyItem { kind title date evidence suggestions status reviewedAt } } }";

/// Submits a research report of `member` (global ID) with evidence and 3 suggestions; returns
/// its global ID.
async fn research_report(app: &TestApp, member: &str) -> String {
    let data = app
        .ok(
            "mutation($m: ID!) { submitDutyItem(input: { memberId: $m, kind: RESEARCH_REPORT, title: \"关于养老服务的调研报告\", date: \"2024-04-01\", evidence: \"刊于《政协通讯》\", suggestions: 3 }) { dutyItem { id } } }",
            json!({ "m": member }),
        )
        .await;
    data["submitDutyItem"]["dutyItem"]["id"].as_str().unwrap().to_owned()
}

async fn confirm(app: &TestApp, id: &str) {
    app.ok("mutation($id: ID!) { confirmDutyItem(input: { id: $id }) { dutyItem { status } } }", json!({ "id": id }))
        .await;
}

#[actix_web::test]
async fn a_member_corrects_their_own_submitted_item_and_absent_fields_stay() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 1).await;
    let id = research_report(&app, &gid(Kind::Member, ids[0])).await;
    let token = app.account("member1", Role::Member, Scope::Member(ids[0])).await;

    let response = app
        .post(
            Some(&token),
            UPDATE_ITEM,
            json!({ "input": { "id": id, "title": "关于社区养老服务的调研报告", "evidence": null, "suggestions": 5 } }),
        )
        .await;

    assert!(response.get("errors").is_none(), "{response:#}");
    assert_eq!(
        response["data"]["updateDutyItem"]["dutyItem"],
        json!({ "kind": "RESEARCH_REPORT", "title": "关于社区养老服务的调研报告", "date": "2024-04-01",
            "evidence": null, "suggestions": 5, "status": "SUBMITTED", "reviewedAt": null })
    );
    let entries = audit(&app, "updateDutyItem").await;
    assert_eq!(entries.len(), 1);
    let (entity, before, after) = &entries[0];
    assert_eq!(entity, "duty_item");
    assert_eq!(
        (&before["title"], &after["title"]),
        (&json!("关于养老服务的调研报告"), &json!("关于社区养老服务的调研报告"))
    );
    assert_eq!((&before["evidence"], &after["evidence"]), (&json!("刊于《政协通讯》"), &Value::Null));
    assert_eq!((&before["suggestions"], &after["suggestions"]), (&json!(3), &json!(5)));
}

#[actix_web::test]
async fn the_office_corrects_a_confirmed_item_which_stays_confirmed_and_counts_as_corrected() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let me = gid(Kind::Member, members(&app, &org, 1).await[0]);
    let id = research_report(&app, &me).await;
    confirm(&app, &id).await;
    let counts = "{ a: yearInReview(year: 2023) { researchReports suggestions } b: yearInReview(year: 2024) { researchReports suggestions } }";
    let confirmed = app.ok(counts, json!({})).await;

    let data = app.ok(UPDATE_ITEM, json!({ "input": { "id": id, "date": "2023-12-20", "suggestions": 4 } })).await;
    let corrected = app.ok(counts, json!({})).await;

    let item = &data["updateDutyItem"]["dutyItem"];
    assert_eq!(
        (&item["status"], &item["date"], &item["suggestions"]),
        (&json!("CONFIRMED"), &json!("2023-12-20"), &json!(4))
    );
    assert!(item["reviewedAt"].is_string(), "the review stands: {item:#}");
    assert_eq!(confirmed["b"], json!({ "researchReports": 1, "suggestions": 3 }));
    assert_eq!(corrected["a"], json!({ "researchReports": 1, "suggestions": 4 }));
    assert_eq!(corrected["b"], json!({ "researchReports": 0, "suggestions": 0 }));
    let entries = audit(&app, "updateDutyItem").await;
    assert_eq!(entries.len(), 1);
    assert_eq!((&entries[0].1["status"], &entries[0].2["status"]), (&json!("CONFIRMED"), &json!("CONFIRMED")));
    assert_eq!((&entries[0].1["date"], &entries[0].2["date"]), (&json!("2024-04-01"), &json!("2023-12-20")));
}

#[actix_web::test]
async fn correcting_a_duty_item_is_refused_when_decided_for_a_member_voided_or_invalid_and_changes_nothing() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 2).await;
    let (me, other) = (gid(Kind::Member, ids[0]), gid(Kind::Member, ids[1]));
    let pending = research_report(&app, &me).await;
    let decided = research_report(&app, &me).await;
    confirm(&app, &decided).await;
    let voided = research_report(&app, &me).await;
    app.ok(
        "mutation($id: ID!) { voidRecord(input: { id: $id, reason: \"重复录入\" }) { record { __typename } } }",
        json!({ "id": voided }),
    )
    .await;
    let others = research_report(&app, &other).await;
    let member = app.account("member1", Role::Member, Scope::Member(ids[0])).await;
    let staff = app.account("staff", Role::CommitteeStaff, Scope::Committee(org.proposals_committee)).await;
    let retitle = |id: &str| json!({ "input": { "id": id, "title": "新标题" } });
    let as_admin = |input: Value| app.admin(UPDATE_ITEM, json!({ "input": input }));

    let member_on_decided = app.post(Some(&member), UPDATE_ITEM, retitle(&decided)).await;
    let member_on_others = app.post(Some(&member), UPDATE_ITEM, retitle(&others)).await;
    let member_on_voided = app.post(Some(&member), UPDATE_ITEM, retitle(&voided)).await;
    let by_staff = app.post(Some(&staff), UPDATE_ITEM, retitle(&pending)).await;
    let office_on_voided = app.admin(UPDATE_ITEM, retitle(&voided)).await;
    let blank = as_admin(json!({ "id": pending, "title": "  " })).await;
    let negative = as_admin(json!({ "id": pending, "suggestions": -1 })).await;
    let control = as_admin(json!({ "id": pending, "evidence": "刊于\u{7}" })).await;
    let missing = as_admin(json!({ "id": gid(Kind::DutyItem, 999), "title": "新标题" })).await;
    let not_an_item = as_admin(json!({ "id": me, "title": "新标题" })).await;
    let items = app
        .ok("{ dutyItems(filter: { includeVoided: true }) { nodes { title evidence suggestions status } } }", json!({}))
        .await;

    assert_eq!(error_code(&member_on_decided), "CONFLICT");
    assert_eq!(error_code(&member_on_others), "FORBIDDEN");
    assert_eq!(error_code(&member_on_voided), "NOT_FOUND");
    assert_eq!(error_code(&by_staff), "FORBIDDEN");
    assert_eq!(error_code(&office_on_voided), "CONFLICT");
    assert_eq!((error_code(&blank), error_field(&blank)), ("BAD_USER_INPUT", "input.title"));
    assert_eq!((error_code(&negative), error_field(&negative)), ("BAD_USER_INPUT", "input.suggestions"));
    assert_eq!((error_code(&control), error_field(&control)), ("BAD_USER_INPUT", "input.evidence"));
    assert_eq!(error_code(&missing), "NOT_FOUND");
    assert_eq!((error_code(&not_an_item), error_field(&not_an_item)), ("BAD_USER_INPUT", "input.id"));
    let nodes = items["dutyItems"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 4);
    for node in nodes {
        assert_eq!(node["title"], "关于养老服务的调研报告", "{node:#}");
        assert_eq!((&node["evidence"], &node["suggestions"]), (&json!("刊于《政协通讯》"), &json!(3)));
    }
    assert!(audit(&app, "updateDutyItem").await.is_empty());
}

// ----- a training session's organiser -----

const RECORD_TRAINING: &str = "mutation($input: RecordTrainingSessionInput!) { recordTrainingSession(input: $input) {
    trainingSession { id } } }";
const MOVE_TRAINING: &str = "mutation($id: ID!, $o: ID) { updateTrainingSession(input: { id: $id, organiserId: $o }) {
    trainingSession { title organiser { kind id name } } } }";

/// Records a one-attendee session organised by `organiser` (the office when none); returns its
/// global ID.
async fn session(app: &TestApp, organiser: Option<&str>) -> String {
    let input = json!({ "title": "委员培训班", "kind": "CLASS", "startDate": "2024-05-16", "creditHours": "2",
        "organiserId": organiser });
    let data = app.ok(RECORD_TRAINING, json!({ "input": input })).await;
    data["recordTrainingSession"]["trainingSession"]["id"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn a_training_session_moves_to_another_organiser_and_back_to_the_office() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let committee = gid(Kind::SpecialCommittee, o.proposals_committee);
    let id = session(&app, None).await;

    let moved = app.ok(MOVE_TRAINING, json!({ "id": id, "o": committee })).await;
    let listed = app
        .ok(
            "query($o: ID!) { trainingSessions(filter: { organiserId: $o }) { totalCount } }",
            json!({ "o": committee }),
        )
        .await;
    let back = app.ok(MOVE_TRAINING, json!({ "id": id, "o": null })).await;
    let unchanged = app.ok(MOVE_TRAINING, json!({ "id": id })).await;

    assert_eq!(
        moved["updateTrainingSession"]["trainingSession"]["organiser"],
        json!({ "kind": "SPECIAL_COMMITTEE", "id": committee, "name": "提案委员会" })
    );
    assert_eq!(listed["trainingSessions"]["totalCount"], 1);
    assert_eq!(back["updateTrainingSession"]["trainingSession"]["organiser"]["kind"], "OFFICE");
    assert_eq!(
        unchanged["updateTrainingSession"]["trainingSession"]["organiser"]["kind"], "OFFICE",
        "absent: unchanged"
    );
    let entries = audit(&app, "updateTrainingSession").await;
    assert_eq!(entries.len(), 3);
    assert_eq!(
        (&entries[0].1["organiser_kind"], &entries[0].2["organiser_kind"]),
        (&json!("OFFICE"), &json!("SPECIAL_COMMITTEE"))
    );
    assert_eq!(entries[0].2["committee_id"], o.proposals_committee);
    assert_eq!((&entries[1].2["organiser_kind"], &entries[1].2["committee_id"]), (&json!("OFFICE"), &Value::Null));
}

#[actix_web::test]
async fn moving_a_session_needs_the_right_to_record_for_the_old_organiser_and_the_new_one() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let own = gid(Kind::SpecialCommittee, o.proposals_committee);
    let culture = gid(Kind::SpecialCommittee, o.culture_committee);
    let committees = session(&app, Some(&own)).await;
    let offices = session(&app, None).await;
    let staff = app.account("staff", Role::CommitteeStaff, Scope::Committee(o.proposals_committee)).await;
    let convener = app.account("convener", Role::SectorConvener, Scope::Sector(o.economy)).await;
    let sector = gid(Kind::Sector, o.economy);

    let away = app.post(Some(&staff), MOVE_TRAINING, json!({ "id": committees, "o": culture })).await;
    let to_office = app.post(Some(&staff), MOVE_TRAINING, json!({ "id": committees, "o": null })).await;
    let taken_over = app.post(Some(&staff), MOVE_TRAINING, json!({ "id": offices, "o": own })).await;
    let to_own_sector = app.post(Some(&convener), MOVE_TRAINING, json!({ "id": committees, "o": sector })).await;
    let kept = app.post(Some(&staff), MOVE_TRAINING, json!({ "id": committees, "o": own })).await;
    let unknown = app.admin(MOVE_TRAINING, json!({ "id": offices, "o": gid(Kind::Studio, 999) })).await;
    let not_an_organiser =
        app.admin(MOVE_TRAINING, json!({ "id": offices, "o": gid(Kind::Term, o.current_term) })).await;
    let sessions = app.ok("{ trainingSessions { nodes { organiser { kind } } } }", json!({})).await;

    for refused in [&away, &to_office, &taken_over, &to_own_sector] {
        assert_eq!(error_code(refused), "FORBIDDEN", "{refused:#}");
    }
    assert!(kept.get("errors").is_none(), "the staff's own committee stays theirs: {kept:#}");
    assert_eq!((error_code(&unknown), error_field(&unknown)), ("BAD_USER_INPUT", "input.organiserId"));
    assert_eq!(
        (error_code(&not_an_organiser), error_field(&not_an_organiser)),
        ("BAD_USER_INPUT", "input.organiserId")
    );
    let mut kinds: Vec<&str> = sessions["trainingSessions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["organiser"]["kind"].as_str().unwrap())
        .collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["OFFICE", "SPECIAL_COMMITTEE"]);
    assert_eq!(audit(&app, "updateTrainingSession").await.len(), 1, "only the allowed correction is audited");
}
