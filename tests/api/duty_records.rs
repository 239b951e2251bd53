//! Training sessions and hours, and the duty-item lifecycle with its roles.

use entity::enums::Role;
use lvzhi::relay::Kind;
use serde_json::json;

use crate::{
    fixtures::{gid, members, org},
    helpers::{Scope, TestApp, error_code, error_field},
};

const RECORD_TRAINING: &str = "mutation($input: RecordTrainingSessionInput!) { recordTrainingSession(input: $input) {
    trainingSession { id title kindLabel creditHours attendees { hours completed member { name } } } } }";

#[actix_web::test]
async fn record_training_session_stores_attendees_and_sums_training_hours_exactly() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 2).await;
    let me = gid(Kind::Member, ids[0]);
    for (start, hours) in [("2023-05-16", "7.5"), ("2023-10-24", "0.1"), ("2024-01-10", "3")] {
        let input = json!({ "title": format!("委员培训班 {start}"), "kind": "CLASS", "startDate": start, "creditHours": "8",
            "attendees": [{ "memberId": me, "hours": hours, "completed": true },
                          { "memberId": gid(Kind::Member, ids[1]), "hours": "8" }] });
        app.ok(RECORD_TRAINING, json!({ "input": input })).await;
    }

    let data = app
        .ok(
            "query($id: ID!) { member(id: $id) { trainingHours(year: 2023) }
               trainingSessions(filter: { year: 2023 }) { totalCount nodes { kindLabel creditHours attendees { hours } } } }",
            json!({ "id": me }),
        )
        .await;

    assert_eq!(data["member"]["trainingHours"], "7.6");
    assert_eq!(data["trainingSessions"]["totalCount"], 2);
    assert_eq!(data["trainingSessions"]["nodes"][0]["kindLabel"], "委员培训班");
    assert_eq!(data["trainingSessions"]["nodes"][0]["creditHours"], "8");
    assert_eq!(data["trainingSessions"]["nodes"][0]["attendees"], json!([{ "hours": "0.1" }, { "hours": "8" }]));
}

#[actix_web::test]
async fn record_training_session_rejects_unknown_attendees_and_hundredths() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 1).await;
    let base = |attendees| json!({ "input": { "title": "培训", "kind": "ONLINE", "startDate": "2023-03-01", "creditHours": "2", "attendees": attendees } });

    let unknown = app.admin(RECORD_TRAINING, base(json!([{ "memberId": gid(Kind::Member, 999), "hours": "1" }]))).await;
    let precise =
        app.admin(RECORD_TRAINING, base(json!([{ "memberId": gid(Kind::Member, ids[0]), "hours": "1.25" }]))).await;
    let total = app.ok("{ trainingSessions { totalCount } }", json!({})).await;

    assert_eq!((error_code(&unknown), error_field(&unknown)), ("BAD_USER_INPUT", "input.attendees.0.memberId"));
    assert_eq!((error_code(&precise), error_field(&precise)), ("BAD_USER_INPUT", "input.attendees.0.hours"));
    assert_eq!(total["trainingSessions"]["totalCount"], 0);
}

#[actix_web::test]
async fn committee_staff_record_training_only_for_their_committee_and_members_not_at_all() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let me = members(&app, &org, 1).await[0];
    let staff = app.account("staff", Role::CommitteeStaff, Scope::Committee(org.proposals_committee)).await;
    let member = app.account("member1", Role::Member, Scope::Member(me)).await;
    let input = |organiser: Option<String>| json!({ "input": { "title": "专委会学习", "kind": "FORUM", "startDate": "2023-03-01", "creditHours": "2", "organiserId": organiser } });

    let own = app
        .post(Some(&staff), RECORD_TRAINING, input(Some(gid(Kind::SpecialCommittee, org.proposals_committee))))
        .await;
    let office = app.post(Some(&staff), RECORD_TRAINING, input(None)).await;
    let by_member = app.post(Some(&member), RECORD_TRAINING, input(None)).await;

    assert!(own.get("errors").is_none(), "{own:#}");
    assert_eq!(error_code(&office), "FORBIDDEN");
    assert_eq!(error_code(&by_member), "FORBIDDEN");
}

const SUBMIT: &str = "mutation($input: SubmitDutyItemInput!) { submitDutyItem(input: $input) {
    dutyItem { id kind kindLabel status suggestions member { name } } } }";
const CONFIRM: &str = "mutation($id: ID!) { confirmDutyItem(input: { id: $id }) { dutyItem { status statusLabel } } }";
const REJECT: &str = "mutation($id: ID!, $reason: String!) { rejectDutyItem(input: { id: $id, reason: $reason }) { dutyItem { status reviewNote } } }";

#[actix_web::test]
async fn a_member_submits_their_own_duty_item_and_the_office_confirms_it_once() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let me = members(&app, &org, 1).await[0];
    let member = app.account("member1", Role::Member, Scope::Member(me)).await;
    let input =
        json!({ "kind": "RESEARCH_REPORT", "title": "关于夜间经济的调研报告", "date": "2023-06-01", "suggestions": 5 });

    let submitted = app.post(Some(&member), SUBMIT, json!({ "input": input })).await;
    let id = submitted["data"]["submitDutyItem"]["dutyItem"]["id"].clone();
    let self_confirm = app.post(Some(&member), CONFIRM, json!({ "id": id })).await;
    let confirmed = app.ok(CONFIRM, json!({ "id": id })).await;
    let again = app.admin(REJECT, json!({ "id": id, "reason": "重复" })).await;
    let mine = app
        .post(
            Some(&member),
            "query($id: ID!) { member(id: $id) { dutyItems(year: 2023) { title status } } }",
            json!({ "id": gid(Kind::Member, me) }),
        )
        .await;

    assert_eq!(submitted["data"]["submitDutyItem"]["dutyItem"]["status"], "SUBMITTED", "{submitted:#}");
    assert_eq!(submitted["data"]["submitDutyItem"]["dutyItem"]["member"]["name"], "委员000");
    assert_eq!(error_code(&self_confirm), "FORBIDDEN");
    assert_eq!(confirmed["confirmDutyItem"]["dutyItem"], json!({ "status": "CONFIRMED", "statusLabel": "已确认" }));
    assert_eq!(error_code(&again), "CONFLICT");
    assert_eq!(
        mine["data"]["member"]["dutyItems"],
        json!([{ "title": "关于夜间经济的调研报告", "status": "CONFIRMED" }])
    );
}

#[actix_web::test]
async fn a_member_may_not_submit_for_another_member_and_a_rejection_needs_a_reason() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 2).await;
    let member = app.account("member1", Role::Member, Scope::Member(ids[0])).await;
    let viewer = app.account("viewer1", Role::Viewer, Scope::None).await;
    let for_other =
        json!({ "memberId": gid(Kind::Member, ids[1]), "kind": "ARTICLE", "title": "文章", "date": "2023-06-01" });

    let by_member = app.post(Some(&member), SUBMIT, json!({ "input": for_other })).await;
    let by_viewer = app.post(Some(&viewer), SUBMIT, json!({ "input": for_other })).await;
    let by_office = app.ok(SUBMIT, json!({ "input": for_other })).await;
    let id = by_office["submitDutyItem"]["dutyItem"]["id"].clone();
    let blank = app.admin(REJECT, json!({ "id": id, "reason": "  " })).await;
    let rejected = app.ok(REJECT, json!({ "id": id, "reason": "证明材料不足" })).await;

    assert_eq!(error_code(&by_member), "FORBIDDEN");
    assert_eq!(error_code(&by_viewer), "FORBIDDEN");
    assert_eq!((error_code(&blank), error_field(&blank)), ("BAD_USER_INPUT", "input.reason"));
    assert_eq!(rejected["rejectDutyItem"]["dutyItem"], json!({ "status": "REJECTED", "reviewNote": "证明材料不足" }));
}

#[actix_web::test]
async fn duty_items_list_waiting_items_for_the_office_and_only_own_items_for_a_member() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 2).await;
    for &m in &ids {
        let input =
            json!({ "memberId": gid(Kind::Member, m), "kind": "SPEECH", "title": "大会发言", "date": "2023-01-08" });
        app.ok(SUBMIT, json!({ "input": input })).await;
    }
    let member = app.account("member1", Role::Member, Scope::Member(ids[1])).await;
    let list = "{ dutyItems(filter: { status: SUBMITTED }) { totalCount nodes { member { name } } } }";

    let office = app.ok(list, json!({})).await;
    let own = app.post(Some(&member), list, json!({})).await;

    assert_eq!(office["dutyItems"]["totalCount"], 2);
    assert_eq!(own["data"]["dutyItems"], json!({ "totalCount": 1, "nodes": [{ "member": { "name": "委员001" } }] }));
}
