//! Annual plans ("三亮") and personal targets: the plan lifecycle and its stages, progress as of
//! a day, links to activities, who may do what, targets measured against real records,
//! validation, and a statement count independent of the page size.

use entity::enums::{ActivityKind, Attendance, PlanItemType, PlanStage, ProposalKind, ProposerType, Role, SignerRole};
use lvzhi::{auth::Actor, relay::Kind};
use serde_json::{Value, json};

use crate::{
    fixtures::{self, date, gid, members, org},
    helpers::{Scope, TestApp, error_code, error_field},
};

const CREATE_PLAN: &str = "mutation($input: CreatePlanInput!) { createPlan(input: $input) {
    plan { id year title term { name } } } }";

const ADD_ITEM: &str = "mutation($input: AddPlanItemInput!) { addPlanItem(input: $input) {
    planItem { id number type typeLabel area title lead { kind name } targetDate status
      goal { stage stageLabel text recordedBy } progress { text } result { text } } } }";

const RECORD_STAGE: &str = "mutation($input: RecordPlanStageInput!) { recordPlanStage(input: $input) {
    planItem { id goal { text } progress { text recordedOn } result { text recordedOn recordedBy }
      state(asOf: \"2024-12-31\") stateLabel(asOf: \"2024-12-31\") } } }";

const PROGRESS: &str = "query($id: ID!, $asOf: NaiveDate) { plan(id: $id) {
    progress(asOf: $asOf) { asOf total done onTrack late notStarted } } }";

fn item_input(plan: &str, extra: Value) -> Value {
    let mut input = json!({
        "planId": plan, "type": "THEMATIC_CONSULTATION", "area": "经济建设", "title": "数字经济发展专题协商",
        "targetDate": "2024-06-30", "goal": "形成协商成果报告并报送区委区政府" });
    if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
        input.extend(extra.clone());
    }
    json!({ "input": input })
}

fn stage(item: &str, stage: &str, text: &str, on: &str) -> Value {
    json!({ "input": { "planItemId": item, "stage": stage, "text": text, "recordedOn": on } })
}

#[actix_web::test]
async fn a_plan_item_shows_its_goal_progress_and_result() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let plan = app.ok(CREATE_PLAN, json!({ "input": { "year": 2024, "title": "2024年度协商工作计划" } })).await;
    let plan_id = plan["createPlan"]["plan"]["id"].as_str().unwrap().to_owned();
    let committee = gid(Kind::SpecialCommittee, org.proposals_committee);

    let added = app.ok(ADD_ITEM, item_input(&plan_id, json!({ "leadId": committee }))).await;
    let item = added["addPlanItem"]["planItem"].clone();
    let item_id = item["id"].as_str().unwrap();
    let progressed = app.ok(RECORD_STAGE, stage(item_id, "PROGRESS", "已完成调研走访", "2024-05-10")).await;
    let finished = app.ok(RECORD_STAGE, stage(item_id, "RESULT", "形成报告1份、建议8条", "2024-06-20")).await;
    let node = app
        .ok(
            "query($plan: ID!, $item: ID!) { plan: node(id: $plan) { ... on Plan { title } }
               item: node(id: $item) { ... on PlanItem { plan { title } } } }",
            json!({ "plan": plan_id, "item": item_id }),
        )
        .await;

    assert_eq!(plan["createPlan"]["plan"]["term"]["name"], "第十届");
    assert_eq!(
        node,
        json!({ "plan": { "title": "2024年度协商工作计划" }, "item": { "plan": { "title": "2024年度协商工作计划" } } })
    );
    assert_eq!(item["number"], 1);
    assert_eq!(item["typeLabel"], "专题协商");
    assert_eq!(item["lead"], json!({ "kind": "SPECIAL_COMMITTEE", "name": "提案委员会" }));
    assert_eq!(item["status"], "NOT_STARTED");
    assert_eq!(item["goal"]["stageLabel"], "年初亮目标");
    assert_eq!(item["goal"]["recordedBy"], "admin");
    assert_eq!(item["progress"], Value::Null);
    let progressed = &progressed["recordPlanStage"]["planItem"];
    assert_eq!(progressed["progress"], json!({ "text": "已完成调研走访", "recordedOn": "2024-05-10" }));
    assert_eq!(progressed["state"], "LATE");
    let finished = &finished["recordPlanStage"]["planItem"];
    assert_eq!(finished["result"]["text"], "形成报告1份、建议8条");
    assert_eq!((&finished["state"], &finished["stateLabel"]), (&json!("DONE"), &json!("已完成")));
}

#[actix_web::test]
async fn recording_a_stage_again_replaces_it_and_the_audit_log_keeps_both() {
    let app = TestApp::new().await;
    let plan = fixtures::plan(&app, 2024).await;
    let item = fixtures::plan_item(&app, plan, PlanItemType::Research, None, date(2024, 9, 30)).await;
    let item_id = gid(Kind::PlanItem, item);

    app.ok(RECORD_STAGE, stage(&item_id, "PROGRESS", "第一稿", "2024-06-01")).await;
    let again = app.ok(RECORD_STAGE, stage(&item_id, "PROGRESS", "第二稿", "2024-07-01")).await;
    let log = app
        .ok(
            "{ auditLog(filter: { entity: \"plan_stage\", operation: \"recordPlanStage\" }) { totalCount } }",
            json!({}),
        )
        .await;

    assert_eq!(
        again["recordPlanStage"]["planItem"]["progress"],
        json!({ "text": "第二稿", "recordedOn": "2024-07-01" })
    );
    assert_eq!(log["auditLog"]["totalCount"], 2);
}

#[actix_web::test]
async fn progress_counts_items_done_on_track_late_and_not_started_as_of_a_day() {
    let app = TestApp::new().await;
    let plan = fixtures::plan(&app, 2024).await;
    let item = |target| fixtures::plan_item(&app, plan, PlanItemType::Inspection, None, target);
    // A: due in April, result recorded in April.
    let a = item(date(2024, 4, 30)).await;
    fixtures::plan_stage(&app, a, PlanStage::Progress, date(2024, 3, 15)).await;
    fixtures::plan_stage(&app, a, PlanStage::Result, date(2024, 4, 25)).await;
    // B: due in June, progress in May, never finished.
    let b = item(date(2024, 6, 30)).await;
    fixtures::plan_stage(&app, b, PlanStage::Progress, date(2024, 5, 20)).await;
    // C: due in October, progress in July, result in October.
    let c = item(date(2024, 10, 31)).await;
    fixtures::plan_stage(&app, c, PlanStage::Progress, date(2024, 7, 10)).await;
    fixtures::plan_stage(&app, c, PlanStage::Result, date(2024, 10, 20)).await;
    // D: due in December, never touched.
    item(date(2024, 12, 31)).await;
    let id = gid(Kind::Plan, plan);

    let on = |day: &'static str| {
        let id = id.clone();
        let app = &app;
        async move { app.ok(PROGRESS, json!({ "id": id, "asOf": day })).await["plan"]["progress"].clone() }
    };
    let march = on("2024-03-31").await;
    let july = on("2024-07-15").await;
    let year_end = on("2024-12-31").await;
    let late_in_july = app
        .ok(
            "query($id: ID!) { plan(id: $id) { items(filter: { state: LATE, asOf: \"2024-07-15\" }) {
                totalCount nodes { targetDate state(asOf: \"2024-07-15\") } } } }",
            json!({ "id": id }),
        )
        .await;

    let counts = |p: &Value| {
        (p["total"].clone(), p["done"].clone(), p["onTrack"].clone(), p["late"].clone(), p["notStarted"].clone())
    };
    assert_eq!(counts(&march), (json!(4), json!(0), json!(1), json!(0), json!(3)));
    assert_eq!(counts(&july), (json!(4), json!(1), json!(1), json!(1), json!(1)));
    assert_eq!(counts(&year_end), (json!(4), json!(2), json!(0), json!(1), json!(1)));
    assert_eq!(july["asOf"], "2024-07-15");
    let late = &late_in_july["plan"]["items"];
    assert_eq!(late["totalCount"], 1);
    assert_eq!(late["nodes"], json!([{ "targetDate": "2024-06-30", "state": "LATE" }]));
}

#[actix_web::test]
async fn an_item_marked_done_counts_as_done_without_a_result() {
    let app = TestApp::new().await;
    let plan = fixtures::plan(&app, 2024).await;
    let item = fixtures::plan_item(&app, plan, PlanItemType::Research, None, date(2024, 5, 31)).await;

    app.ok(
        "mutation($id: ID!) { updatePlanItem(input: { id: $id, status: DONE }) { planItem { status } } }",
        json!({ "id": gid(Kind::PlanItem, item) }),
    )
    .await;
    let data = app.ok(PROGRESS, json!({ "id": gid(Kind::Plan, plan), "asOf": "2024-12-31" })).await;

    assert_eq!(data["plan"]["progress"]["done"], 1);
    assert_eq!(data["plan"]["progress"]["late"], 0);
}

const LINK: &str = "mutation($input: PlanActivityInput!) { linkPlanActivity(input: $input) {
    planItem { activityCount activities { title } } } }";
const UNLINK: &str = "mutation($input: PlanActivityInput!) { unlinkPlanActivity(input: $input) {
    planItem { activityCount activities { title } } } }";

#[actix_web::test]
async fn activities_are_linked_to_items_once_and_can_be_unlinked() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 1).await;
    let activity =
        fixtures::activity(&app, ActivityKind::Inspection, date(2024, 7, 12), false, &[(ids[0], Attendance::Present)])
            .await;
    let plan = fixtures::plan(&app, 2024).await;
    let item = fixtures::plan_item(&app, plan, PlanItemType::Inspection, None, date(2024, 7, 31)).await;
    let input =
        json!({ "input": { "planItemId": gid(Kind::PlanItem, item), "activityId": gid(Kind::Activity, activity) } });

    let linked = app.ok(LINK, input.clone()).await;
    let twice = app.admin(LINK, input.clone()).await;
    let unlinked = app.ok(UNLINK, input.clone()).await;
    let again = app.admin(UNLINK, input).await;

    assert_eq!(
        linked["linkPlanActivity"]["planItem"],
        json!({ "activityCount": 1, "activities": [{ "title": "视察（2024-07-12）" }] })
    );
    assert_eq!(error_code(&twice), "CONFLICT");
    assert_eq!(unlinked["unlinkPlanActivity"]["planItem"], json!({ "activityCount": 0, "activities": [] }));
    assert_eq!((error_code(&again), error_field(&again)), ("BAD_USER_INPUT", "input.activityId"));
}

#[actix_web::test]
async fn the_office_writes_plans_committee_staff_record_their_items_and_a_viewer_reads() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let office = app.account("office", Role::Office, Scope::None).await;
    let staff = app.account("staff", Role::CommitteeStaff, Scope::Committee(org.proposals_committee)).await;
    let viewer = app.account("viewer", Role::Viewer, Scope::None).await;
    let created = app.post(Some(&office), CREATE_PLAN, json!({ "input": { "year": 2024, "title": "计划" } })).await;
    let plan_id = created["data"]["createPlan"]["plan"]["id"].as_str().unwrap().to_owned();
    let plan = lvzhi::relay::decode_id(Kind::Plan, &async_graphql::ID(plan_id.clone()), "id").unwrap();
    let own =
        fixtures::plan_item(&app, plan, PlanItemType::Research, Some(org.proposals_committee), date(2024, 8, 31)).await;
    let other =
        fixtures::plan_item(&app, plan, PlanItemType::Research, Some(org.culture_committee), date(2024, 8, 31)).await;

    let staff_creates =
        app.post(Some(&staff), CREATE_PLAN, json!({ "input": { "year": 2024, "title": "另一计划" } })).await;
    let staff_adds = app.post(Some(&staff), ADD_ITEM, item_input(&plan_id, json!({}))).await;
    let staff_own = app
        .post(Some(&staff), RECORD_STAGE, stage(&gid(Kind::PlanItem, own), "PROGRESS", "推进中", "2024-06-01"))
        .await;
    let staff_other = app
        .post(Some(&staff), RECORD_STAGE, stage(&gid(Kind::PlanItem, other), "PROGRESS", "推进中", "2024-06-01"))
        .await;
    let viewer_records =
        app.post(Some(&viewer), RECORD_STAGE, stage(&gid(Kind::PlanItem, own), "RESULT", "完成", "2024-08-01")).await;
    let viewer_reads = app
        .post(
            Some(&viewer),
            "{ plans(year: 2024) { title progress(asOf: \"2024-07-01\") { total onTrack notStarted }
                 items { nodes { title lead { name } progress { text } } } } }",
            json!({}),
        )
        .await;
    let anonymous = app.post(None, "{ plans(year: 2024) { title } }", json!({})).await;

    assert!(created.get("errors").is_none(), "{created:#}");
    assert_eq!(error_code(&staff_creates), "FORBIDDEN");
    assert_eq!(error_code(&staff_adds), "FORBIDDEN");
    assert!(staff_own.get("errors").is_none(), "{staff_own:#}");
    assert_eq!(error_code(&staff_other), "FORBIDDEN");
    assert_eq!(error_code(&viewer_records), "FORBIDDEN");
    assert!(viewer_reads.get("errors").is_none(), "{viewer_reads:#}");
    let plans = &viewer_reads["data"]["plans"];
    assert_eq!(plans[0]["progress"], json!({ "total": 2, "onTrack": 1, "notStarted": 1 }));
    assert_eq!(plans[0]["items"]["nodes"][0]["progress"]["text"], "推进中");
    assert_eq!(plans[0]["items"]["nodes"][1]["lead"]["name"], "文化文史和学习委员会");
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

#[actix_web::test]
async fn validation_errors_name_the_field_at_fault() {
    let app = TestApp::new().await;
    let plan_id = gid(Kind::Plan, fixtures::plan(&app, 2024).await);

    let next_year = app.admin(ADD_ITEM, item_input(&plan_id, json!({ "targetDate": "2025-01-15" }))).await;
    let no_title = app.admin(ADD_ITEM, item_input(&plan_id, json!({ "title": "  " }))).await;
    let no_area = app.admin(ADD_ITEM, item_input(&plan_id, json!({ "area": "" }))).await;
    let bad_lead =
        app.admin(ADD_ITEM, item_input(&plan_id, json!({ "leadId": gid(Kind::SpecialCommittee, 999) }))).await;
    let wrong_kind = app.admin(ADD_ITEM, item_input(&plan_id, json!({ "leadId": gid(Kind::Sector, 1) }))).await;
    let no_plan = app.admin(ADD_ITEM, item_input(&gid(Kind::Plan, 999), json!({}))).await;
    let duplicate = app.admin(CREATE_PLAN, json!({ "input": { "year": 2024, "title": "2024年度协商工作计划" } })).await;
    let empty_text = app.admin(RECORD_STAGE, stage(&gid(Kind::PlanItem, 1), "GOAL", " ", "2024-01-10")).await;

    let field = |r: &Value| (error_code(r).to_owned(), error_field(r).to_owned());
    assert_eq!(field(&next_year), ("BAD_USER_INPUT".into(), "input.targetDate".into()));
    assert_eq!(field(&no_title), ("BAD_USER_INPUT".into(), "input.title".into()));
    assert_eq!(field(&no_area), ("BAD_USER_INPUT".into(), "input.area".into()));
    assert_eq!(field(&bad_lead), ("BAD_USER_INPUT".into(), "input.leadId".into()));
    assert_eq!(field(&wrong_kind), ("BAD_USER_INPUT".into(), "input.leadId".into()));
    assert_eq!(error_code(&no_plan), "NOT_FOUND");
    assert_eq!(error_code(&duplicate), "CONFLICT");
    assert_eq!(field(&empty_text), ("BAD_USER_INPUT".into(), "input.text".into()));
    let items = app.ok("query($id: ID!) { plan(id: $id) { items { totalCount } } }", json!({ "id": plan_id })).await;
    assert_eq!(items["plan"]["items"]["totalCount"], 0);
}

// ----- personal targets -----

const SET_TARGETS: &str = "mutation($input: SetMemberTargetsInput!) { setMemberTargets(input: $input) {
    member { name } targets { kind kindLabel value actual met } } }";

const TARGETS: &str = "query($id: ID!) { member(id: $id) { targets(year: 2024) { kind value actual met } } }";

fn targets_input(member: i64, targets: Value) -> Value {
    json!({ "input": { "memberId": gid(Kind::Member, member), "year": 2024, "targets": targets } })
}

/// Records for `me` in 2024: a proposal as first proposer and one co-signed, a public-opinion
/// report, 3 of 4 compulsory meetings attended plus one other activity, 6.5 training hours.
async fn records(app: &TestApp, me: i64, other: i64) {
    use entity::organiser::Organiser;
    use lvzhi::{
        opinion::service::{self as opinions, NewOpinionReport},
        proposal::service::{self as proposals, NewProposal, NewSigner},
        training::service::{self as training, NewAttendee, NewSession},
    };
    fixtures::proposal(app, me, "关于加快数字经济发展的提案").await;
    let joint = NewProposal {
        year: 2024,
        session: None,
        kind: ProposalKind::Regular,
        proposer_type: ProposerType::Joint,
        collective_name: None,
        signers: vec![
            NewSigner { member_id: other, role: SignerRole::First },
            NewSigner { member_id: me, role: SignerRole::Co },
        ],
        title: "关于完善社区养老服务的提案".into(),
        category: None,
        situation: None,
        analysis: None,
        suggestions: "建议".into(),
        submitted_on: Some(date(2024, 3, 5)),
    };
    proposals::submit(&app.db, &Actor::System, joint).await.map_err(|e| e.message()).unwrap();
    let report = NewOpinionReport {
        authors: vec![NewSigner { member_id: me, role: SignerRole::First }],
        title: "关于规范校外培训的建议".into(),
        body: "建议内容".into(),
        submitted_on: Some(date(2024, 4, 2)),
    };
    opinions::submit(&app.db, &Actor::System, report).await.map_err(|e| e.message()).unwrap();
    for (day, attendance) in [
        (date(2024, 1, 8), Attendance::Present),
        (date(2024, 3, 20), Attendance::Late),
        (date(2024, 6, 20), Attendance::Present),
        (date(2024, 9, 20), Attendance::Absent),
    ] {
        fixtures::activity(app, ActivityKind::StandingCommitteeMeeting, day, true, &[(me, attendance)]).await;
    }
    fixtures::activity(app, ActivityKind::Research, date(2024, 5, 5), false, &[(me, Attendance::Present)]).await;
    let session = NewSession {
        title: "委员履职能力培训班".into(),
        kind: entity::enums::TrainingKind::Class,
        organiser: Organiser::Office,
        start_date: date(2024, 4, 10),
        end_date: None,
        location: None,
        credit_hours: "6.5".parse().unwrap(),
        attendees: vec![NewAttendee { member_id: me, hours: "6.5".parse().unwrap(), completed: true }],
    };
    training::record(&app.db, &Actor::System, session).await.map_err(|e| e.message()).unwrap();
}

#[actix_web::test]
async fn personal_targets_show_the_progress_the_records_show_and_whether_they_are_met() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 2).await;
    let (me, other) = (ids[0], ids[1]);
    records(&app, me, other).await;
    let mine = app.account("member", Role::Member, Scope::Member(me)).await;

    let set = app
        .ok(
            SET_TARGETS,
            targets_input(
                me,
                json!([
                    { "kind": "PROPOSALS", "value": "2" },
                    { "kind": "OPINION_REPORTS", "value": "2" },
                    { "kind": "ATTENDANCE_RATE", "value": "0.8" },
                    { "kind": "ACTIVITIES", "value": "4" },
                    { "kind": "TRAINING_HOURS", "value": "6.5" },
                ]),
            ),
        )
        .await;
    let read = app.post(Some(&mine), TARGETS, json!({ "id": gid(Kind::Member, me) })).await;
    let not_mine = app.post(Some(&mine), TARGETS, json!({ "id": gid(Kind::Member, other) })).await;

    let expected = json!([
        { "kind": "PROPOSALS", "value": "2", "actual": "2", "met": true },
        { "kind": "OPINION_REPORTS", "value": "2", "actual": "1", "met": false },
        { "kind": "ATTENDANCE_RATE", "value": "0.8", "actual": "0.75", "met": false },
        { "kind": "ACTIVITIES", "value": "4", "actual": "4", "met": true },
        { "kind": "TRAINING_HOURS", "value": "6.5", "actual": "6.5", "met": true },
    ]);
    assert_eq!(set["setMemberTargets"]["member"]["name"], "委员000");
    assert_eq!(set["setMemberTargets"]["targets"][1]["kindLabel"], "社情民意信息");
    assert!(read.get("errors").is_none(), "{read:#}");
    assert_eq!(read["data"]["member"]["targets"], expected);
    assert_eq!(error_code(&not_mine), "FORBIDDEN");
}

#[actix_web::test]
async fn setting_targets_again_replaces_the_set_and_only_the_office_may() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let me = members(&app, &org, 1).await[0];
    let mine = app.account("member", Role::Member, Scope::Member(me)).await;
    let first = json!([{ "kind": "PROPOSALS", "value": "1" }, { "kind": "ACTIVITIES", "value": "3" }]);

    app.ok(SET_TARGETS, targets_input(me, first.clone())).await;
    let replaced = app.ok(SET_TARGETS, targets_input(me, json!([{ "kind": "ACTIVITIES", "value": "5" }]))).await;
    let by_member = app.post(Some(&mine), SET_TARGETS, targets_input(me, first)).await;
    let none = app
        .ok(
            "query($id: ID!) { member(id: $id) { targets(year: 2023) { kind } } }",
            json!({ "id": gid(Kind::Member, me) }),
        )
        .await;

    assert_eq!(
        replaced["setMemberTargets"]["targets"],
        json!([{ "kind": "ACTIVITIES", "kindLabel": "参加活动", "value": "5", "actual": "0", "met": false }])
    );
    assert_eq!(error_code(&by_member), "FORBIDDEN");
    assert_eq!(none["member"]["targets"], json!([]));
}

#[actix_web::test]
async fn target_values_must_suit_their_kind() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let me = members(&app, &org, 1).await[0];
    let attempt = |targets: Value| app.admin(SET_TARGETS, targets_input(me, targets));

    let rate = attempt(json!([{ "kind": "ATTENDANCE_RATE", "value": "1.2" }])).await;
    let fraction =
        attempt(json!([{ "kind": "PROPOSALS", "value": "0" }, { "kind": "ACTIVITIES", "value": "2.5" }])).await;
    let hours = attempt(json!([{ "kind": "TRAINING_HOURS", "value": "7.25" }])).await;
    let negative = attempt(json!([{ "kind": "OPINION_REPORTS", "value": "-1" }])).await;
    let twice = attempt(json!([{ "kind": "PROPOSALS", "value": "1" }, { "kind": "PROPOSALS", "value": "2" }])).await;
    let unknown = app.admin(SET_TARGETS, targets_input(9999, json!([]))).await;

    let field = |r: &Value| (error_code(r).to_owned(), error_field(r).to_owned());
    assert_eq!(field(&rate), ("BAD_USER_INPUT".into(), "input.targets.0.value".into()));
    assert_eq!(field(&fraction), ("BAD_USER_INPUT".into(), "input.targets.1.value".into()));
    assert_eq!(field(&hours), ("BAD_USER_INPUT".into(), "input.targets.0.value".into()));
    assert_eq!(field(&negative), ("BAD_USER_INPUT".into(), "input.targets.0.value".into()));
    assert_eq!(field(&twice), ("BAD_USER_INPUT".into(), "input.targets.1.kind".into()));
    assert_eq!(error_code(&unknown), "NOT_FOUND");
}

// ----- statement count -----

const ITEMS_PAGE: &str = "query($id: ID!, $n: Int) { plan(id: $id) { items(first: $n) {
    totalCount nodes { number title lead { name } goal { text } progress { text } state(asOf: \"2024-07-01\")
      activityCount activities { title organiser { name } } plan { title } } } } }";

#[actix_web::test]
async fn statement_count_of_a_plan_item_page_does_not_depend_on_its_size() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    let ids = members(&app, &org, 2).await;
    let plan = fixtures::plan(&app, 2024).await;
    for n in 0..40u32 {
        let lead = match n % 3 {
            0 => None,
            1 => Some(org.proposals_committee),
            _ => Some(org.culture_committee),
        };
        let target = date(2024, 3 + n % 10, 28);
        let item = fixtures::plan_item(&app, plan, PlanItemType::Research, lead, target).await;
        if n % 2 == 0 {
            fixtures::plan_stage(&app, item, PlanStage::Progress, date(2024, 2, 1 + n % 20)).await;
        }
        let activity =
            fixtures::activity(&app, ActivityKind::Research, target, false, &[(ids[0], Attendance::Present)]).await;
        lvzhi::plan::service::link_activity(&app.db, &Actor::System, item, activity)
            .await
            .map_err(|e| e.message())
            .unwrap();
    }
    let id = gid(Kind::Plan, plan);

    let before = app.statements();
    let ten = app.ok(ITEMS_PAGE, json!({ "id": id, "n": 10 })).await;
    let for_ten = app.statements() - before;
    let before = app.statements();
    let forty = app.ok(ITEMS_PAGE, json!({ "id": id, "n": 40 })).await;
    let for_forty = app.statements() - before;

    let nodes = forty["plan"]["items"]["nodes"].as_array().unwrap();
    assert_eq!(ten["plan"]["items"]["nodes"].as_array().unwrap().len(), 10);
    assert_eq!(nodes.len(), 40);
    assert_eq!(nodes[39]["activities"][0]["organiser"]["name"], "办公室");
    assert_eq!(nodes[1]["lead"]["name"], "提案委员会");
    assert_eq!(for_ten, for_forty, "statements for 10 items: {for_ten}, for 40: {for_forty}");
    assert!(for_ten <= 12, "a page of items should take a handful of statements, took {for_ten}");
}

#[actix_web::test]
async fn the_demo_plan_has_five_areas_of_45_items_and_targets_for_the_demo_member() {
    let app = TestApp::new().await;
    lvzhi::seed::demo(&app.db).await.map_err(|e| e.message()).expect("seed the demo committee");
    let me = lvzhi::account::service::login(&app.db, &Default::default(), "member", lvzhi::seed::DEMO_PASSWORD, None)
        .await
        .map_err(|e| e.message())
        .unwrap();

    let data = app
        .ok(
            "{ plans(year: 2024) { title
                 progress(asOf: \"2024-12-31\") { total done onTrack late notStarted }
                 mid: progress(asOf: \"2024-07-15\") { done onTrack late notStarted }
                 areas(asOf: \"2024-12-31\") { area progress { total } }
                 linked: items(first: 100) { nodes { type activityCount } } } }",
            json!({}),
        )
        .await;
    let own = app.post(Some(&me.token), "{ viewer { member { targets(year: 2024) { kind met } } } }", json!({})).await;

    let plan = &data["plans"][0];
    assert_eq!(plan["title"], "2024年度协商工作计划");
    assert_eq!(plan["progress"], json!({ "total": 45, "done": 33, "onTrack": 4, "late": 8, "notStarted": 0 }));
    let mid = &plan["mid"];
    let sum: i64 = ["done", "onTrack", "late", "notStarted"].iter().map(|k| mid[k].as_i64().unwrap()).sum();
    assert_eq!(sum, 45);
    let areas = plan["areas"].as_array().unwrap();
    assert_eq!(areas.len(), 5);
    assert!(areas.iter().all(|a| a["progress"]["total"] == 9), "{areas:#?}");
    let nodes = plan["linked"]["nodes"].as_array().unwrap();
    let of = |t: &str| nodes.iter().filter(|n| n["type"] == t).count();
    assert_eq!(
        (
            of("THEMATIC_STANDING_MEETING"),
            of("THEMATIC_CONSULTATION"),
            of("DEMOCRATIC_SUPERVISION"),
            of("BIMONTHLY_CONSULTATION")
        ),
        (2, 3, 3, 2)
    );
    assert_eq!(nodes.iter().filter(|n| n["activityCount"] == 1).count(), 5);
    assert!(own.get("errors").is_none(), "{own:#}");
    assert_eq!(own["data"]["viewer"]["member"]["targets"].as_array().map(Vec::len), Some(5));
}
