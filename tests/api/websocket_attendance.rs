//! Issue 18: the attendance subscriptions delivered over the real WebSocket transport. A member
//! subscribed to `invitationReceived` or `leaveDecided` hears of their own invitation or decision
//! and not of another member's, and only once the write has committed: what the event announces
//! is already in the database when it arrives.

use entity::{enums::Role, leave_request, participation};
use lvzhi::relay::{Kind, decode_id};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, gid, member, org},
    helpers::{Scope, TestApp},
    websocket::{Client, listening},
};

const RECORD: &str = "mutation($input: RecordActivityInput!) { recordActivity(input: $input) { activity { id } } }";
const INVITED: &str = "subscription { invitationReceived { id title } }";
const DECIDED: &str = "subscription { leaveDecided { id status member { name } } }";

/// Two members, each with a MEMBER account and a signed-in socket.
struct Two {
    app: TestApp,
    first: i64,
    second: i64,
    first_socket: Client,
    second_socket: Client,
}

async fn two_members() -> Two {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let first = member(&app, &o, MemberSpec::named("甲")).await;
    let second = member(&app, &o, MemberSpec::named("乙")).await;
    let first_token = app.account("member1", Role::Member, Scope::Member(first)).await;
    let second_token = app.account("member2", Role::Member, Scope::Member(second)).await;
    let first_socket = Client::signed_in(&app.state, Some(&first_token)).await;
    let second_socket = Client::signed_in(&app.state, Some(&second_token)).await;
    Two { app, first, second, first_socket, second_socket }
}

/// A planned office activity (which invites nobody by itself) with `invited` invited by hand
/// (pending, unmarked), over HTTP; its global ID.
async fn notice(app: &TestApp, title: &str, invited: &[i64]) -> String {
    let input = json!({ "title": title, "kind": "RESEARCH", "startDate": "2099-05-06", "status": "PLANNED" });
    let id = app.ok(RECORD, json!({ "input": input })).await["recordActivity"]["activity"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let members: Vec<String> = invited.iter().map(|&m| gid(Kind::Member, m)).collect();
    app.ok(
        "mutation($a: ID!, $m: [ID!]!) { inviteMembers(input: { activityId: $a, memberIds: $m }) { activity { id } } }",
        json!({ "a": id, "m": members }),
    )
    .await;
    id
}

fn payload(message: &Value, field: &str) -> Value {
    assert_eq!(message["type"], "next", "{message:#}");
    message["payload"]["data"][field].clone()
}

#[actix_web::test]
async fn a_member_hears_of_their_own_invitation_over_the_socket_and_not_of_anothers() {
    let mut t = two_members().await;
    t.first_socket.subscribe("1", INVITED, json!({}));
    t.second_socket.subscribe("1", INVITED, json!({}));
    // Each socket listens for the end of its session, each subscription for its events.
    listening(&t.app.state.events, 4).await;

    let theirs = notice(&t.app, "只邀请乙的调研", &[t.second]).await;
    let mine = notice(&t.app, "只邀请甲的调研", &[t.first]).await;

    // Events arrive in order: the first one the first member hears is their own.
    let heard = payload(&t.first_socket.message().await, "invitationReceived");
    assert_eq!(heard, json!({ "id": mine, "title": "只邀请甲的调研" }));
    let other = payload(&t.second_socket.message().await, "invitationReceived");
    assert_eq!(other, json!({ "id": theirs, "title": "只邀请乙的调研" }));
    // Committed before it was announced: the invitation is there for anyone to read.
    let activity = decode_id(Kind::Activity, &mine.clone().into(), "id").unwrap();
    let stored = participation::Entity::find()
        .filter(participation::Column::ActivityId.eq(activity))
        .filter(participation::Column::MemberId.eq(t.first))
        .filter(participation::Column::Invited.eq(true))
        .one(&t.app.db)
        .await
        .unwrap();
    assert!(stored.is_some(), "the invitation was committed before the event");
}

#[actix_web::test]
async fn a_member_hears_of_the_decision_on_their_own_leave_and_not_on_anothers() {
    let mut t = two_members().await;
    let both = notice(&t.app, "两人受邀的调研", &[t.first, t.second]).await;
    let request =
        "mutation($a: ID!, $m: ID!) { requestLeave(input: { activityId: $a, memberId: $m, reason: \"出差\" }) {
        leaveRequest { id } } }";
    let ask = |m: i64| json!({ "a": both, "m": gid(Kind::Member, m) });
    let second_request = t.app.ok(request, ask(t.second)).await["requestLeave"]["leaveRequest"]["id"].clone();
    let first_request = t.app.ok(request, ask(t.first)).await["requestLeave"]["leaveRequest"]["id"].clone();
    t.first_socket.subscribe("1", DECIDED, json!({}));
    t.second_socket.subscribe("1", DECIDED, json!({}));
    listening(&t.app.state.events, 4).await;
    let decide = "mutation($id: ID!, $d: LeaveDecision!) { decideLeave(input: { id: $id, decision: $d }) {
        leaveRequest { status } } }";

    t.app.ok(decide, json!({ "id": second_request, "d": "REFUSE" })).await;
    t.app.ok(decide, json!({ "id": first_request, "d": "APPROVE" })).await;

    let heard = payload(&t.first_socket.message().await, "leaveDecided");
    assert_eq!(heard, json!({ "id": first_request, "status": "APPROVED", "member": { "name": "甲" } }));
    let other = payload(&t.second_socket.message().await, "leaveDecided");
    assert_eq!(other, json!({ "id": second_request, "status": "REFUSED", "member": { "name": "乙" } }));
    // The decision and the excused mark it sets were committed before the event.
    let id = decode_id(Kind::LeaveRequest, &first_request.as_str().unwrap().into(), "id").unwrap();
    let stored = leave_request::Entity::find_by_id(id).one(&t.app.db).await.unwrap().unwrap();
    assert_eq!(stored.status, entity::enums::LeaveStatus::Approved);
    let mark = participation::Entity::find()
        .filter(participation::Column::MemberId.eq(t.first))
        .one(&t.app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mark.attendance, Some(entity::enums::Attendance::Excused));
}
