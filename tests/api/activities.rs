//! Activities and attendance: recording in one transaction, attendance changes, who may record
//! what, members' duty fields, and a statement count independent of the page size.

use entity::enums::{ActivityKind, Attendance, Role};
use lvzhi::relay::Kind;
use serde_json::{Value, json};

use crate::{
    fixtures::{self, MemberSpec, date, gid, member, members, org},
    helpers::{Scope, TestApp, error_code, error_field},
};

const RECORD: &str = "mutation($input: RecordActivityInput!) { recordActivity(input: $input) {
    activity { id title kind kindLabel status organiser { kind name }
      participants { totalCount nodes { attendance role member { name } } } } } }";

fn input(participants: Value) -> Value {
    json!({ "input": {
        "title": "关于老旧小区改造的专题协商会", "kind": "CONSULTATION", "subkind": "THEMATIC_CONSULTATION",
        "startDate": "2023-05-10", "participants": participants } })
}

async fn count_activities(app: &TestApp) -> i64 {
    app.ok("{ activities { totalCount } }", json!({})).await["activities"]["totalCount"].as_i64().unwrap()
}

#[actix_web::test]
async fn record_activity_stores_the_activity_with_all_its_participants() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 2).await;
    let participants = json!([
        { "memberId": gid(Kind::Member, ids[0]), "role": "SPEAKER" },
        { "memberId": gid(Kind::Member, ids[1]), "attendance": "EXCUSED" },
    ]);

    let data = app.ok(RECORD, input(participants)).await;

    let activity = &data["recordActivity"]["activity"];
    assert_eq!(activity["kindLabel"], "协商");
    assert_eq!(activity["status"], "DONE");
    assert_eq!(activity["organiser"], json!({ "kind": "OFFICE", "name": "办公室" }));
    assert_eq!(activity["participants"]["totalCount"], 2);
    assert_eq!(
        activity["participants"]["nodes"],
        json!([
            { "attendance": "PRESENT", "role": "SPEAKER", "member": { "name": "委员000" } },
            { "attendance": "EXCUSED", "role": "PARTICIPANT", "member": { "name": "委员001" } },
        ])
    );
}

#[actix_web::test]
async fn record_activity_rejects_an_unknown_member_and_writes_nothing() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 1).await;
    let participants = json!([{ "memberId": gid(Kind::Member, ids[0]) }, { "memberId": gid(Kind::Member, 9999) }]);

    let response = app.admin(RECORD, input(participants)).await;

    assert_eq!(error_code(&response), "BAD_USER_INPUT");
    assert_eq!(error_field(&response), "input.participants.1.memberId");
    assert_eq!(count_activities(&app).await, 0);
}

#[actix_web::test]
async fn record_activity_rejects_a_duplicate_participant() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 2).await;
    let (a, b) = (gid(Kind::Member, ids[0]), gid(Kind::Member, ids[1]));
    let participants = json!([{ "memberId": a }, { "memberId": b }, { "memberId": a }]);

    let response = app.admin(RECORD, input(participants)).await;

    assert_eq!((error_code(&response), error_field(&response)), ("BAD_USER_INPUT", "input.participants.2.memberId"));
    assert_eq!(count_activities(&app).await, 0);
}

#[actix_web::test]
async fn record_activity_rejects_an_end_before_the_start_and_a_foreign_subkind() {
    let app = TestApp::new().await;
    let mut backwards = input(json!([]));
    backwards["input"]["endDate"] = json!("2023-05-09");
    let mut foreign = input(json!([]));
    foreign["input"]["kind"] = json!("READING");

    let backwards = app.admin(RECORD, backwards).await;
    let foreign = app.admin(RECORD, foreign).await;

    assert_eq!((error_code(&backwards), error_field(&backwards)), ("BAD_USER_INPUT", "input.endDate"));
    assert_eq!((error_code(&foreign), error_field(&foreign)), ("BAD_USER_INPUT", "input.subkind"));
    assert_eq!(count_activities(&app).await, 0);
}

const SET_ATTENDANCE: &str = "mutation($input: SetAttendanceInput!) { setAttendance(input: $input) {
    activity { participants { nodes { attendance member { name } } } } } }";

#[actix_web::test]
async fn set_attendance_upserts_listed_rows_and_replace_removes_the_others() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 3).await;
    let id = fixtures::activity(
        &app,
        ActivityKind::PlenarySession,
        date(2023, 1, 8),
        true,
        &[(ids[0], Attendance::Present), (ids[1], Attendance::Present)],
    )
    .await;
    let activity_id = gid(Kind::Activity, id);

    let upserted = app
        .ok(
            SET_ATTENDANCE,
            json!({ "input": { "activityId": activity_id, "participants": [
                { "memberId": gid(Kind::Member, ids[1]), "attendance": "ABSENT" },
                { "memberId": gid(Kind::Member, ids[2]), "attendance": "LATE" } ] } }),
        )
        .await;
    let replaced = app
        .ok(
            SET_ATTENDANCE,
            json!({ "input": { "activityId": activity_id, "mode": "REPLACE", "participants": [
                { "memberId": gid(Kind::Member, ids[2]), "attendance": "EXCUSED" } ] } }),
        )
        .await;

    let names = |data: &Value| data["setAttendance"]["activity"]["participants"]["nodes"].clone();
    assert_eq!(
        names(&upserted),
        json!([
            { "attendance": "PRESENT", "member": { "name": "委员000" } },
            { "attendance": "ABSENT", "member": { "name": "委员001" } },
            { "attendance": "LATE", "member": { "name": "委员002" } },
        ])
    );
    assert_eq!(names(&replaced), json!([{ "attendance": "EXCUSED", "member": { "name": "委员002" } }]));
}

#[actix_web::test]
async fn update_changes_details_and_cancel_takes_the_activity_out_of_attendance() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 1).await;
    let id =
        fixtures::activity(&app, ActivityKind::PlenarySession, date(2023, 1, 8), true, &[(ids[0], Attendance::Absent)])
            .await;
    let activity_id = gid(Kind::Activity, id);
    let attendance = "query($id: ID!) { member(id: $id) { attendance(year: 2023) { absent expected rate } } }";
    let before = app.ok(attendance, json!({ "id": gid(Kind::Member, ids[0]) })).await;

    let updated = app
        .ok(
            "mutation($id: ID!) { updateActivity(input: { id: $id, title: \"第三次全体会议\", location: \"会议中心\" }) { activity { title location } } }",
            json!({ "id": activity_id }),
        )
        .await;
    let cancelled = app
        .ok(
            "mutation($id: ID!) { cancelActivity(input: { id: $id, reason: \"改期\" }) { activity { status statusLabel } } }",
            json!({ "id": activity_id }),
        )
        .await;
    let again = app
        .admin(
            "mutation($id: ID!) { cancelActivity(input: { id: $id }) { activity { status } } }",
            json!({ "id": activity_id }),
        )
        .await;
    let after = app.ok(attendance, json!({ "id": gid(Kind::Member, ids[0]) })).await;

    assert_eq!(before["member"]["attendance"], json!({ "absent": 1, "expected": 1, "rate": "0" }));
    assert_eq!(updated["updateActivity"]["activity"], json!({ "title": "第三次全体会议", "location": "会议中心" }));
    assert_eq!(cancelled["cancelActivity"]["activity"], json!({ "status": "CANCELLED", "statusLabel": "已取消" }));
    assert_eq!(error_code(&again), "CONFLICT");
    assert_eq!(after["member"]["attendance"], json!({ "absent": 0, "expected": 0, "rate": null }));
}

/// Attendance is counted by the activity's date: moving an activity into another year moves
/// its participations' attendance with it.
#[actix_web::test]
async fn moving_an_activity_to_another_year_moves_its_attendance() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 1).await;
    let id = fixtures::activity(
        &app,
        ActivityKind::PlenarySession,
        date(2023, 12, 30),
        true,
        &[(ids[0], Attendance::Absent)],
    )
    .await;
    let attendance = "query($id: ID!) { member(id: $id) {
        y2023: attendance(year: 2023) { absent expected } y2024: attendance(year: 2024) { absent expected } } }";
    let member = json!({ "id": gid(Kind::Member, ids[0]) });
    let before = app.ok(attendance, member.clone()).await;
    app.ok(
        "mutation($id: ID!) { updateActivity(input: { id: $id, startDate: \"2024-01-03\" }) { activity { startDate } } }",
        json!({ "id": gid(Kind::Activity, id) }),
    )
    .await;
    let after = app.ok(attendance, member).await;

    let one = json!({ "absent": 1, "expected": 1 });
    let none = json!({ "absent": 0, "expected": 0 });
    assert_eq!(before["member"], json!({ "y2023": one, "y2024": none }));
    assert_eq!(after["member"], json!({ "y2023": none, "y2024": one }));
}

#[actix_web::test]
async fn attendance_counts_each_status_and_rates_compulsory_activities() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let me = members(&app, &org, 1).await[0];
    for (day, attendance, compulsory) in [
        (date(2023, 1, 8), Attendance::Present, true),
        (date(2023, 3, 20), Attendance::Late, true),
        (date(2023, 6, 20), Attendance::Excused, true),
        (date(2023, 9, 20), Attendance::Absent, true),
        (date(2023, 5, 1), Attendance::Present, false),
        (date(2022, 9, 20), Attendance::Absent, true),
    ] {
        fixtures::activity(&app, ActivityKind::StandingCommitteeMeeting, day, compulsory, &[(me, attendance)]).await;
    }

    let data = app
        .ok(
            "query($id: ID!) { member(id: $id) { attendance(year: 2023) {
                year present late leftEarly excused absent total expected attended rate } } }",
            json!({ "id": gid(Kind::Member, me) }),
        )
        .await;

    assert_eq!(
        data["member"]["attendance"],
        json!({ "year": 2023, "present": 2, "late": 1, "leftEarly": 0, "excused": 1, "absent": 1,
                "total": 5, "expected": 4, "attended": 2, "rate": "0.5" })
    );
}

#[actix_web::test]
async fn participations_page_newest_first_and_continue_from_the_cursor() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let me = members(&app, &org, 1).await[0];
    for month in 1..=5 {
        fixtures::activity(&app, ActivityKind::Research, date(2023, month, 1), false, &[(me, Attendance::Present)])
            .await;
    }
    let query =
        "query($id: ID!, $after: String) { member(id: $id) { participations(year: 2023, first: 2, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { date activity { kind } } } } }";

    let first = app.ok(query, json!({ "id": gid(Kind::Member, me) })).await;
    let cursor = first["member"]["participations"]["pageInfo"]["endCursor"].clone();
    let second = app.ok(query, json!({ "id": gid(Kind::Member, me), "after": cursor })).await;

    let dates = |d: &Value| {
        d["member"]["participations"]["nodes"].as_array().unwrap().iter().map(|n| n["date"].clone()).collect::<Vec<_>>()
    };
    assert_eq!(first["member"]["participations"]["totalCount"], 5);
    assert_eq!(first["member"]["participations"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(dates(&first), vec![json!("2023-05-01"), json!("2023-04-01")]);
    assert_eq!(dates(&second), vec![json!("2023-03-01"), json!("2023-02-01")]);
}

#[actix_web::test]
async fn activities_filter_by_kind_member_and_year_and_sort_by_date() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 2).await;
    fixtures::activity(&app, ActivityKind::Reading, date(2023, 4, 1), false, &[(ids[0], Attendance::Present)]).await;
    fixtures::activity(&app, ActivityKind::Reading, date(2023, 8, 1), false, &[(ids[1], Attendance::Present)]).await;
    fixtures::activity(&app, ActivityKind::Inspection, date(2024, 2, 1), false, &[(ids[0], Attendance::Present)]).await;
    let q = "query($filter: ActivityFilterInput, $order: [ActivityOrder!]) {
        activities(filter: $filter, orderBy: $order) { totalCount nodes { startDate } } }";

    let reading = app.ok(q, json!({ "filter": { "kind": "READING" } })).await;
    let mine = app.ok(q, json!({ "filter": { "memberId": gid(Kind::Member, ids[0]) }, "order": [{ "field": "DATE", "direction": "ASC" }] })).await;
    let in_2024 = app.ok(q, json!({ "filter": { "year": 2024 } })).await;

    assert_eq!(reading["activities"]["nodes"], json!([{ "startDate": "2023-08-01" }, { "startDate": "2023-04-01" }]));
    assert_eq!(mine["activities"]["nodes"], json!([{ "startDate": "2023-04-01" }, { "startDate": "2024-02-01" }]));
    assert_eq!(in_2024["activities"]["totalCount"], 1);
}

// ----- roles -----

#[actix_web::test]
async fn committee_staff_record_only_their_own_committees_activities() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let staff = app.account("staff", Role::CommitteeStaff, Scope::Committee(org.culture_committee)).await;
    let with_organiser = |committee: i64| {
        let mut v = input(json!([]));
        v["input"]["organiserId"] = json!(gid(Kind::SpecialCommittee, committee));
        v
    };

    let own = app.post(Some(&staff), RECORD, with_organiser(org.culture_committee)).await;
    let other = app.post(Some(&staff), RECORD, with_organiser(org.proposals_committee)).await;
    let office = app.post(Some(&staff), RECORD, input(json!([]))).await;

    assert!(own.get("errors").is_none(), "{own:#}");
    assert_eq!(own["data"]["recordActivity"]["activity"]["organiser"]["name"], "文化文史和学习委员会");
    assert_eq!(error_code(&other), "FORBIDDEN");
    assert_eq!(error_code(&office), "FORBIDDEN");
}

#[actix_web::test]
async fn studio_leads_record_and_set_attendance_only_for_their_studio() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 1).await;
    let lead = app.account("lead", Role::StudioLead, Scope::Studio(org.town_studio)).await;
    let mut own = input(json!([]));
    own["input"]["organiserId"] = json!(gid(Kind::Studio, org.town_studio));
    own["input"]["subkind"] = json!("PEOPLES_LIVELIHOOD_HALL");
    let office_activity =
        fixtures::activity(&app, ActivityKind::Research, date(2023, 2, 1), false, &[(ids[0], Attendance::Present)])
            .await;

    let recorded = app.post(Some(&lead), RECORD, own).await;
    let foreign = app
        .post(
            Some(&lead),
            SET_ATTENDANCE,
            json!({ "input": { "activityId": gid(Kind::Activity, office_activity), "participants": [] } }),
        )
        .await;

    assert!(recorded.get("errors").is_none(), "{recorded:#}");
    assert_eq!(error_code(&foreign), "FORBIDDEN");
}

#[actix_web::test]
async fn members_and_viewers_may_not_record_activities() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let me = members(&app, &org, 1).await[0];
    let member = app.account("member1", Role::Member, Scope::Member(me)).await;
    let viewer = app.account("viewer1", Role::Viewer, Scope::None).await;

    let by_member = app.post(Some(&member), RECORD, input(json!([]))).await;
    let by_viewer = app.post(Some(&viewer), RECORD, input(json!([]))).await;
    let anonymous = app.post(None, RECORD, input(json!([]))).await;

    assert_eq!(error_code(&by_member), "FORBIDDEN");
    assert_eq!(error_code(&by_viewer), "FORBIDDEN");
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

#[actix_web::test]
async fn a_member_reads_only_their_own_duty_records_and_own_participant_row() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 2).await;
    let id = fixtures::activity(
        &app,
        ActivityKind::PlenarySession,
        date(2023, 1, 8),
        true,
        &[(ids[0], Attendance::Present), (ids[1], Attendance::Absent)],
    )
    .await;
    let token = app.account("member1", Role::Member, Scope::Member(ids[0])).await;
    let duty = "query($id: ID!) { member(id: $id) { attendance(year: 2023) { present } participations { totalCount } trainingHours(year: 2023) } }";

    let own = app.post(Some(&token), duty, json!({ "id": gid(Kind::Member, ids[0]) })).await;
    let other = app.post(Some(&token), duty, json!({ "id": gid(Kind::Member, ids[1]) })).await;
    let rows = app
        .post(
            Some(&token),
            "query($id: ID!) { node(id: $id) { ... on Activity { participants { totalCount nodes { member { name } } } } } }",
            json!({ "id": gid(Kind::Activity, id) }),
        )
        .await;

    assert!(own.get("errors").is_none(), "{own:#}");
    assert_eq!(own["data"]["member"]["participations"]["totalCount"], 1);
    assert_eq!(own["data"]["member"]["trainingHours"], "0");
    assert_eq!(error_code(&other), "FORBIDDEN");
    assert_eq!(
        rows["data"]["node"]["participants"],
        json!({ "totalCount": 1, "nodes": [{ "member": { "name": "委员000" } }] })
    );
}

#[actix_web::test]
async fn staff_read_everyones_duty_records_and_viewers_read_no_activities() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let someone = member(&app, &org, MemberSpec::named("张三")).await;
    fixtures::activity(&app, ActivityKind::PlenarySession, date(2023, 1, 8), true, &[(someone, Attendance::Excused)])
        .await;
    let staff = app.account("staff", Role::CommitteeStaff, Scope::Committee(org.culture_committee)).await;
    let viewer = app.account("viewer1", Role::Viewer, Scope::None).await;
    let duty = "query($id: ID!) { member(id: $id) { attendance(year: 2023) { excused } } }";

    let by_staff = app.post(Some(&staff), duty, json!({ "id": gid(Kind::Member, someone) })).await;
    let list = app.post(Some(&viewer), "{ activities { totalCount } }", json!({})).await;

    assert_eq!(by_staff["data"]["member"]["attendance"]["excused"], 1);
    assert_eq!(error_code(&list), "FORBIDDEN");
}

// ----- performance -----

async fn statements_for_a_page(app: &TestApp, size: usize) -> usize {
    let query = "query($n: Int!) { members(first: $n) { nodes { name
        attendance(year: 2023) { present absent rate }
        trainingHours(year: 2023)
        dutyItems(year: 2023) { title }
        participations(year: 2023, first: 5) { totalCount pageInfo { hasNextPage } nodes { attendance activity { title kind } } } } } }";
    let before = app.statements();
    let data = app.ok(query, json!({ "n": size })).await;
    assert_eq!(data["members"]["nodes"].as_array().unwrap().len(), size);
    app.statements() - before
}

#[actix_web::test]
async fn a_page_of_members_with_duty_fields_costs_the_same_statements_for_10_and_100() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 100).await;
    for month in 1..=7 {
        let attendance: Vec<(i64, Attendance)> = ids
            .iter()
            .enumerate()
            .map(|(i, &m)| {
                (m, if (i + month as usize).is_multiple_of(5) { Attendance::Absent } else { Attendance::Present })
            })
            .collect();
        fixtures::activity(&app, ActivityKind::SpecialCommitteeMeeting, date(2023, month, 3), true, &attendance).await;
    }

    let small = statements_for_a_page(&app, 10).await;
    let large = statements_for_a_page(&app, 100).await;

    assert_eq!(small, large, "statement count must not depend on the page size");
}

const ACTIVITY_PAGE: &str = "query($n: Int) { activities(first: $n) { nodes {
    title participants(first: 2) { totalCount pageInfo { hasNextPage } nodes { attendance member { name } } }
    absent: participants(attendance: ABSENT) { totalCount nodes { member { name } } } } } }";

#[actix_web::test]
async fn statement_count_of_activities_with_their_participants_does_not_depend_on_the_page_size() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let ids = members(&app, &o, 3).await;
    let roll = [(ids[0], Attendance::Present), (ids[1], Attendance::Absent), (ids[2], Attendance::Excused)];
    for day in 1..=20 {
        fixtures::activity(&app, ActivityKind::Research, date(2023, 3, day), false, &roll).await;
    }

    let before = app.statements();
    let five = app.ok(ACTIVITY_PAGE, json!({ "n": 5 })).await;
    let for_five = app.statements() - before;
    let before = app.statements();
    let twenty = app.ok(ACTIVITY_PAGE, json!({ "n": 20 })).await;
    let for_twenty = app.statements() - before;

    let last = &twenty["activities"]["nodes"][19];
    assert_eq!(five["activities"]["nodes"].as_array().unwrap().len(), 5);
    assert_eq!(last["participants"]["totalCount"], 3);
    assert_eq!(last["participants"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(last["participants"]["nodes"].as_array().unwrap().len(), 2);
    assert_eq!(last["absent"]["nodes"], json!([{ "member": { "name": "委员001" } }]));
    assert_eq!(for_five, for_twenty, "statements for 5 activities: {for_five}, for 20: {for_twenty}");
}
