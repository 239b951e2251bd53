//! Issue 18: attendance from a notice. Recording an activity invites who the organisation
//! expects; invitees are pending until signed in, excused or the activity closes; closing turns
//! the rest absent, and every figure (attendance, the assessment) counts from invitations.

use entity::enums::{ActivityKind, Attendance, Role};
use lvzhi::{activity::service as activities, relay::Kind};
use serde_json::{Value, json};

use crate::{
    fixtures::{self, MemberSpec, date, gid, member, members, org},
    helpers::{Scope, TestApp, error_code},
};

const RECORD: &str = "mutation($input: RecordActivityInput!) { recordActivity(input: $input) { activity { id
    invitations { totalCount } participants { totalCount } } } }";
const CLOSE: &str = "mutation($id: ID!) { closeActivity(input: { id: $id }) { activity { closed status
    absent: participants(attendance: ABSENT) { totalCount } invitations { totalCount } } } }";
const ATTENDANCE: &str = "query($id: ID!, $year: Int!) { member(id: $id) { attendance(year: $year) {
    present excused absent pending expected attended total } } }";

async fn attendance(app: &TestApp, member: &str, year: i32) -> Value {
    app.ok(ATTENDANCE, json!({ "id": member, "year": year })).await["member"]["attendance"].clone()
}

/// The lines of `member`'s latest 2024 result under `rule`.
async fn lines(app: &TestApp, member: &str, rule: &str) -> Vec<Value> {
    let data = app
        .ok(
            "query($id: ID!) { member(id: $id) { assessment(year: 2024) { lines { text ruleCode points } } } }",
            json!({ "id": member }),
        )
        .await;
    data["member"]["assessment"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["ruleCode"] == rule)
        .cloned()
        .collect()
}

#[actix_web::test]
async fn a_closed_plenary_leaves_every_member_not_signed_in_absent_and_the_rules_score_them() {
    let app = TestApp::new().await;
    lvzhi::seed::demo(&app.db).await.map_err(|e| e.message()).unwrap();
    let listed = app.ok("{ members(first: 3) { nodes { id } } }", json!({})).await;
    let ids: Vec<String> =
        listed["members"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap().to_owned()).collect();
    let (present, also_present, other) = (&ids[0], &ids[1], &ids[2]);
    let before = attendance(&app, other, 2024).await;
    let input = json!({ "title": "政协第十届第四次全体会议", "kind": "PLENARY_SESSION", "startDate": "2024-11-20",
        "compulsory": true, "participants": [{ "memberId": present }, { "memberId": also_present }] });

    let recorded = app.ok(RECORD, json!({ "input": input })).await["recordActivity"]["activity"].clone();
    let invited = recorded["invitations"]["totalCount"].as_i64().unwrap();
    let pending = attendance(&app, other, 2024).await;
    let closed = app.ok(CLOSE, json!({ "id": recorded["id"] })).await["closeActivity"]["activity"].clone();
    let after = attendance(&app, other, 2024).await;

    assert_eq!(invited, 209, "every member seated on the day is invited");
    assert_eq!(recorded["participants"]["totalCount"], 2);
    assert_eq!(pending["pending"], before["pending"].as_i64().unwrap() + 1);
    assert_eq!(
        (pending["absent"].clone(), pending["expected"].clone()),
        (before["absent"].clone(), before["expected"].clone())
    );
    assert_eq!(closed["closed"], true);
    assert_eq!(closed["absent"]["totalCount"], 207);
    assert_eq!(after["absent"], before["absent"].as_i64().unwrap() + 1);
    assert_eq!(after["expected"], before["expected"].as_i64().unwrap() + 1);
    assert_eq!(after["pending"], before["pending"]);

    // 济南: an unexcused plenary absence costs 30 points.
    let rules = lvzhi::assessment::service::load_preset(&app.db, &lvzhi::auth::Actor::System, "jinan", None, None)
        .await
        .map_err(|e| e.message())
        .unwrap();
    lvzhi::assessment::service::run(&app.db, &lvzhi::auth::Actor::System, rules.id, 2024)
        .await
        .map_err(|e| e.message())
        .unwrap();
    let absent_lines = lines(&app, other, "plenary_unexcused").await;
    assert!(
        absent_lines.iter().any(|l| l["points"] == "-30" && l["text"].as_str().unwrap().starts_with("2024-11-20")),
        "{absent_lines:#?}"
    );
    let present_lines = lines(&app, present, "plenary_unexcused").await;
    assert!(present_lines.iter().all(|l| !l["text"].as_str().unwrap().starts_with("2024-11-20")), "{present_lines:#?}");
}

#[actix_web::test]
async fn a_committees_activity_invites_its_members_only_and_pending_is_neither_present_nor_absent() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let inside =
        member(&app, &o, MemberSpec { committee: Some(o.proposals_committee), ..MemberSpec::named("甲") }).await;
    let outside =
        member(&app, &o, MemberSpec { committee: Some(o.culture_committee), ..MemberSpec::named("乙") }).await;
    let input = json!({ "title": "专委会会议", "kind": "SPECIAL_COMMITTEE_MEETING", "startDate": "2024-05-06",
        "compulsory": true, "organiserId": gid(Kind::SpecialCommittee, o.proposals_committee) });

    let recorded = app.ok(RECORD, json!({ "input": input })).await["recordActivity"]["activity"].clone();

    assert_eq!(recorded["invitations"]["totalCount"], 1);
    assert_eq!(recorded["participants"]["totalCount"], 0);
    let a = attendance(&app, &gid(Kind::Member, inside), 2024).await;
    assert_eq!(
        a,
        json!({ "present": 0, "excused": 0, "absent": 0, "pending": 1, "expected": 0, "attended": 0, "total": 0 })
    );
    let b = attendance(&app, &gid(Kind::Member, outside), 2024).await;
    assert_eq!(b["pending"], 0);
}

#[actix_web::test]
async fn only_the_office_closes_an_activity_even_one_its_committee_organised() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let inside =
        member(&app, &o, MemberSpec { committee: Some(o.proposals_committee), ..MemberSpec::named("甲") }).await;
    let staff = app.account("staff1", Role::CommitteeStaff, Scope::Committee(o.proposals_committee)).await;
    let office = app.account("office1", Role::Office, Scope::None).await;
    let input = json!({ "title": "专委会会议", "kind": "SPECIAL_COMMITTEE_MEETING", "startDate": "2024-05-06",
        "compulsory": true, "organiserId": gid(Kind::SpecialCommittee, o.proposals_committee) });
    let recorded = app.post(Some(&staff), RECORD, json!({ "input": input })).await;
    let id = recorded["data"]["recordActivity"]["activity"]["id"].clone();
    assert!(id.is_string(), "the committee records its own activity: {recorded:#}");

    let by_staff = app.post(Some(&staff), CLOSE, json!({ "id": id })).await;
    let still_pending = attendance(&app, &gid(Kind::Member, inside), 2024).await;
    let by_office = app.post(Some(&office), CLOSE, json!({ "id": id })).await;

    assert_eq!(error_code(&by_staff), "FORBIDDEN", "{by_staff:#}");
    assert_eq!(still_pending["pending"], 1, "a refused closing marks nobody absent");
    assert_eq!(by_office["data"]["closeActivity"]["activity"]["closed"], true, "{by_office:#}");
    assert_eq!(attendance(&app, &gid(Kind::Member, inside), 2024).await["absent"], 1);
}

#[actix_web::test]
async fn attending_without_being_expected_is_recorded_and_never_counted() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let guest = member(&app, &o, MemberSpec::named("列席者")).await;
    let input = json!({ "title": "专题协商会", "kind": "CONSULTATION", "startDate": "2024-05-06", "compulsory": true,
        "participants": [{ "memberId": gid(Kind::Member, guest), "invited": false }] });

    let recorded = app.ok(RECORD, json!({ "input": input })).await["recordActivity"]["activity"].clone();

    assert_eq!(
        (recorded["participants"]["totalCount"].clone(), recorded["invitations"]["totalCount"].clone()),
        (json!(1), json!(0))
    );
    let a = attendance(&app, &gid(Kind::Member, guest), 2024).await;
    assert_eq!((a["present"].clone(), a["expected"].clone(), a["total"].clone()), (json!(0), json!(0), json!(0)));
}

#[actix_web::test]
async fn signing_in_all_present_except_the_late_leaves_nobody_absent_at_closing() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let ids = members(&app, &o, 3).await;
    let plenary = fixtures::activity(&app, ActivityKind::PlenarySession, date(2024, 3, 1), true, &[]).await;
    let sign_in = "mutation($input: SignInInput!) { signIn(input: $input) { activity {
        present: participants(attendance: PRESENT) { totalCount } late: participants(attendance: LATE) { totalCount } } } }";

    let signed = app
        .ok(
            sign_in,
            json!({ "input": { "activityId": gid(Kind::Activity, plenary), "othersPresent": true,
                "marks": [{ "memberId": gid(Kind::Member, ids[0]), "attendance": "LATE" }] } }),
        )
        .await;
    let closed = app.ok(CLOSE, json!({ "id": gid(Kind::Activity, plenary) })).await;

    assert_eq!(signed["signIn"]["activity"]["present"]["totalCount"], 2);
    assert_eq!(signed["signIn"]["activity"]["late"]["totalCount"], 1);
    assert_eq!(closed["closeActivity"]["activity"]["absent"]["totalCount"], 0);
}

#[actix_web::test]
async fn an_activity_closes_once_and_not_before_it_starts() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    members(&app, &o, 2).await;
    let held = fixtures::activity(&app, ActivityKind::PlenarySession, date(2024, 3, 1), true, &[]).await;
    let future = fixtures::activity(&app, ActivityKind::PlenarySession, date(2099, 3, 1), true, &[]).await;

    app.ok(CLOSE, json!({ "id": gid(Kind::Activity, held) })).await;
    let again = app.admin(CLOSE, json!({ "id": gid(Kind::Activity, held) })).await;
    let early = app.admin(CLOSE, json!({ "id": gid(Kind::Activity, future) })).await;

    assert_eq!(error_code(&again), "CONFLICT");
    assert_eq!(error_code(&early), "CONFLICT");
}

#[actix_web::test]
async fn activities_past_the_auto_close_days_are_closed_by_the_system() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let ids = members(&app, &o, 2).await;
    let old = fixtures::activity(&app, ActivityKind::PlenarySession, date(2024, 3, 1), true, &[]).await;
    let recent = fixtures::activity(&app, ActivityKind::PlenarySession, date(2024, 3, 25), true, &[]).await;

    let closed = activities::close_due(&app.db, 7, date(2024, 3, 28)).await.map_err(|e| e.message()).unwrap();

    assert_eq!(closed, vec![old]);
    let a = attendance(&app, &gid(Kind::Member, ids[0]), 2024).await;
    assert_eq!((a["absent"].clone(), a["pending"].clone()), (json!(1), json!(1)));
    let _ = recent;
}

#[actix_web::test]
async fn invitees_are_added_and_removed_by_hand() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let ids = members(&app, &o, 2).await;
    let meeting = fixtures::activity(&app, ActivityKind::Consultation, date(2024, 4, 2), true, &[]).await;
    let invite = "mutation($a: ID!, $m: [ID!]!) { inviteMembers(input: { activityId: $a, memberIds: $m }) { activity { invitations { totalCount } } } }";
    let uninvite = "mutation($a: ID!, $m: [ID!]!) { uninviteMembers(input: { activityId: $a, memberIds: $m }) { activity { invitations { totalCount } } } }";
    let all: Vec<String> = ids.iter().map(|&m| gid(Kind::Member, m)).collect();

    let added = app.ok(invite, json!({ "a": gid(Kind::Activity, meeting), "m": all })).await;
    let removed = app.ok(uninvite, json!({ "a": gid(Kind::Activity, meeting), "m": [all[0]] })).await;

    assert_eq!(added["inviteMembers"]["activity"]["invitations"]["totalCount"], 2);
    assert_eq!(removed["uninviteMembers"]["activity"]["invitations"]["totalCount"], 1);
}

const INVITATION_PAGE: &str = "query($n: Int) { activities(first: $n) { nodes { title
    invitations(first: 3) { totalCount pageInfo { hasNextPage } nodes { attendance attendanceLabel pending
      member { name } leaveRequest { status } } } } } }";

#[actix_web::test]
async fn statement_count_of_activities_with_their_invitations_does_not_depend_on_the_page_size() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let ids = members(&app, &o, 4).await;
    for day in 1..=20 {
        fixtures::activity(
            &app,
            ActivityKind::PlenarySession,
            date(2024, 3, day),
            true,
            &[(ids[0], Attendance::Present)],
        )
        .await;
    }

    let before = app.statements();
    let five = app.ok(INVITATION_PAGE, json!({ "n": 5 })).await;
    let for_five = app.statements() - before;
    let before = app.statements();
    let twenty = app.ok(INVITATION_PAGE, json!({ "n": 20 })).await;
    let for_twenty = app.statements() - before;

    assert_eq!(five["activities"]["nodes"][0]["invitations"]["totalCount"], 4);
    assert_eq!(twenty["activities"]["nodes"].as_array().unwrap().len(), 20);
    assert_eq!(for_five, for_twenty, "statement count must not depend on the page size");
}

/// 10,000 members seated in the current term, written in bulk; their ids.
async fn seat_many(app: &TestApp, term: i64, n: usize) -> Vec<i64> {
    use entity::{enums::Party, enums::SeatStatus, member as m, seat};
    use sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder, QuerySelect};
    let now = chrono::Utc::now();
    let people: Vec<m::ActiveModel> = (0..n)
        .map(|i| m::ActiveModel {
            name: Set(format!("委员{i:05}")),
            name_pinyin: Set(format!("weiyuan{i:05}")),
            name_initials: Set(format!("wy{i:05}")),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in people.chunks(500) {
        m::Entity::insert_many(chunk.to_vec()).exec_without_returning(&app.db).await.unwrap();
    }
    let ids: Vec<i64> = m::Entity::find()
        .select_only()
        .column(m::Column::Id)
        .order_by_asc(m::Column::Id)
        .into_tuple()
        .all(&app.db)
        .await
        .unwrap();
    let seats: Vec<seat::ActiveModel> = ids
        .iter()
        .map(|&member_id| seat::ActiveModel {
            member_id: Set(member_id),
            term_id: Set(term),
            party: Set(Party::Cpc),
            standing_committee: Set(false),
            status: Set(SeatStatus::Serving),
            start_date: Set(date(2021, 12, 20)),
            ..Default::default()
        })
        .collect();
    for chunk in seats.chunks(500) {
        seat::Entity::insert_many(chunk.to_vec()).exec_without_returning(&app.db).await.unwrap();
    }
    ids
}

#[actix_web::test]
async fn a_plenary_of_ten_thousand_invitees_is_recorded_and_closed_in_a_statement_each() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let ids = seat_many(&app, o.current_term, 10_000).await;
    let listed = [(ids[0], Attendance::Present), (ids[1], Attendance::Late)];

    let started = std::time::Instant::now();
    let plenary = fixtures::activity(&app, ActivityKind::PlenarySession, date(2024, 3, 1), true, &listed).await;
    let recorded = started.elapsed();
    let statements = app.statements();
    let started = std::time::Instant::now();
    activities::close(&app.db, &lvzhi::auth::Actor::System, plenary).await.map_err(|e| e.message()).unwrap();
    let closed = started.elapsed();
    let closing_statements = app.statements() - statements;
    eprintln!("10,000 invitees: recorded in {recorded:?}, closed in {closed:?} ({closing_statements} statements)");

    let counts = app
        .ok(
            "query($id: ID!) { activity(id: $id) { invitations { totalCount } absent: participants(attendance: ABSENT) { totalCount } } }",
            json!({ "id": gid(Kind::Activity, plenary) }),
        )
        .await;
    assert_eq!(counts["activity"]["invitations"]["totalCount"], 10_000);
    assert_eq!(counts["activity"]["absent"]["totalCount"], 9_998);
    assert!(closing_statements < 20, "closing takes a fixed number of statements, not one per invitee");
}

const SHEET: &str = "mutation($input: ImportSignInSheetInput!) { importSignInSheet(input: $input) {
    marked applied errors { line column message } activity { late: participants(attendance: LATE) { totalCount }
    present: participants(attendance: PRESENT) { totalCount } } } }";

#[actix_web::test]
async fn a_sign_in_sheet_marks_its_members_or_names_every_bad_row_and_writes_nothing() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let ids = members(&app, &o, 3).await;
    let plenary = fixtures::activity(&app, ActivityKind::PlenarySession, date(2024, 3, 1), true, &[]).await;
    let vars = json!({ "input": { "file": null, "activityId": gid(Kind::Activity, plenary) } });
    let (gbk, _, _) = encoding_rs::GBK.encode("姓名,签到\r\n委员000,迟到\r\n委员001,\r\n");
    let bad = "姓名,签到\r\n委员000,迟到\r\n无名氏,出席\r\n委员001,睡觉\r\n";

    let send = async |bytes: &[u8]| {
        let response =
            app.upload(Some(&app.admin), SHEET, vars.clone(), "variables.input.file", "签到表.csv", bytes).await;
        assert!(response.get("errors").is_none(), "{response:#}");
        response["data"]["importSignInSheet"].clone()
    };
    let refused = send(bad.as_bytes()).await;
    let signed = send(&gbk).await;

    assert_eq!(refused["applied"], false);
    let errors: Vec<(i64, &str)> = refused["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_i64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert_eq!(errors, vec![(3, "姓名"), (4, "签到")]);
    assert_eq!(refused["activity"]["late"]["totalCount"], 0, "nothing was written");
    assert_eq!((signed["applied"].clone(), signed["marked"].clone()), (json!(true), json!(2)));
    assert_eq!(signed["activity"]["late"]["totalCount"], 1);
    assert_eq!(signed["activity"]["present"]["totalCount"], 1);
    let _ = ids;
}
