//! Issue 18: requests for leave (请假). An invitee asks, with a reason; whoever records the
//! activity's attendance decides: approved is EXCUSED, refused is still expected. A late request
//! is kept and flagged.

use entity::enums::{ActivityKind, Role};
use lvzhi::relay::Kind;
use serde_json::{Value, json};

use crate::{
    fixtures::{self, MemberSpec, date, gid, member, org},
    helpers::{Scope, TestApp, error_code},
};

const REQUEST: &str =
    "mutation($a: ID!, $m: ID) { requestLeave(input: { activityId: $a, memberId: $m, reason: \"出差\" }) {
    leaveRequest { id status statusLabel late reason member { name } } } }";
const DECIDE: &str =
    "mutation($id: ID!, $d: LeaveDecision!) { decideLeave(input: { id: $id, decision: $d, note: \"同意\" }) {
    leaveRequest { status note } } }";
const MARK: &str =
    "query($id: ID!) { activity(id: $id) { invitations { nodes { attendance pending leaveRequest { status } } } } }";

struct Setup {
    app: TestApp,
    activity: String,
    own: String,
    other: String,
    member_token: String,
    committee: i64,
    culture: i64,
}

/// Two members of the proposals committee invited to its meeting on `day`, and a MEMBER account
/// of the first.
async fn setup(day: chrono::NaiveDate) -> Setup {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let spec = |name: &str| MemberSpec { committee: Some(o.proposals_committee), ..MemberSpec::named(name) };
    let own = member(&app, &o, spec("甲")).await;
    let other = member(&app, &o, spec("乙")).await;
    let input = json!({ "title": "专委会会议", "kind": "SPECIAL_COMMITTEE_MEETING", "startDate": day.to_string(),
        "compulsory": true, "status": "PLANNED", "organiserId": gid(Kind::SpecialCommittee, o.proposals_committee) });
    let recorded = app
        .ok(
            "mutation($input: RecordActivityInput!) { recordActivity(input: $input) { activity { id } } }",
            json!({ "input": input }),
        )
        .await;
    let member_token = app.account("member1", Role::Member, Scope::Member(own)).await;
    Setup {
        activity: recorded["recordActivity"]["activity"]["id"].as_str().unwrap().to_owned(),
        own: gid(Kind::Member, own),
        other: gid(Kind::Member, other),
        member_token,
        committee: o.proposals_committee,
        culture: o.culture_committee,
        app,
    }
}

fn leave(response: &Value) -> Value {
    response["data"]["requestLeave"]["leaveRequest"].clone()
}

#[actix_web::test]
async fn a_member_asks_for_leave_and_approval_excuses_them() {
    let s = setup(date(2099, 6, 1)).await;

    let asked = s.app.post(Some(&s.member_token), REQUEST, json!({ "a": s.activity })).await;
    let request = leave(&asked);
    let decided = s.app.ok(DECIDE, json!({ "id": request["id"], "d": "APPROVE" })).await;
    let marks = s.app.ok(MARK, json!({ "id": s.activity })).await;

    assert_eq!((request["status"].as_str(), request["late"].as_bool()), (Some("PENDING"), Some(false)), "{asked:#}");
    assert_eq!(request["member"]["name"], "甲");
    assert_eq!(decided["decideLeave"]["leaveRequest"]["status"], "APPROVED");
    let nodes = marks["activity"]["invitations"]["nodes"].as_array().unwrap();
    assert!(nodes.iter().any(|n| n["attendance"] == "EXCUSED" && n["leaveRequest"]["status"] == "APPROVED"));
    assert!(nodes.iter().any(|n| n["pending"] == true));
}

#[actix_web::test]
async fn a_member_asks_for_leave_only_for_themself_and_sees_only_their_own_requests() {
    let s = setup(date(2099, 6, 1)).await;

    let for_other = s.app.post(Some(&s.member_token), REQUEST, json!({ "a": s.activity, "m": s.other })).await;
    s.app.ok(REQUEST, json!({ "a": s.activity, "m": s.other })).await;
    let listed = s.app.post(Some(&s.member_token), "{ leaveRequests { totalCount } }", json!({})).await;

    assert_eq!(error_code(&for_other), "FORBIDDEN");
    assert_eq!(listed["data"]["leaveRequests"]["totalCount"], 0, "{listed:#}");
}

#[actix_web::test]
async fn a_refused_request_leaves_the_invitee_expected_and_absent_at_closing() {
    let s = setup(date(2024, 6, 1)).await;

    let request = leave(&s.app.admin(REQUEST, json!({ "a": s.activity, "m": s.own })).await);
    s.app.ok(DECIDE, json!({ "id": request["id"], "d": "REFUSE" })).await;
    s.app
        .ok(
            "mutation($id: ID!) { closeActivity(input: { id: $id }) { activity { closed } } }",
            json!({ "id": s.activity }),
        )
        .await;
    let summary = s
        .app
        .ok(
            "query($id: ID!) { member(id: $id) { attendance(year: 2024) { absent expected } } }",
            json!({ "id": s.own }),
        )
        .await;

    assert_eq!(request["late"], true, "asked after the activity began: late, and kept");
    assert_eq!(summary["member"]["attendance"], json!({ "absent": 1, "expected": 1 }));
}

#[actix_web::test]
async fn leave_is_decided_by_whoever_records_the_organisers_attendance() {
    let s = setup(date(2099, 6, 1)).await;
    let request = leave(&s.app.admin(REQUEST, json!({ "a": s.activity, "m": s.own })).await);
    let stranger = s.app.account("culture", Role::CommitteeStaff, Scope::Committee(s.culture)).await;
    let staff = s.app.account("proposals", Role::CommitteeStaff, Scope::Committee(s.committee)).await;

    let refused = s.app.post(Some(&stranger), DECIDE, json!({ "id": request["id"], "d": "APPROVE" })).await;
    let by_member = s.app.post(Some(&s.member_token), DECIDE, json!({ "id": request["id"], "d": "APPROVE" })).await;
    let decided = s.app.post(Some(&staff), DECIDE, json!({ "id": request["id"], "d": "APPROVE" })).await;
    let twice = s.app.post(Some(&staff), DECIDE, json!({ "id": request["id"], "d": "REFUSE" })).await;

    assert_eq!(error_code(&refused), "FORBIDDEN");
    assert_eq!(error_code(&by_member), "FORBIDDEN");
    assert_eq!(decided["data"]["decideLeave"]["leaveRequest"]["status"], "APPROVED", "{decided:#}");
    assert_eq!(error_code(&twice), "CONFLICT");
}

#[actix_web::test]
async fn only_an_invitee_without_a_mark_may_ask_for_leave() {
    let s = setup(date(2099, 6, 1)).await;
    let o_plenary = fixtures::activity(&s.app, ActivityKind::Consultation, date(2099, 6, 2), false, &[]).await;

    let not_invited = s.app.admin(REQUEST, json!({ "a": gid(Kind::Activity, o_plenary), "m": s.own })).await;
    s.app.ok(REQUEST, json!({ "a": s.activity, "m": s.own })).await;
    let twice = s.app.admin(REQUEST, json!({ "a": s.activity, "m": s.own })).await;

    assert_eq!(error_code(&not_invited), "BAD_USER_INPUT");
    assert_eq!(error_code(&twice), "CONFLICT");
}
