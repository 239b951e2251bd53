//! Issue 20, point 1 (the void/restore half): `voidRecord` and `restoreRecord`. A voided record
//! stays stored and in the audit log but counts nowhere — attendance, the duty file, the year in
//! review, statistics, a re-run assessment, memberships and the invitations derived from them —
//! and ADMIN restores it.

use entity::{
    enums::{ActivityKind, Attendance, CommitteeRole, DutyItemKind, Role, TrainingKind},
    organiser::Organiser,
};
use lvzhi::{
    assessment::service as assessments,
    auth::Actor,
    duty::service::{self as duty, NewDutyItem},
    opinion::service::{self as opinions, NewOpinionReport},
    organisation::service::{self as organisation, Placement},
    proposal::service::NewSigner,
    relay::Kind,
    training::service::{self as training, NewAttendee, NewSession},
};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, activity, date, gid, member, org, proposal},
    helpers::{Scope, TestApp, error_code, error_field},
};

const VOID: &str = "mutation($id: ID!, $reason: String!) { voidRecord(input: { id: $id, reason: $reason }) {
    record { __typename ... on Activity { voided voidedAt voidReason } ... on Proposal { voided voidReason }
    ... on CommitteeMembership { voided voidReason } } } }";
const RESTORE: &str = "mutation($id: ID!, $reason: String) { restoreRecord(input: { id: $id, reason: $reason }) {
    record { __typename ... on Activity { voided voidedAt voidReason } } } }";

/// What a member's duty file and the year in review say about 2024.
const FIGURES: &str = "query($m: ID!) {
    member(id: $m) { attendance(year: 2024) { present }
        participations(year: 2024) { totalCount }
        activityCounts(year: 2024) { kind participations }
        trainingHours(year: 2024)
        dutyItems(year: 2024) { title }
        proposals(year: 2024) { totalCount }
        opinionReports(year: 2024) { totalCount }
        committeeMemberships { voided } }
    yearInReview(year: 2024) { activitiesByKind { kind count } proposals { submitted } opinionReports researchReports }
    proposalStatistics(year: 2024) { submitted }
    activities(filter: { year: 2024 }) { totalCount }
    dutyItems(filter: { year: 2024 }) { totalCount }
    trainingSessions(filter: { year: 2024 }) { totalCount }
    dutyRecordsByMonth(year: 2024) { month proposalsSubmitted reportsSubmitted trainingHours } }";

async fn void(app: &TestApp, id: &str, reason: &str) -> Value {
    app.admin(VOID, json!({ "id": id, "reason": reason })).await
}

async fn restore(app: &TestApp, id: &str) -> Value {
    app.admin(RESTORE, json!({ "id": id, "reason": "录入无误，恢复" })).await
}

/// The 2024 research activities of the year in review.
fn research(figures: &Value) -> i64 {
    figures["yearInReview"]["activitiesByKind"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "RESEARCH")
        .map_or(0, |k| k["count"].as_i64().unwrap())
}

/// A member's 2024 total in the (re-run) 桐城 assessment.
async fn total(app: &TestApp, rules: i64) -> String {
    let input = json!({ "ruleSetId": gid(Kind::RuleSet, rules), "year": 2024 });
    app.ok(
        "mutation($input: RunAssessmentInput!) { runAssessment(input: $input) { assessmentRun { id } } }",
        json!({ "input": input }),
    )
    .await;
    let data = app.ok("{ assessments(year: 2024) { nodes { total } } }", json!({})).await;
    data["assessments"]["nodes"][0]["total"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn voiding_an_activity_takes_it_out_of_every_count_and_restoring_puts_it_back() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec { sector: Some(o.economy), ..MemberSpec::named("王芳") }).await;
    activity(&app, ActivityKind::PlenarySession, date(2024, 1, 10), true, &[(m, Attendance::Present)]).await;
    let research_id =
        activity(&app, ActivityKind::Research, date(2024, 3, 5), false, &[(m, Attendance::Present)]).await;
    let rules = assessments::load_preset(&app.db, &Actor::System, "tongcheng", None, None)
        .await
        .map_err(|e| e.message())
        .unwrap()
        .id;
    let vars = json!({ "m": gid(Kind::Member, m) });
    let id = gid(Kind::Activity, research_id);

    let before = app.ok(FIGURES, vars.clone()).await;
    let score_before = total(&app, rules).await;
    let voided = void(&app, &id, "重复录入").await;
    let during = app.ok(FIGURES, vars.clone()).await;
    let score_during = total(&app, rules).await;
    let restored = restore(&app, &id).await;
    let after = app.ok(FIGURES, vars.clone()).await;
    let score_after = total(&app, rules).await;

    let record = &voided["data"]["voidRecord"]["record"];
    assert_eq!(record["__typename"], "Activity", "{voided:#}");
    assert_eq!(record["voided"], true);
    assert_eq!(record["voidReason"], "重复录入");
    assert!(record["voidedAt"].is_string());
    assert_eq!(
        restored["data"]["restoreRecord"]["record"],
        json!({ "__typename": "Activity", "voided": false, "voidedAt": null, "voidReason": null })
    );

    let m = |f: &Value| f["member"].clone();
    assert_eq!(m(&before)["attendance"]["present"], 2);
    assert_eq!(m(&during)["attendance"]["present"], 1);
    assert_eq!(m(&before)["participations"]["totalCount"], 2);
    assert_eq!(m(&during)["participations"]["totalCount"], 1);
    let research_count = |f: &Value| {
        m(f)["activityCounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["kind"] == "RESEARCH")
            .map_or(0, |k| k["participations"].as_i64().unwrap())
    };
    assert_eq!((research_count(&before), research_count(&during)), (1, 0));
    assert_eq!((research(&before), research(&during)), (1, 0));
    assert_eq!(before["activities"]["totalCount"], 2);
    assert_eq!(during["activities"]["totalCount"], 1);
    // 桐城: plenary present 50, a research activity 2.
    assert_eq!((score_before.as_str(), score_during.as_str()), ("52", "50"));

    assert_eq!(after, before, "restoring brings every figure back");
    assert_eq!(score_after, score_before);
}

#[actix_web::test]
async fn the_office_still_finds_a_voided_record_and_other_roles_do_not() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let a = activity(&app, ActivityKind::Research, date(2024, 3, 5), false, &[(m, Attendance::Present)]).await;
    let id = gid(Kind::Activity, a);
    let office = app.account("office", Role::Office, Scope::None).await;
    let own = app.account("wangfang", Role::Member, Scope::Member(m)).await;
    void(&app, &id, "重复录入").await;
    let node = "query($id: ID!) { node(id: $id) { ... on Activity { voided voidReason } } }";
    let list = "query($all: Boolean) { activities(filter: { includeVoided: $all }) { totalCount } }";

    let by_office = app.post(Some(&office), node, json!({ "id": id })).await;
    let by_member = app.post(Some(&own), node, json!({ "id": id })).await;
    let office_all = app.post(Some(&office), list, json!({ "all": true })).await;
    let office_default = app.post(Some(&office), list, json!({})).await;
    let member_all = app.post(Some(&own), list, json!({ "all": true })).await;

    assert_eq!(by_office["data"]["node"], json!({ "voided": true, "voidReason": "重复录入" }));
    assert_eq!(by_member["data"]["node"], Value::Null, "{by_member:#}");
    assert_eq!(office_all["data"]["activities"]["totalCount"], 1);
    assert_eq!(office_default["data"]["activities"]["totalCount"], 0);
    assert_eq!(member_all["data"]["activities"]["totalCount"], 0, "includeVoided is the office's alone");
}

#[actix_web::test]
async fn voiding_a_proposal_report_duty_item_and_training_session_takes_them_out_of_the_counts() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let (db, sys) = (&app.db, &Actor::System);
    let p = proposal(&app, m, "关于社区养老的建议").await;
    let report = NewOpinionReport {
        authors: vec![NewSigner { member_id: m, role: entity::enums::SignerRole::First }],
        title: "关于停车难的反映".into(),
        body: "正文".into(),
        submitted_on: Some(date(2024, 4, 1)),
    };
    let r = opinions::submit(db, sys, report).await.map_err(|e| e.message()).unwrap().report.id;
    let item = NewDutyItem {
        member_id: Some(m),
        kind: DutyItemKind::ResearchReport,
        title: "养老服务调研报告".into(),
        date: date(2024, 5, 1),
        evidence: None,
        suggestions: 3,
    };
    let d = duty::submit(db, sys, item).await.map_err(|e| e.message()).unwrap().id;
    duty::review(db, sys, d, true, None).await.map_err(|e| e.message()).unwrap();
    let session = NewSession {
        title: "委员培训班".into(),
        kind: TrainingKind::Class,
        organiser: Organiser::Office,
        start_date: date(2024, 6, 1),
        end_date: None,
        location: None,
        credit_hours: Decimal::new(60, 1),
        attendees: vec![NewAttendee { member_id: m, hours: Decimal::new(60, 1), completed: true }],
    };
    let t = training::record(db, sys, session).await.map_err(|e| e.message()).unwrap().id;
    let vars = json!({ "m": gid(Kind::Member, m) });

    let before = app.ok(FIGURES, vars.clone()).await;
    for id in
        [gid(Kind::Proposal, p), gid(Kind::OpinionReport, r), gid(Kind::DutyItem, d), gid(Kind::TrainingSession, t)]
    {
        let voided = void(&app, &id, "录入错误").await;
        assert!(voided.get("errors").is_none(), "{voided:#}");
    }
    let during = app.ok(FIGURES, vars.clone()).await;

    let (mb, md) = (&before["member"], &during["member"]);
    assert_eq!((mb["proposals"]["totalCount"].clone(), md["proposals"]["totalCount"].clone()), (json!(1), json!(0)));
    assert_eq!(
        (mb["opinionReports"]["totalCount"].clone(), md["opinionReports"]["totalCount"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!((mb["dutyItems"].as_array().unwrap().len(), md["dutyItems"].as_array().unwrap().len()), (1, 0));
    assert_eq!((mb["trainingHours"].clone(), md["trainingHours"].clone()), (json!("6"), json!("0")));
    let yr = |f: &Value| {
        (
            f["yearInReview"]["proposals"]["submitted"].clone(),
            f["yearInReview"]["opinionReports"].clone(),
            f["yearInReview"]["researchReports"].clone(),
        )
    };
    assert_eq!(yr(&before), (json!(1), json!(1), json!(1)));
    assert_eq!(yr(&during), (json!(0), json!(0), json!(0)));
    assert_eq!(
        (before["proposalStatistics"]["submitted"].clone(), during["proposalStatistics"]["submitted"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!(
        (before["dutyItems"]["totalCount"].clone(), during["dutyItems"]["totalCount"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!(
        (before["trainingSessions"]["totalCount"].clone(), during["trainingSessions"]["totalCount"].clone()),
        (json!(1), json!(0))
    );
    let months = |f: &Value, field: &str| {
        f["dutyRecordsByMonth"].as_array().unwrap().iter().map(|x| x[field].as_i64().unwrap_or(0)).sum::<i64>()
    };
    assert_eq!((months(&before, "proposalsSubmitted"), months(&during, "proposalsSubmitted")), (1, 0));
    assert_eq!((months(&before, "reportsSubmitted"), months(&during, "reportsSubmitted")), (1, 0));
}

#[actix_web::test]
async fn a_voided_assignment_leaves_the_history_and_the_invitations_derived_from_it() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let placement = Placement {
        member_id: m,
        target_id: o.culture_committee,
        role: CommitteeRole::Member,
        start_date: date(2022, 1, 5),
    };
    let membership =
        organisation::assign_committee(&app.db, &Actor::System, placement).await.map_err(|e| e.message()).unwrap().id;
    let record = "mutation($c: ID!, $d: NaiveDate!) { recordActivity(input: { title: \"专委会会议\", kind: SPECIAL_COMMITTEE_MEETING,
        organiserId: $c, startDate: $d, status: PLANNED }) { activity { invitations { totalCount } } } }";
    let committee = gid(Kind::SpecialCommittee, o.culture_committee);
    let history = "query($m: ID!, $c: ID!) { member(id: $m) { committeeMemberships { id } } members(filter: { specialCommitteeId: $c }) { totalCount } }";
    let vars = json!({ "m": gid(Kind::Member, m), "c": committee });

    let first = app.ok(record, json!({ "c": committee, "d": "2024-09-01" })).await;
    let listed = app.ok(history, vars.clone()).await;
    let voided = void(&app, &gid(Kind::CommitteeMembership, membership), "误分配").await;
    let second = app.ok(record, json!({ "c": committee, "d": "2024-09-02" })).await;
    let unlisted = app.ok(history, vars.clone()).await;
    let again = app.admin(
        "mutation($m: ID!, $c: ID!) { assignCommittee(input: { memberId: $m, specialCommitteeId: $c, startDate: \"2024-01-01\" }) { committeeMembership { id } } }",
        vars.clone(),
    ).await;

    assert_eq!(first["recordActivity"]["activity"]["invitations"]["totalCount"], 1);
    assert_eq!(listed["member"]["committeeMemberships"].as_array().unwrap().len(), 1);
    assert_eq!(listed["members"]["totalCount"], 1);
    assert_eq!(
        voided["data"]["voidRecord"]["record"],
        json!({ "__typename": "CommitteeMembership", "voided": true, "voidReason": "误分配" })
    );
    assert_eq!(second["recordActivity"]["activity"]["invitations"]["totalCount"], 0);
    assert_eq!(unlisted["member"]["committeeMemberships"], json!([]));
    assert_eq!(unlisted["members"]["totalCount"], 0);
    assert!(again.get("errors").is_none(), "a voided open membership does not block a new one: {again:#}");
}

#[actix_web::test]
async fn void_and_restore_refuse_bad_input_with_its_field_and_write_nothing() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let a = gid(
        Kind::Activity,
        activity(&app, ActivityKind::Research, date(2024, 3, 5), false, &[(m, Attendance::Present)]).await,
    );
    let office = app.account("office", Role::Office, Scope::None).await;
    let entries = || async {
        app.ok("{ auditLog(filter: { entity: \"activity\" }) { totalCount } }", json!({})).await["auditLog"]["totalCount"].clone()
    };
    let before = entries().await;

    let unknown = void(&app, &gid(Kind::Activity, 999_999), "重复").await;
    let wrong_kind = void(&app, &gid(Kind::Member, m), "重复").await;
    let garbage = void(&app, "not-an-id", "重复").await;
    let blank = void(&app, &a, "   ").await;
    let control = void(&app, &a, "重复\u{7}").await;
    let long = void(&app, &a, &"长".repeat(501)).await;
    let live = restore(&app, &a).await;
    let unchanged = entries().await;
    void(&app, &a, "重复").await;
    let twice = void(&app, &a, "再次").await;
    let by_office = app.post(Some(&office), RESTORE, json!({ "id": a })).await;

    assert_eq!(error_code(&unknown), "NOT_FOUND");
    assert_eq!((error_code(&wrong_kind), error_field(&wrong_kind)), ("BAD_USER_INPUT", "input.id"));
    assert_eq!((error_code(&garbage), error_field(&garbage)), ("BAD_USER_INPUT", "input.id"));
    assert_eq!((error_code(&blank), error_field(&blank)), ("BAD_USER_INPUT", "input.reason"));
    assert_eq!((error_code(&control), error_field(&control)), ("BAD_USER_INPUT", "input.reason"));
    assert_eq!((error_code(&long), error_field(&long)), ("BAD_USER_INPUT", "input.reason"));
    assert_eq!((error_code(&live), error_field(&live)), ("BAD_USER_INPUT", "input.id"));
    assert_eq!(unchanged, before, "a refused correction writes nothing");
    assert_eq!((error_code(&twice), error_field(&twice)), ("BAD_USER_INPUT", "input.id"));
    assert_eq!(error_code(&by_office), "FORBIDDEN", "only ADMIN restores");
}

#[actix_web::test]
async fn organisers_void_only_what_they_organise() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let staff = app.account("staff", Role::CommitteeStaff, Scope::Committee(o.culture_committee)).await;
    let record = "mutation($c: ID) { recordActivity(input: { title: \"调研\", kind: RESEARCH, organiserId: $c, startDate: \"2024-03-05\", status: DONE }) { activity { id } } }";
    let own = app.ok(record, json!({ "c": gid(Kind::SpecialCommittee, o.culture_committee) })).await["recordActivity"]
        ["activity"]["id"]
        .clone();
    let office = app.ok(record, json!({})).await["recordActivity"]["activity"]["id"].clone();
    let p = gid(Kind::Proposal, proposal(&app, m, "关于社区养老的建议").await);

    let mine = app.post(Some(&staff), VOID, json!({ "id": own, "reason": "重复" })).await;
    let theirs = app.post(Some(&staff), VOID, json!({ "id": office, "reason": "重复" })).await;
    let a_proposal = app.post(Some(&staff), VOID, json!({ "id": p, "reason": "重复" })).await;

    assert_eq!(mine["data"]["voidRecord"]["record"]["voided"], true, "{mine:#}");
    assert_eq!(error_code(&theirs), "FORBIDDEN");
    assert_eq!(error_code(&a_proposal), "FORBIDDEN");
}

#[actix_web::test]
async fn the_audit_log_keeps_the_void_and_the_restore_with_their_reasons() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let row = activity(&app, ActivityKind::Research, date(2024, 3, 5), false, &[(m, Attendance::Present)]).await;
    let id = gid(Kind::Activity, row);
    void(&app, &id, "重复录入").await;
    restore(&app, &id).await;

    let log = app
        .ok(
            "query($id: Int) { auditLog(filter: { entity: \"activity\", entityId: $id }) { nodes { operation actor before after } } }",
            json!({ "id": row }),
        )
        .await;
    let nodes = log["auditLog"]["nodes"].as_array().unwrap();
    let entry =
        |op: &str| nodes.iter().find(|n| n["operation"] == op).unwrap_or_else(|| panic!("no {op} in {log:#}")).clone();
    let (voided, restored) = (entry("voidRecord"), entry("restoreRecord"));

    assert_eq!(voided["actor"], "admin");
    assert_eq!(voided["before"]["void_reason"], Value::Null);
    assert_eq!(voided["after"]["void_reason"], "重复录入");
    assert!(voided["after"]["voided_at"].is_string());
    assert_eq!(restored["before"]["void_reason"], "重复录入");
    assert_eq!(restored["after"]["void_reason"], Value::Null);
    assert_eq!(restored["after"]["restore_reason"], "录入无误，恢复");
}

#[actix_web::test]
async fn void_record_runs_the_same_statements_whatever_the_record_holds() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let members = crate::fixtures::members(&app, &o, 20).await;
    let one =
        activity(&app, ActivityKind::Research, date(2024, 3, 5), false, &[(members[0], Attendance::Present)]).await;
    let all: Vec<(i64, Attendance)> = members.iter().map(|&m| (m, Attendance::Present)).collect();
    let many = activity(&app, ActivityKind::Research, date(2024, 3, 6), false, &all).await;

    let start = app.statements();
    void(&app, &gid(Kind::Activity, one), "重复").await;
    let small = app.statements() - start;
    let start = app.statements();
    void(&app, &gid(Kind::Activity, many), "重复").await;
    let large = app.statements() - start;

    assert_eq!(small, large, "voidRecord's statements depend on nothing the record holds");
}
