//! Issue 18: `Member.invitations` — a member's own invitations (应出席), marked or pending, with
//! the activity, the date, the mark and the leave request; read by the member themself and by
//! whoever reads their participations; a statement count fixed by the query's shape.

use entity::enums::{ActivityKind, Attendance, Role};
use lvzhi::relay::Kind;
use serde_json::{Value, json};

use crate::{
    fixtures::{self, MemberSpec, date, gid, member, members, org},
    helpers::{Scope, TestApp, error_code},
};

const INVITATIONS: &str = "query($id: ID!, $first: Int, $after: String) { member(id: $id) {
    invitations(year: 2024, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
      nodes { date attendance attendanceLabel pending activity { title } leaveRequest { status } } } } }";

struct Setup {
    app: TestApp,
    own: i64,
    other: i64,
}

/// A member of the proposals committee with: a pending invitation to its meeting (2024-05-06)
/// with a request for leave, a PRESENT mark at an office inspection (2024-03-01), a 列席 row at
/// another office activity (2024-04-01), and a 2023 invitation.
async fn setup() -> Setup {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let spec = |name: &str| MemberSpec { committee: Some(o.proposals_committee), ..MemberSpec::named(name) };
    let own = member(&app, &o, spec("甲")).await;
    let other = member(&app, &o, spec("乙")).await;
    let meeting = json!({ "title": "专委会会议", "kind": "SPECIAL_COMMITTEE_MEETING", "startDate": "2024-05-06",
        "status": "PLANNED", "organiserId": gid(Kind::SpecialCommittee, o.proposals_committee) });
    let meeting = app
        .ok(
            "mutation($input: RecordActivityInput!) { recordActivity(input: $input) { activity { id } } }",
            json!({ "input": meeting }),
        )
        .await["recordActivity"]["activity"]["id"]
        .clone();
    app.ok(
        "mutation($a: ID!, $m: ID!) { requestLeave(input: { activityId: $a, memberId: $m, reason: \"出差\" }) { leaveRequest { id } } }",
        json!({ "a": meeting, "m": gid(Kind::Member, own) }),
    )
    .await;
    fixtures::activity(&app, ActivityKind::Inspection, date(2024, 3, 1), true, &[(own, Attendance::Present)]).await;
    let guest = fixtures::activity(&app, ActivityKind::Research, date(2024, 4, 1), false, &[]).await;
    app.ok(
        "mutation($a: ID!, $m: ID!) { signIn(input: { activityId: $a, marks: [{ memberId: $m }] }) { activity { id } } }",
        json!({ "a": gid(Kind::Activity, guest), "m": gid(Kind::Member, own) }),
    )
    .await;
    fixtures::activity(&app, ActivityKind::Inspection, date(2023, 3, 1), true, &[(own, Attendance::Absent)]).await;
    Setup { app, own, other }
}

fn invitations(response: &Value) -> Value {
    assert!(response.get("errors").is_none(), "{response:#}");
    response["data"]["member"]["invitations"].clone()
}

#[actix_web::test]
async fn a_members_invitations_list_marked_and_pending_ones_newest_first_without_attending_as_a_guest() {
    let s = setup().await;

    let found = invitations(&s.app.admin(INVITATIONS, json!({ "id": gid(Kind::Member, s.own) })).await);

    assert_eq!(found["totalCount"], 2, "the 列席 row and the 2023 invitation are not 2024 invitations");
    assert_eq!(
        found["nodes"],
        json!([
            { "date": "2024-05-06", "attendance": null, "attendanceLabel": "待定", "pending": true,
              "activity": { "title": "专委会会议" }, "leaveRequest": { "status": "PENDING" } },
            { "date": "2024-03-01", "attendance": "PRESENT", "attendanceLabel": "出席", "pending": false,
              "activity": { "title": "视察（2024-03-01）" }, "leaveRequest": null },
        ])
    );
}

#[actix_web::test]
async fn a_members_invitations_page_on_from_the_cursor() {
    let s = setup().await;
    let id = gid(Kind::Member, s.own);

    let first = invitations(&s.app.admin(INVITATIONS, json!({ "id": id, "first": 1 })).await);
    let cursor = first["pageInfo"]["endCursor"].clone();
    let next = invitations(&s.app.admin(INVITATIONS, json!({ "id": id, "first": 1, "after": cursor })).await);

    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    assert_eq!(first["nodes"][0]["date"], "2024-05-06");
    assert_eq!(next["nodes"].as_array().unwrap().len(), 1);
    assert_eq!(next["nodes"][0]["date"], "2024-03-01");
    assert_eq!(next["pageInfo"]["hasNextPage"], false);
}

#[actix_web::test]
async fn a_member_reads_their_own_invitations_and_not_anothers() {
    let s = setup().await;
    let own_token = s.app.account("member1", Role::Member, Scope::Member(s.own)).await;
    let other_token = s.app.account("member2", Role::Member, Scope::Member(s.other)).await;

    let own = s.app.post(Some(&own_token), INVITATIONS, json!({ "id": gid(Kind::Member, s.own) })).await;
    let others = s.app.post(Some(&other_token), INVITATIONS, json!({ "id": gid(Kind::Member, s.own) })).await;

    assert_eq!(invitations(&own)["totalCount"], 2);
    assert_eq!(error_code(&others), "FORBIDDEN", "{others:#}");
}

#[actix_web::test]
async fn statement_count_of_members_with_their_invitations_does_not_depend_on_the_page_size() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let ids = members(&app, &o, 12).await;
    let marks: Vec<_> = ids.iter().map(|&m| (m, Attendance::Present)).collect();
    fixtures::activity(&app, ActivityKind::Inspection, date(2024, 3, 1), true, &marks).await;
    fixtures::activity(&app, ActivityKind::Research, date(2024, 4, 1), true, &marks[..6]).await;
    let query = "query($n: Int!) { members(first: $n) { nodes { name invitations(year: 2024) { totalCount
        nodes { pending attendance activity { title } leaveRequest { status } } } } } }";

    let count = |n: i64| {
        let app = &app;
        async move {
            let before = app.statements();
            let data = app.ok(query, json!({ "n": n })).await;
            (app.statements() - before, data)
        }
    };
    let (small, _) = count(3).await;
    let (large, data) = count(100).await;

    assert_eq!(small, large, "statements for a page of 3 and of 12 members");
    let listed: i64 = data["members"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["invitations"]["totalCount"].as_i64().unwrap())
        .sum();
    assert_eq!(listed, 18);
}
