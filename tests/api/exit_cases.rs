//! Issue 20, point 4: exit cases (委员退出) — opened from an assessment flag or by hand, taken
//! step by step to the standing committee's decision, which sets the seat's status.

use entity::{enums::Role, member_assessment};
use lvzhi::{assessment::service as assessments, auth::Actor, relay::Kind};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, gid, member, members, org},
    helpers::{Scope, TestApp, error_code, error_field},
};

const OPEN: &str = "mutation($input: OpenExitCaseInput!) { openExitCase(input: $input) { exitCase { id source flag reason openedOn status stage nextSteps possibleOutcomes member { name } } } }";
const ADVANCE: &str = "mutation($input: AdvanceExitCaseInput!) { advanceExitCase(input: $input) { exitCase { id status stage outcome decidedOn nextSteps steps { step stepLabel takenOn takenBy note outcome recordedBy } } } }";
const SEATS: &str = "query($id: ID!) { member(id: $id) { seats { status endDate statusReason } } }";

async fn open_by_hand(app: &TestApp, member: i64) -> String {
    let input =
        json!({ "memberId": gid(Kind::Member, member), "reason": "连续缺席常委会议", "openedOn": "2024-03-01" });
    app.ok(OPEN, json!({ "input": input })).await["openExitCase"]["exitCase"]["id"].as_str().unwrap().to_owned()
}

fn step(case: &str, step: &str, on: &str) -> Value {
    json!({ "input": { "id": case, "step": step, "takenOn": on, "takenBy": "张主席", "note": "谈话" } })
}

async fn audit_count(app: &TestApp, operation: &str) -> i64 {
    let query = "query($op: String!) { auditLog(filter: { operation: $op }) { totalCount } }";
    app.ok(query, json!({ "op": operation })).await["auditLog"]["totalCount"].as_i64().unwrap()
}

#[actix_web::test]
async fn a_case_opened_by_hand_runs_to_a_decision_that_ends_the_seat() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let id = member(&app, &o, MemberSpec::named("赵敏")).await;

    let case = open_by_hand(&app, id).await;
    for (s, on) in [("REMINDER_TALK", "2024-03-05"), ("INTERVIEW", "2024-04-01"), ("PERSUADE_RESIGN", "2024-05-01")] {
        app.ok(ADVANCE, step(&case, s, on)).await;
    }
    let decision = json!({ "input": {
        "id": case, "step": "DECISION", "takenOn": "2024-06-20", "takenBy": "第十届常委会第十二次会议",
        "note": "经常委会议决定，同意其辞去委员职务", "outcome": "PERSUADED_TO_RESIGN",
    } });
    let decided = app.ok(ADVANCE, decision).await["advanceExitCase"]["exitCase"].clone();
    let seats = app.ok(SEATS, json!({ "id": gid(Kind::Member, id) })).await;

    assert_eq!(decided["status"], "DECIDED");
    assert_eq!(decided["outcome"], "PERSUADED_TO_RESIGN");
    assert_eq!(decided["decidedOn"], "2024-06-20");
    assert_eq!(decided["nextSteps"], json!([]));
    let steps: Vec<&str> = decided["steps"].as_array().unwrap().iter().map(|s| s["step"].as_str().unwrap()).collect();
    assert_eq!(steps, ["REMINDER_TALK", "INTERVIEW", "PERSUADE_RESIGN", "DECISION"]);
    assert_eq!(decided["steps"][1]["stepLabel"], "约谈");
    assert_eq!(decided["steps"][3]["takenBy"], "第十届常委会第十二次会议");
    assert_eq!(decided["steps"][3]["recordedBy"], "admin");
    assert_eq!(
        seats["member"]["seats"][0],
        json!({ "status": "PERSUADED_TO_RESIGN", "endDate": "2024-06-20", "statusReason": "经常委会议决定，同意其辞去委员职务" })
    );
    assert_eq!(audit_count(&app, "openExitCase").await, 1);
    // Each step: the step and the case; the decision also the seat.
    assert_eq!(audit_count(&app, "advanceExitCase").await, 9);
}

#[actix_web::test]
async fn a_dismissed_case_leaves_the_seat_serving() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let id = member(&app, &o, MemberSpec::named("钱坤")).await;
    let case = open_by_hand(&app, id).await;
    app.ok(ADVANCE, step(&case, "REMINDER_TALK", "2024-03-05")).await;

    let dismiss = json!({ "input": { "id": case, "step": "DECISION", "takenOn": "2024-04-01", "takenBy": "主席会议", "outcome": "DISMISSED" } });
    let decided = app.ok(ADVANCE, dismiss).await["advanceExitCase"]["exitCase"].clone();
    let seats = app.ok(SEATS, json!({ "id": gid(Kind::Member, id) })).await;

    assert_eq!(decided["outcome"], "DISMISSED");
    assert_eq!(seats["member"]["seats"][0]["status"], "SERVING");
    assert_eq!(seats["member"]["seats"][0]["endDate"], Value::Null);
}

#[actix_web::test]
async fn a_case_opens_from_a_flag_of_a_confirmed_run_but_not_of_a_draft_or_an_unflagged_result() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    members(&app, &o, 3).await;
    let (db, sys) = (&app.db, &Actor::System);
    let rules = assessments::load_preset(db, sys, "tongcheng", None, None).await.map_err(|e| e.message()).unwrap();
    let draft = assessments::run(db, sys, rules.id, 2024).await.map_err(|e| e.message()).unwrap();
    let rules2 = assessments::load_preset(db, sys, "tongcheng", None, None).await.map_err(|e| e.message()).unwrap();
    let confirmed = assessments::run(db, sys, rules2.id, 2024).await.map_err(|e| e.message()).unwrap();
    assessments::confirm(db, sys, confirmed.id).await.map_err(|e| e.message()).unwrap();
    let result_of = async |run: i64| {
        member_assessment::Entity::find().filter(member_assessment::Column::RunId.eq(run)).all(db).await.unwrap()
    };
    let flagged = result_of(confirmed.id).await.into_iter().find(|r| r.flag_reminder || r.flag_resign).unwrap();
    let draft_flagged = result_of(draft.id).await.into_iter().find(|r| r.flag_reminder || r.flag_resign).unwrap();
    let open = |id: i64| json!({ "input": { "memberAssessmentId": gid(Kind::MemberAssessment, id) } });

    let from_draft = app.admin(OPEN, open(draft_flagged.id)).await;
    let opened = app.ok(OPEN, open(flagged.id)).await["openExitCase"]["exitCase"].clone();
    let again = app.admin(OPEN, open(flagged.id)).await;
    // A result without those flags.
    member_assessment::Entity::update_many()
        .col_expr(member_assessment::Column::FlagReminder, sea_orm::sea_query::Expr::value(false))
        .col_expr(member_assessment::Column::FlagResign, sea_orm::sea_query::Expr::value(false))
        .filter(member_assessment::Column::Id.eq(draft_flagged.id))
        .exec(db)
        .await
        .unwrap();
    let unflagged = app.admin(OPEN, open(draft_flagged.id)).await;

    assert_eq!(error_code(&from_draft), "CONFLICT");
    assert_eq!(opened["source"], "ASSESSMENT_FLAG");
    let flag = if flagged.flag_resign { "PERSUADE_RESIGN" } else { "REMINDER_TALK" };
    assert_eq!(opened["flag"], flag);
    assert!(opened["reason"].as_str().unwrap().starts_with("2024年度履职考核"), "{opened}");
    assert_eq!(opened["status"], "OPEN");
    assert_eq!(opened["nextSteps"], json!(["REMINDER_TALK", "DECISION"]));
    assert_eq!(error_code(&again), "CONFLICT", "one open case per member");
    assert_eq!(error_code(&unflagged), "BAD_USER_INPUT");
    assert_eq!(error_field(&unflagged), "input.memberAssessmentId");
}

#[actix_web::test]
async fn open_exit_case_names_the_field_at_fault() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let id = member(&app, &o, MemberSpec::named("孙立")).await;
    let m = gid(Kind::Member, id);

    let neither = app.admin(OPEN, json!({ "input": { "reason": "x" } })).await;
    let both = app
        .admin(OPEN, json!({ "input": { "memberId": m, "memberAssessmentId": gid(Kind::MemberAssessment, 1) } }))
        .await;
    let no_reason = app.admin(OPEN, json!({ "input": { "memberId": m } })).await;
    let wrong_kind =
        app.admin(OPEN, json!({ "input": { "memberId": gid(Kind::Sector, o.economy), "reason": "x" } })).await;
    let early = app.admin(OPEN, json!({ "input": { "memberId": m, "reason": "x", "openedOn": "2019-01-01" } })).await;

    for (response, field) in [
        (&neither, "input.memberId"),
        (&both, "input.memberAssessmentId"),
        (&no_reason, "input.reason"),
        (&wrong_kind, "input.memberId"),
        (&early, "input.openedOn"),
    ] {
        assert_eq!(error_code(response), "BAD_USER_INPUT", "{response}");
        assert_eq!(error_field(response), field, "{response}");
    }
    assert_eq!(app.ok("{ exitCases { totalCount } }", json!({})).await["exitCases"]["totalCount"], 0);
}

#[actix_web::test]
async fn steps_out_of_order_are_refused_with_their_field_and_write_nothing() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let id = member(&app, &o, MemberSpec::named("周正")).await;
    let case = open_by_hand(&app, id).await;
    let decision = |outcome: Value| json!({ "input": { "id": case, "step": "DECISION", "takenOn": "2024-04-01", "takenBy": "常委会", "outcome": outcome } });

    let skipped = app.admin(ADVANCE, step(&case, "INTERVIEW", "2024-03-05")).await;
    let no_outcome = app.admin(ADVANCE, decision(Value::Null)).await;
    let too_soon = app.admin(ADVANCE, decision(json!("REVOKED"))).await;
    let early = app.admin(ADVANCE, step(&case, "REMINDER_TALK", "2024-02-01")).await;
    let stray = app
        .admin(ADVANCE, json!({ "input": { "id": case, "step": "REMINDER_TALK", "takenOn": "2024-03-05", "takenBy": "张主席", "outcome": "DISMISSED" } }))
        .await;
    let nobody = app
        .admin(
            ADVANCE,
            json!({ "input": { "id": case, "step": "REMINDER_TALK", "takenOn": "2024-03-05", "takenBy": " " } }),
        )
        .await;

    for (response, field) in [
        (&skipped, "input.step"),
        (&no_outcome, "input.outcome"),
        (&too_soon, "input.outcome"),
        (&early, "input.takenOn"),
        (&stray, "input.outcome"),
        (&nobody, "input.takenBy"),
    ] {
        assert_eq!(error_code(response), "BAD_USER_INPUT", "{response}");
        assert_eq!(error_field(response), field, "{response}");
    }
    assert_eq!(audit_count(&app, "advanceExitCase").await, 0);

    app.ok(ADVANCE, decision(json!("DISMISSED"))).await;
    let after_decision = app.admin(ADVANCE, step(&case, "REMINDER_TALK", "2024-05-01")).await;
    let unknown = app.admin(ADVANCE, step(&gid(Kind::ExitCase, 999), "REMINDER_TALK", "2024-05-01")).await;

    assert_eq!(error_code(&after_decision), "CONFLICT");
    assert_eq!(error_code(&unknown), "NOT_FOUND");
}

#[actix_web::test]
async fn a_decision_on_a_seat_no_longer_serving_is_refused_whole() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let id = member(&app, &o, MemberSpec::named("吴桐")).await;
    let case = open_by_hand(&app, id).await;
    for (s, on) in [("REMINDER_TALK", "2024-03-05"), ("INTERVIEW", "2024-04-01"), ("ORDER_RESIGN", "2024-05-01")] {
        app.ok(ADVANCE, step(&case, s, on)).await;
    }
    // Meanwhile the member died and the office recorded it on the seat.
    let update = "mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member { id } } }";
    let seat = json!({ "termId": gid(Kind::Term, o.current_term), "status": "DECEASED", "endDate": "2024-05-10" });
    app.ok(update, json!({ "input": { "id": gid(Kind::Member, id), "seat": seat } })).await;
    let before = audit_count(&app, "advanceExitCase").await;

    let revoke = json!({ "input": { "id": case, "step": "DECISION", "takenOn": "2024-06-01", "takenBy": "常委会", "outcome": "REVOKED" } });
    let refused = app.admin(ADVANCE, revoke).await;
    let case_now =
        app.ok("query($id: ID!) { exitCase(id: $id) { status stage steps { step } } }", json!({ "id": case })).await;

    assert_eq!(error_code(&refused), "CONFLICT");
    assert_eq!(case_now["exitCase"]["status"], "OPEN");
    assert_eq!(case_now["exitCase"]["stage"], "ORDER_RESIGN");
    assert_eq!(case_now["exitCase"]["steps"].as_array().unwrap().len(), 3);
    assert_eq!(audit_count(&app, "advanceExitCase").await, before);
}

#[actix_web::test]
async fn a_member_reads_their_own_case_and_no_one_elses() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let own = member(&app, &o, MemberSpec::named("王芳")).await;
    let other = member(&app, &o, MemberSpec::named("李强")).await;
    let own_case = open_by_hand(&app, own).await;
    let other_case = open_by_hand(&app, other).await;
    let token = app.account("wangfang", Role::Member, Scope::Member(own)).await;
    let studio = app.account("studio", Role::StudioLead, Scope::Studio(o.town_studio)).await;
    let query = "query($a: ID!, $b: ID!) { mine: exitCase(id: $a) { reason } theirs: exitCase(id: $b) { reason } exitCases { totalCount nodes { member { name } } } }";

    let response = app.post(Some(&token), query, json!({ "a": own_case, "b": other_case })).await;
    let refused = app.post(Some(&studio), "{ exitCases { totalCount } }", json!({})).await;

    assert!(response.get("errors").is_none(), "{response:#}");
    assert_eq!(response["data"]["mine"]["reason"], "连续缺席常委会议");
    assert_eq!(response["data"]["theirs"], Value::Null);
    assert_eq!(response["data"]["exitCases"]["totalCount"], 1);
    assert_eq!(response["data"]["exitCases"]["nodes"][0]["member"]["name"], "王芳");
    assert_eq!(error_code(&refused), "FORBIDDEN");
}

#[actix_web::test]
async fn statement_count_of_an_exit_case_page_does_not_depend_on_its_size() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    for id in members(&app, &o, 100).await {
        let case = open_by_hand(&app, id).await;
        app.ok(ADVANCE, step(&case, "REMINDER_TALK", "2024-03-05")).await;
    }
    let query = "query($n: Int!) { exitCases(first: $n, filter: { status: OPEN }) { totalCount nodes { reason member { name } seat { status term { name } } steps { step takenOn } } } }";

    let before = app.statements();
    let ten = app.ok(query, json!({ "n": 10 })).await;
    let for_ten = app.statements() - before;
    let before = app.statements();
    let hundred = app.ok(query, json!({ "n": 100 })).await;
    let for_hundred = app.statements() - before;

    assert_eq!(ten["exitCases"]["nodes"].as_array().unwrap().len(), 10);
    assert_eq!(hundred["exitCases"]["nodes"].as_array().unwrap().len(), 100);
    assert_eq!(hundred["exitCases"]["nodes"][99]["steps"][0]["step"], "REMINDER_TALK");
    assert_eq!(for_ten, for_hundred, "statements for 10 cases: {for_ten}, for 100: {for_hundred}");
}

const CREATE_RULES: &str = "mutation($input: CreateRuleSetInput!) { createRuleSet(input: $input) { ruleSet { id absenceLimits { code perYear perTerm flag activityKinds } } } }";

fn rules_with(limits: Value) -> Value {
    json!({ "input": {
        "name": "缺席上限", "scale": "CAPPED", "maxPoints": "100",
        "categories": [{ "code": "M", "label": "会议" }],
        "rules": [{ "code": "a", "label": "出席", "category": "M", "source": "ACTIVITY", "activityKinds": ["PLENARY_SESSION"], "points": "5" }],
        "grades": [{ "grade": "COMPETENT", "minPoints": "0" }],
        "absenceLimits": limits,
    } })
}

#[actix_web::test]
async fn absence_limits_per_year_and_per_term_raise_their_flag_and_open_a_case() {
    use entity::enums::{ActivityKind::StandingCommitteeMeeting as Meeting, Attendance::Absent, Attendance::Present};
    let app = TestApp::new().await;
    let o = org(&app).await;
    let yearly = member(&app, &o, MemberSpec { standing: true, ..MemberSpec::named("甲") }).await;
    let termly = member(&app, &o, MemberSpec { standing: true, ..MemberSpec::named("乙") }).await;
    let present = member(&app, &o, MemberSpec { standing: true, ..MemberSpec::named("丙") }).await;
    let day = crate::fixtures::date;
    for d in [day(2023, 3, 1), day(2023, 6, 1)] {
        crate::fixtures::activity(&app, Meeting, d, true, &[(termly, Absent), (yearly, Present), (present, Present)])
            .await;
    }
    for d in [day(2024, 3, 1), day(2024, 6, 1)] {
        crate::fixtures::activity(&app, Meeting, d, true, &[(termly, Absent), (yearly, Absent), (present, Present)])
            .await;
    }
    crate::fixtures::activity(&app, Meeting, day(2024, 9, 1), true, &[(yearly, Absent), (present, Present)]).await;
    let limit = json!([{ "code": "standing", "label": "无故缺席常委会议", "activityKinds": ["STANDING_COMMITTEE_MEETING"], "perYear": 3, "perTerm": 4, "flag": "PERSUADE_RESIGN" }]);
    let created = app.ok(CREATE_RULES, rules_with(limit)).await["createRuleSet"]["ruleSet"].clone();
    assert_eq!(created["absenceLimits"][0]["perTerm"], 4);
    let run = "mutation($r: ID!) { runAssessment(input: { ruleSetId: $r, year: 2024 }) { assessmentRun { id } } }";
    let run_id = app.ok(run, json!({ "r": created["id"] })).await["runAssessment"]["assessmentRun"]["id"].clone();

    let query = "{ assessments(year: 2024, first: 10) { nodes { id member { name } flagDetails { flag reason } } } }";
    let nodes = app.ok(query, json!({})).await["assessments"]["nodes"].as_array().unwrap().clone();
    let of = |name: &str| nodes.iter().find(|n| n["member"]["name"] == name).unwrap().clone();
    let resign = |n: &Value| {
        n["flagDetails"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["flag"] == "PERSUADE_RESIGN")
            .map(|f| f["reason"].clone())
    };

    assert_eq!(resign(&of("甲")), Some(json!("本年度无故缺席常委会议3次（上限3次）")));
    assert_eq!(resign(&of("乙")), Some(json!("本届无故缺席常委会议4次（上限4次）")));
    assert_eq!(resign(&of("丙")), None);
    // An adjustment keeps the flag; the confirmed result opens a case.
    let adjust = "mutation($id: ID!) { adjustAssessment(input: { memberAssessmentId: $id, points: \"5\", reason: \"补录\" }) { memberAssessment { flags } } }";
    let adjusted = app.ok(adjust, json!({ "id": of("甲")["id"] })).await;
    assert!(
        adjusted["adjustAssessment"]["memberAssessment"]["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("PERSUADE_RESIGN"))
    );
    app.ok(
        "mutation($id: ID!) { confirmAssessmentRun(input: { id: $id }) { assessmentRun { status } } }",
        json!({ "id": run_id }),
    )
    .await;
    let case = app.ok(OPEN, json!({ "input": { "memberAssessmentId": of("乙")["id"] } })).await;
    assert_eq!(case["openExitCase"]["exitCase"]["flag"], "PERSUADE_RESIGN");
    assert_eq!(case["openExitCase"]["exitCase"]["member"]["name"], "乙");
}

#[actix_web::test]
async fn create_rule_set_names_the_absence_limit_field_at_fault() {
    let app = TestApp::new().await;
    let limit = |patch: Value| {
        let mut l = json!({ "code": "sc", "label": "缺席常委会议", "activityKinds": ["STANDING_COMMITTEE_MEETING"], "perYear": 3, "flag": "PERSUADE_RESIGN" });
        for (k, v) in patch.as_object().unwrap() {
            l[k] = v.clone();
        }
        rules_with(json!([l]))
    };

    for (patch, field) in [
        (json!({ "perYear": 0 }), "input.absenceLimits.0.perYear"),
        (json!({ "perYear": null }), "input.absenceLimits.0.perYear"),
        (json!({ "perTerm": 5000 }), "input.absenceLimits.0.perTerm"),
        (json!({ "flag": "COMMEND" }), "input.absenceLimits.0.flag"),
        (json!({ "activityKinds": [] }), "input.absenceLimits.0.activityKinds"),
        (json!({ "code": "两个字" }), "input.absenceLimits.0.code"),
    ] {
        let response = app.admin(CREATE_RULES, limit(patch.clone())).await;
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{patch}: {response}");
        assert_eq!(error_field(&response), field, "{patch}: {response}");
    }
}
