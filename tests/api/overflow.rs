//! Issue 17, point 8: nothing overflows or breaks an export. Decimal inputs too large for
//! their documented maxima — or for `Decimal` itself — are BAD_USER_INPUT on their field, never
//! a 500; birth dates a workbook cannot hold are refused; and a stored row that bypassed those
//! checks still exports.

use std::io::Cursor;

use actix_web::test;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use entity::{member, term};
use lvzhi::{auth::Actor, relay::Kind};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, gid, member, org},
    helpers::{TestApp, error_code, error_field},
};

/// Amounts no quantity may hold: past every maximum, past `Decimal` (as a string and as a JSON
/// number), in exponent form, and no number at all.
fn huge() -> Vec<Value> {
    vec![
        json!("99999999999999999999999"),
        json!(99_999_999_999_999_999_999_999_f64),
        json!("79228162514264337593543950335"),
        json!("792281625142643375935439503350"),
        json!("1e30"),
        json!(1e30),
        json!(-1e30),
        json!("十万"),
    ]
}

/// [`huge`] and negative amounts, for quantities that cannot be negative.
fn huge_and_negative() -> Vec<Value> {
    let mut values = huge();
    values.extend([json!("-1"), json!(-0.5)]);
    values
}

/// Sends `query` with `input` for each bad value placed by `place`; fails with every value that
/// was not BAD_USER_INPUT on `field`.
async fn refused_everywhere(app: &TestApp, query: &str, field: &str, place: impl Fn(Value) -> Value) {
    refused(app, query, field, huge_and_negative(), place).await;
}

/// [`refused_everywhere`] for the values `bad`.
async fn refused(app: &TestApp, query: &str, field: &str, values: Vec<Value>, place: impl Fn(Value) -> Value) {
    let mut failures = Vec::new();
    for bad in values {
        let response = app.admin(query, json!({ "input": place(bad.clone()) })).await;
        if (error_code(&response), error_field(&response)) != ("BAD_USER_INPUT", field) {
            failures.push(format!("{bad}: {response}"));
        }
    }
    assert!(failures.is_empty(), "{field}:\n{}", failures.join("\n"));
}

#[actix_web::test]
async fn huge_or_negative_donations_are_bad_user_input_on_the_field() {
    let app = TestApp::new().await;
    let record = "mutation($input: RecordActivityInput!) { recordActivity(input: $input) { activity { id } } }";
    let activity = |donations: Value| json!({ "title": "助学捐赠", "kind": "VOLUNTEER_SERVICE", "startDate": "2024-06-01", "donations": donations });

    refused_everywhere(&app, record, "input.donations", activity).await;

    let most = app.ok(record, json!({ "input": activity(json!("100000000.00")) })).await;
    let id = most["recordActivity"]["activity"]["id"].clone();
    let update = "mutation($input: UpdateActivityInput!) { updateActivity(input: $input) { activity { id } } }";
    refused_everywhere(&app, update, "input.donations", |d| json!({ "id": id, "donations": d })).await;
}

#[actix_web::test]
async fn huge_or_negative_training_hours_are_bad_user_input_on_the_field() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let attendee = gid(Kind::Member, member(&app, &o, MemberSpec::named("王芳")).await);
    let record = "mutation($input: RecordTrainingSessionInput!) { recordTrainingSession(input: $input) { trainingSession { id } } }";
    let session = |credit: Value, hours: Value| {
        json!({ "title": "委员培训班", "kind": "CLASS", "startDate": "2024-06-01", "creditHours": credit,
                "attendees": [{ "memberId": attendee, "hours": hours }] })
    };

    refused_everywhere(&app, record, "input.creditHours", |h| session(h, json!("8"))).await;
    refused_everywhere(&app, record, "input.attendees.0.hours", |h| session(json!("8"), h)).await;
    app.ok(record, json!({ "input": session(json!("1000"), json!("1000")) })).await;
}

#[actix_web::test]
async fn huge_or_negative_points_and_targets_are_bad_user_input_on_the_field() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let own = member(&app, &o, MemberSpec::named("王芳")).await;
    let rules =
        lvzhi::assessment::service::load_preset(&app.db, &Actor::System, "tongcheng", None, None).await.unwrap();
    let run = lvzhi::assessment::service::run(&app.db, &Actor::System, rules.id, 2024).await.unwrap();
    let result = app
        .ok(
            "query($id: ID!) { assessmentRun(id: $id) { assessments(first: 1) { nodes { id } } } }",
            json!({ "id": gid(Kind::AssessmentRun, run.id) }),
        )
        .await["assessmentRun"]["assessments"]["nodes"][0]["id"]
        .clone();
    let adjust =
        "mutation($input: AdjustAssessmentInput!) { adjustAssessment(input: $input) { memberAssessment { id } } }";
    let targets = "mutation($input: SetMemberTargetsInput!) { setMemberTargets(input: $input) { targets { kind } } }";

    // Adjustments may be negative: only the huge values are refused.
    refused(
        &app,
        adjust,
        "input.points",
        huge(),
        |p| json!({ "memberAssessmentId": result, "points": p, "reason": "调整" }),
    )
    .await;
    refused_everywhere(&app, targets, "input.targets.0.value", |v| {
        json!({ "memberId": gid(Kind::Member, own), "year": 2024, "targets": [{ "kind": "TRAINING_HOURS", "value": v }] })
    })
    .await;
}

#[actix_web::test]
async fn a_birth_date_before_1900_is_refused_on_create_and_update() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let create = "mutation($input: CreateMemberInput!) { createMember(input: $input) { member { id } } }";
    let new = |birth: &str| {
        json!({ "input": { "name": "李晓秋", "birthDate": birth,
                           "seat": { "termId": gid(Kind::Term, o.current_term), "party": "CPC" } } })
    };

    let refused = app.admin(create, new("1899-12-31")).await;
    let created = app.ok(create, new("1900-01-01")).await;
    let id = created["createMember"]["member"]["id"].clone();
    let update = "mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member { id } } }";
    let refused_update = app.admin(update, json!({ "input": { "id": id, "birthDate": "1850-06-01" } })).await;

    assert_eq!((error_code(&refused), error_field(&refused)), ("BAD_USER_INPUT", "input.birthDate"), "{refused}");
    assert_eq!(
        (error_code(&refused_update), error_field(&refused_update)),
        ("BAD_USER_INPUT", "input.birthDate"),
        "{refused_update}"
    );
}

/// GETs an export as the admin; returns the status and the body.
async fn download(app: &TestApp, uri: &str) -> (u16, Vec<u8>) {
    let req = test::TestRequest::get().uri(uri).insert_header(("authorization", format!("Bearer {}", app.admin)));
    let app = test::init_service(actix_web::App::new().configure(lvzhi::server::routes(app.state.clone()))).await;
    let response = test::call_service(&app, req.to_request()).await;
    let status = response.status().as_u16();
    (status, test::read_body(response).await.to_vec())
}

#[actix_web::test]
async fn an_export_over_a_legacy_odd_row_still_succeeds() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    member(&app, &o, MemberSpec::named("王芳")).await;
    let odd = member(&app, &o, MemberSpec::named("李强")).await;
    // A legacy row, written straight into the tables: a birth date Excel cannot hold, a name
    // and notes past Excel's cell limit, and a term name no sheet may carry.
    let mut row: member::ActiveModel = member::Entity::find_by_id(odd).one(&app.db).await.unwrap().unwrap().into();
    row.birth_date = Set(Some(chrono::NaiveDate::from_ymd_opt(1850, 6, 1).unwrap()));
    row.name = Set("李".repeat(40_000));
    row.notes = Set(Some("𠀀".repeat(20_000)));
    row.update(&app.db).await.unwrap();
    let mut t: term::ActiveModel = term::Entity::find_by_id(o.current_term).one(&app.db).await.unwrap().unwrap().into();
    t.name = Set("第十届[2021/2026]：政协委员会全体委员名册及其他说明文字".into());
    t.update(&app.db).await.unwrap();

    let (roster_status, roster) = download(&app, "/exports/roster.xlsx").await;
    let (attendance_status, _) = download(&app, "/exports/attendance.xlsx?year=2024").await;

    assert_eq!((roster_status, attendance_status), (200, 200));
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(roster)).expect("a workbook");
    let rows = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    let odd_row = rows.rows().find(|r| matches!(&r[0], Data::String(s) if s.starts_with("李李"))).expect("the odd row");
    let Data::String(name) = &odd_row[0] else { unreachable!() };
    assert!(name.ends_with(lvzhi::export::cells::CUT_NOTE), "the name is cut with a note");
    assert_eq!(odd_row[3], Data::String("1850-06-01".into()), "the birth date is written as text");
}
