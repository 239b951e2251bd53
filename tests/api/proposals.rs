//! Proposals: submission, the lifecycle state machine and its action log, statistics,
//! filters, access per role, and the statement count of a nested page.

use entity::{
    enums::{FeedbackRating, HandlingRole, NotAcceptedReason, ResultClass, Role},
    proposal, proposal_assignment,
};
use lvzhi::{
    auth::Actor,
    error::AppResult,
    proposal::service::{self as proposals, Answer, Review, UnitAssignment},
    relay::Kind,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, date, gid, handling_unit, member, members, org, proposal},
    helpers::{Scope, TestApp, error_code, error_field},
};

fn ok<T>(result: AppResult<T>) -> T {
    result.map_err(|e| e.message()).expect("the arranging service call succeeds")
}

const SUBMIT: &str = "mutation($input: SubmitProposalInput!) { submitProposal(input: $input) {
    proposal { id status statusLabel title signers { role member { name } } latestAction { kind fromStatus toStatus actorName } } } }";

fn submit_input(signers: Value) -> Value {
    json!({ "year": 2024, "kind": "REGULAR", "proposerType": "JOINT", "signers": signers,
            "title": "关于加强校园食品安全监管的建议", "situation": "情况", "analysis": "分析", "suggestions": "建议" })
}

/// Moves proposal `id` to `state` through the services, as the system.
async fn drive(app: &TestApp, id: i64, unit: i64, state: &str) {
    let (db, sys) = (&app.db, &Actor::System);
    match state {
        "SUBMITTED" => {}
        "RETURNED" => {
            ok(proposals::review(db, sys, id, Review::Return, None).await);
        }
        "NOT_ACCEPTED" => {
            ok(proposals::review(db, sys, id, Review::Reject(NotAcceptedReason::Other), None).await);
        }
        "CONVERTED" => {
            ok(proposals::convert_to_opinion_report(db, sys, id, None).await);
        }
        "MERGED" => {
            let target = proposal(app, member_of(app, id).await, "并案目标").await;
            ok(proposals::review(db, sys, target, Review::Accept, None).await);
            ok(proposals::review(db, sys, id, Review::Merge(target), None).await);
        }
        _ => {
            ok(proposals::review(db, sys, id, Review::Accept, None).await);
            if state == "ACCEPTED" {
                return;
            }
            let units = vec![UnitAssignment { handling_unit_id: unit, role: HandlingRole::Sole }];
            ok(proposals::assign(db, sys, id, units, None, None).await);
            if state == "ASSIGNED" {
                return;
            }
            let answer = Answer {
                handling_unit_id: Some(unit),
                result_class: ResultClass::A,
                met_proposer: true,
                answered_on: None,
                summary: None,
            };
            ok(proposals::answer(db, sys, id, answer).await);
            if state == "ANSWERED" {
                return;
            }
            let rating = if state == "FEEDBACK" { FeedbackRating::Dissatisfied } else { FeedbackRating::Satisfied };
            ok(proposals::record_feedback(db, sys, id, rating, None).await);
            if state == "CLOSED" {
                ok(proposals::close(db, sys, id, None).await);
            }
        }
    }
}

/// The first proposer of a proposal.
async fn member_of(app: &TestApp, id: i64) -> i64 {
    entity::proposal_signer::Entity::find()
        .filter(entity::proposal_signer::Column::ProposalId.eq(id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .member_id
}

const STATE: &str = "query($id: ID!) { node(id: $id) { ... on Proposal { status actions { kind } } } }";

async fn state_of(app: &TestApp, id: i64) -> (String, usize) {
    let data = app.ok(STATE, json!({ "id": gid(Kind::Proposal, id) })).await;
    let status = data["node"]["status"].as_str().unwrap().to_owned();
    (status, data["node"]["actions"].as_array().unwrap().len())
}

#[actix_web::test]
async fn submit_proposal_stores_the_signers_and_logs_the_submission() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let first = member(&app, &o, MemberSpec::named("王芳")).await;
    let co = member(&app, &o, MemberSpec::named("李强")).await;
    let signers = json!([{ "memberId": gid(Kind::Member, co), "role": "CO" },
                         { "memberId": gid(Kind::Member, first), "role": "FIRST" }]);

    let data = app.ok(SUBMIT, json!({ "input": submit_input(signers) })).await;

    let p = &data["submitProposal"]["proposal"];
    assert_eq!(p["status"], "SUBMITTED");
    assert_eq!(p["statusLabel"], "待审查");
    assert_eq!(
        p["signers"],
        json!([{ "role": "FIRST", "member": { "name": "王芳" } }, { "role": "CO", "member": { "name": "李强" } }])
    );
    assert_eq!(
        p["latestAction"],
        json!({ "kind": "SUBMIT", "fromStatus": null, "toStatus": "SUBMITTED", "actorName": "admin" })
    );
}

#[actix_web::test]
async fn submit_proposal_needs_exactly_one_first_signer_and_known_members() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let a = member(&app, &o, MemberSpec::named("王芳")).await;
    let b = member(&app, &o, MemberSpec::named("李强")).await;
    let two_firsts = json!([{ "memberId": gid(Kind::Member, a), "role": "FIRST" },
                            { "memberId": gid(Kind::Member, b), "role": "FIRST" }]);
    let unknown = json!([{ "memberId": gid(Kind::Member, a), "role": "FIRST" },
                         { "memberId": gid(Kind::Member, 999), "role": "CO" }]);

    let twice = app.admin(SUBMIT, json!({ "input": submit_input(two_firsts) })).await;
    let missing = app.admin(SUBMIT, json!({ "input": submit_input(unknown) })).await;

    assert_eq!((error_code(&twice), error_field(&twice)), ("BAD_USER_INPUT", "input.signers"));
    assert_eq!((error_code(&missing), error_field(&missing)), ("BAD_USER_INPUT", "input.signers.1.memberId"));
    let count = app.ok("{ proposals { totalCount } }", json!({})).await;
    assert_eq!(count["proposals"]["totalCount"], 0);
}

const REVIEW: &str = "mutation($input: ReviewProposalInput!) { reviewProposal(input: $input) {
    proposal { status serialNumber acceptedOn notAcceptedReason notAcceptedReasonLabel mergedInto { title } } } }";

#[actix_web::test]
async fn accepting_gives_the_next_serial_number_of_the_year() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let one = proposal(&app, m, "一").await;
    let two = proposal(&app, m, "二").await;

    let first = app.ok(REVIEW, json!({ "input": { "id": gid(Kind::Proposal, one), "decision": "ACCEPT" } })).await;
    let second = app.ok(REVIEW, json!({ "input": { "id": gid(Kind::Proposal, two), "decision": "ACCEPT" } })).await;

    assert_eq!(first["reviewProposal"]["proposal"]["serialNumber"], "2024-001");
    assert_eq!(second["reviewProposal"]["proposal"]["serialNumber"], "2024-002");
    assert_eq!(second["reviewProposal"]["proposal"]["status"], "ACCEPTED");
}

#[actix_web::test]
async fn rejecting_needs_a_reason_from_the_list() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let id = proposal(&app, m, "一").await;

    let without = app.admin(REVIEW, json!({ "input": { "id": gid(Kind::Proposal, id), "decision": "REJECT" } })).await;
    let with = app
        .ok(
            REVIEW,
            json!({ "input": { "id": gid(Kind::Proposal, id), "decision": "REJECT", "reason": "OUT_OF_SCOPE" } }),
        )
        .await;

    assert_eq!((error_code(&without), error_field(&without)), ("BAD_USER_INPUT", "input.reason"));
    assert_eq!(with["reviewProposal"]["proposal"]["status"], "NOT_ACCEPTED");
    assert_eq!(with["reviewProposal"]["proposal"]["notAcceptedReasonLabel"], "不属于政协履职范围");
}

#[actix_web::test]
async fn a_proposal_merges_only_into_an_accepted_one() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let id = proposal(&app, m, "一").await;
    let pending = proposal(&app, m, "二").await;
    let accepted = proposal(&app, m, "三").await;
    drive(&app, accepted, 0, "ACCEPTED").await;
    let merge = |into: i64| json!({ "input": { "id": gid(Kind::Proposal, id), "decision": "MERGE", "intoId": gid(Kind::Proposal, into) } });

    let refused = app.admin(REVIEW, merge(pending)).await;
    let merged = app.ok(REVIEW, merge(accepted)).await;

    assert_eq!((error_code(&refused), error_field(&refused)), ("BAD_USER_INPUT", "input.intoId"));
    assert_eq!(merged["reviewProposal"]["proposal"]["status"], "MERGED");
    assert_eq!(merged["reviewProposal"]["proposal"]["mergedInto"]["title"], "三");
}

const LIFECYCLE: &str = "query($id: ID!) { node(id: $id) { ... on Proposal {
    status answeredOn resultClass resultClassLabel metProposer feedback dueDate
    assignments { role status handlingUnit { name } resultClass metProposer }
    actions { kind fromStatus toStatus note } latestAction { kind } } } }";

#[actix_web::test]
async fn a_proposal_goes_from_submission_to_closing_and_logs_every_step() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let lead = handling_unit(&app, "区教育局").await;
    let co = handling_unit(&app, "区财政局").await;
    let id = proposal(&app, m, "一").await;
    let pid = gid(Kind::Proposal, id);
    let step = |query: &str, input: Value| {
        let query = query.to_owned();
        let app = &app;
        async move { app.ok(&query, json!({ "input": input })).await }
    };

    step(REVIEW, json!({ "id": pid, "decision": "ACCEPT" })).await;
    step(
        "mutation($input: AssignProposalInput!) { assignProposal(input: $input) { proposal { status } } }",
        json!({ "id": pid, "units": [{ "handlingUnitId": gid(Kind::HandlingUnit, lead), "role": "LEAD" },
                                     { "handlingUnitId": gid(Kind::HandlingUnit, co), "role": "CO" }] }),
    )
    .await;
    let answer = "mutation($input: AnswerProposalInput!) { answerProposal(input: $input) { proposal { status } } }";
    let after_co = step(
        answer,
        json!({ "id": pid, "handlingUnitId": gid(Kind::HandlingUnit, co), "resultClass": "C", "metProposer": false }),
    )
    .await;
    let after_lead = step(
        answer,
        json!({ "id": pid, "handlingUnitId": gid(Kind::HandlingUnit, lead), "resultClass": "A", "metProposer": true }),
    )
    .await;
    step(
        "mutation($input: ProposalFeedbackInput!) { recordProposalFeedback(input: $input) { proposal { status } } }",
        json!({ "id": pid, "rating": "BASICALLY_SATISFIED" }),
    )
    .await;
    step(
        "mutation($input: ProposalNoteInput!) { closeProposal(input: $input) { proposal { status } } }",
        json!({ "id": pid }),
    )
    .await;

    let p = &app.ok(LIFECYCLE, json!({ "id": pid })).await["node"];
    assert_eq!(after_co["answerProposal"]["proposal"]["status"], "ASSIGNED", "one unit is still handling it");
    assert_eq!(after_lead["answerProposal"]["proposal"]["status"], "ANSWERED");
    assert_eq!(p["status"], "CLOSED");
    assert_eq!(p["resultClass"], "A", "the lead unit's class is the proposal's");
    assert_eq!(p["resultClassLabel"], "A类（已解决或采纳）");
    assert_eq!(p["metProposer"], true);
    assert_eq!(p["feedback"], "BASICALLY_SATISFIED");
    let kinds: Vec<&str> = p["actions"].as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["SUBMIT", "ACCEPT", "ASSIGN", "ANSWER", "ANSWER", "FEEDBACK", "CLOSE"]);
    let transitions: Vec<(&Value, &Value)> =
        p["actions"].as_array().unwrap().iter().map(|a| (&a["fromStatus"], &a["toStatus"])).collect();
    assert_eq!(transitions[2], (&json!("ACCEPTED"), &json!("ASSIGNED")));
    assert_eq!(transitions[4], (&json!("ASSIGNED"), &json!("ANSWERED")));
    assert_eq!(p["latestAction"]["kind"], "CLOSE");
}

/// Every state a test can put a proposal in.
const STATES: [&str; 10] = [
    "SUBMITTED",
    "ACCEPTED",
    "NOT_ACCEPTED",
    "MERGED",
    "RETURNED",
    "ASSIGNED",
    "ANSWERED",
    "FEEDBACK",
    "CLOSED",
    "CONVERTED",
];

/// Whether `op` is allowed from `state`.
fn legal(op: &str, state: &str) -> bool {
    match op {
        "accept" | "reject" | "merge" | "return" => state == "SUBMITTED",
        "resubmit" => state == "RETURNED",
        "assign" => matches!(state, "ACCEPTED" | "ASSIGNED"),
        "refuse" | "answer" => state == "ASSIGNED",
        "feedback" => state == "ANSWERED",
        "reopen" => state == "FEEDBACK",
        "close" => matches!(state, "ANSWERED" | "FEEDBACK"),
        "flag" => matches!(state, "ACCEPTED" | "ASSIGNED" | "ANSWERED" | "FEEDBACK" | "CLOSED"),
        "convert" => matches!(state, "SUBMITTED" | "RETURNED" | "NOT_ACCEPTED"),
        _ => unreachable!("unknown operation {op}"),
    }
}

#[actix_web::test]
async fn every_illegal_transition_is_bad_user_input_and_changes_nothing() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let unit = handling_unit(&app, "区教育局").await;
    let other_unit = handling_unit(&app, "区财政局").await;
    let target = proposal(&app, m, "并案目标甲").await;
    drive(&app, target, unit, "ACCEPTED").await;
    let (u, u2, t) = (gid(Kind::HandlingUnit, unit), gid(Kind::HandlingUnit, other_unit), gid(Kind::Proposal, target));
    let ops: Vec<(&str, &str, &str, Value)> = vec![
        ("accept", "reviewProposal", "ReviewProposalInput", json!({ "decision": "ACCEPT" })),
        ("reject", "reviewProposal", "ReviewProposalInput", json!({ "decision": "REJECT", "reason": "OTHER" })),
        ("merge", "reviewProposal", "ReviewProposalInput", json!({ "decision": "MERGE", "intoId": t })),
        ("return", "reviewProposal", "ReviewProposalInput", json!({ "decision": "RETURN" })),
        ("resubmit", "resubmitProposal", "ResubmitProposalInput", json!({})),
        (
            "assign",
            "assignProposal",
            "AssignProposalInput",
            json!({ "units": [{ "handlingUnitId": u2, "role": "SOLE" }] }),
        ),
        (
            "refuse",
            "refuseProposalAssignment",
            "RefuseProposalAssignmentInput",
            json!({ "handlingUnitId": u, "reason": "不属本单位职责" }),
        ),
        (
            "answer",
            "answerProposal",
            "AnswerProposalInput",
            json!({ "handlingUnitId": u, "resultClass": "A", "metProposer": true }),
        ),
        ("feedback", "recordProposalFeedback", "ProposalFeedbackInput", json!({ "rating": "SATISFIED" })),
        ("reopen", "reopenProposal", "ReopenProposalInput", json!({})),
        ("close", "closeProposal", "ProposalNoteInput", json!({})),
        ("flag", "flagProposal", "FlagProposalInput", json!({ "keyProposal": true })),
        ("convert", "convertProposalToOpinionReport", "ProposalNoteInput", json!({})),
    ];

    let mut tried = 0;
    for state in STATES {
        let id = proposal(&app, m, &format!("关于{state}的建议")).await;
        drive(&app, id, unit, state).await;
        let before = state_of(&app, id).await;
        assert_eq!(before.0, state);
        for (op, field, input_type, extra) in &ops {
            if legal(op, state) {
                continue;
            }
            let mut input = extra.clone();
            input["id"] = json!(gid(Kind::Proposal, id));
            let query =
                format!("mutation($input: {input_type}!) {{ {field}(input: $input) {{ proposal {{ status }} }} }}");
            let response = app.admin(&query, json!({ "input": input })).await;
            assert_eq!(error_code(&response), "BAD_USER_INPUT", "{op} from {state}: {response}");
            tried += 1;
        }
        assert_eq!(state_of(&app, id).await, before, "illegal operations changed a {state} proposal");
    }
    assert!(tried > 90, "only {tried} illegal transitions were tried");
}

#[actix_web::test]
async fn a_unit_may_refuse_within_ten_days_and_the_proposal_awaits_reassignment() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let unit = handling_unit(&app, "区教育局").await;
    let late_unit = handling_unit(&app, "区财政局").await;
    let token = app.account("edu", Role::HandlingUnit, Scope::HandlingUnit(unit)).await;
    let late_token = app.account("fin", Role::HandlingUnit, Scope::HandlingUnit(late_unit)).await;
    let fresh = proposal(&app, m, "一").await;
    drive(&app, fresh, unit, "ASSIGNED").await;
    let old = proposal(&app, m, "二").await;
    drive(&app, old, late_unit, "ASSIGNED").await;
    proposal_assignment::Entity::update_many()
        .col_expr(proposal_assignment::Column::AssignedOn, Expr::value(date(2024, 1, 2)))
        .filter(proposal_assignment::Column::ProposalId.eq(old))
        .exec(&app.db)
        .await
        .unwrap();
    let refuse = "mutation($input: RefuseProposalAssignmentInput!) { refuseProposalAssignment(input: $input) {
        proposal { status dueDate assignments { status refusalReason } latestAction { kind note } } } }";

    let refused = app
        .post(
            Some(&token),
            refuse,
            json!({ "input": { "id": gid(Kind::Proposal, fresh), "reason": "不属本单位职责" } }),
        )
        .await;
    let too_late = app
        .post(
            Some(&late_token),
            refuse,
            json!({ "input": { "id": gid(Kind::Proposal, old), "reason": "不属本单位职责" } }),
        )
        .await;

    let p = &refused["data"]["refuseProposalAssignment"]["proposal"];
    assert_eq!(p["status"], "ACCEPTED", "{refused}");
    assert_eq!(p["dueDate"], Value::Null);
    assert_eq!(p["assignments"], json!([{ "status": "REFUSED", "refusalReason": "不属本单位职责" }]));
    assert_eq!(p["latestAction"]["kind"], "REFUSE_ASSIGNMENT");
    assert_eq!(error_code(&too_late), "BAD_USER_INPUT");
    assert_eq!(state_of(&app, old).await.0, "ASSIGNED");
}

#[actix_web::test]
async fn dissatisfied_feedback_may_reopen_handling_by_the_same_units() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let unit = handling_unit(&app, "区教育局").await;
    let id = proposal(&app, m, "一").await;
    drive(&app, id, unit, "FEEDBACK").await;
    let satisfied = proposal(&app, m, "二").await;
    drive(&app, satisfied, unit, "ANSWERED").await;
    ok(proposals::record_feedback(&app.db, &Actor::System, satisfied, FeedbackRating::Satisfied, None).await);
    let reopen = "mutation($input: ReopenProposalInput!) { reopenProposal(input: $input) {
        proposal { status feedback answeredOn assignments { status handlingUnit { name } } } } }";

    let reopened = app.ok(reopen, json!({ "input": { "id": gid(Kind::Proposal, id), "note": "委员不满意" } })).await;
    let refused = app.admin(reopen, json!({ "input": { "id": gid(Kind::Proposal, satisfied) } })).await;

    let p = &reopened["reopenProposal"]["proposal"];
    assert_eq!(p["status"], "ASSIGNED");
    assert_eq!(p["feedback"], Value::Null);
    assert_eq!(
        p["assignments"],
        json!([{ "status": "SUPERSEDED", "handlingUnit": { "name": "区教育局" } },
               { "status": "PENDING", "handlingUnit": { "name": "区教育局" } }])
    );
    assert_eq!(error_code(&refused), "BAD_USER_INPUT");
}

#[actix_web::test]
async fn assign_proposal_checks_lead_and_co_roles_and_defaults_the_due_date_to_three_months() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let a = handling_unit(&app, "区教育局").await;
    let b = handling_unit(&app, "区财政局").await;
    let id = proposal(&app, m, "一").await;
    drive(&app, id, a, "ACCEPTED").await;
    let assign =
        "mutation($input: AssignProposalInput!) { assignProposal(input: $input) { proposal { status dueDate } } }";
    let units = |ra: &str, rb: &str| {
        json!({ "input": { "id": gid(Kind::Proposal, id), "units": [
            { "handlingUnitId": gid(Kind::HandlingUnit, a), "role": ra },
            { "handlingUnitId": gid(Kind::HandlingUnit, b), "role": rb }] } })
    };

    let two_leads = app.admin(assign, units("LEAD", "LEAD")).await;
    let sole_and_co = app.admin(assign, units("SOLE", "CO")).await;
    let good = app.ok(assign, units("LEAD", "CO")).await;

    assert_eq!((error_code(&two_leads), error_field(&two_leads)), ("BAD_USER_INPUT", "input.units"));
    assert_eq!(error_code(&sole_and_co), "BAD_USER_INPUT");
    let expected = chrono::Local::now().date_naive().checked_add_months(chrono::Months::new(3)).unwrap();
    assert_eq!(good["assignProposal"]["proposal"]["dueDate"], expected.to_string());
}

#[actix_web::test]
async fn flags_mark_key_and_excellent_proposals_and_filter_them() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let key = proposal(&app, m, "重点").await;
    drive(&app, key, 0, "ACCEPTED").await;
    let plain = proposal(&app, m, "普通").await;
    drive(&app, plain, 0, "ACCEPTED").await;
    let flag = "mutation($input: FlagProposalInput!) { flagProposal(input: $input) {
        proposal { keyProposal supervisingLeader excellent status latestAction { kind note } } } }";

    let flagged = app
        .ok(flag, json!({ "input": { "id": gid(Kind::Proposal, key), "keyProposal": true, "supervisingLeader": "张副主席", "excellent": true } }))
        .await;
    let listed = app.ok("{ proposals(filter: { keyProposal: true }) { nodes { title } } }", json!({})).await;

    let p = &flagged["flagProposal"]["proposal"];
    assert_eq!((p["keyProposal"].clone(), p["excellent"].clone()), (json!(true), json!(true)));
    assert_eq!(p["supervisingLeader"], "张副主席");
    assert_eq!(p["status"], "ACCEPTED", "flagging does not change the state");
    assert_eq!(p["latestAction"]["kind"], "FLAG");
    assert_eq!(listed["proposals"]["nodes"], json!([{ "title": "重点" }]));
}

const STATS: &str = "query($year: Int!) { proposalStatistics(year: $year) {
    submitted accepted notAccepted awaitingReview answered met feedbackReceived satisfied basicallySatisfied
    acceptanceRate answerRate metRate satisfiedRate overdue answeredOnTime
    resultClasses { resultClass label count share } } }";

#[actix_web::test]
async fn statistics_count_and_rate_a_year_in_sql_and_leave_converted_proposals_out() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let unit = handling_unit(&app, "区教育局").await;
    let (db, sys) = (&app.db, &Actor::System);
    let closed = proposal(&app, m, "办结").await;
    drive(&app, closed, unit, "CLOSED").await;
    let unmet = proposal(&app, m, "未见面").await;
    drive(&app, unmet, unit, "ASSIGNED").await;
    let answer = Answer {
        handling_unit_id: None,
        result_class: ResultClass::B,
        met_proposer: false,
        answered_on: None,
        summary: None,
    };
    ok(proposals::answer(db, sys, unmet, answer).await);
    let basically = proposal(&app, m, "基本满意").await;
    drive(&app, basically, unit, "ANSWERED").await;
    ok(proposals::record_feedback(db, sys, basically, FeedbackRating::BasicallySatisfied, None).await);
    let rejected = proposal(&app, m, "不予立案").await;
    drive(&app, rejected, unit, "NOT_ACCEPTED").await;
    proposal(&app, m, "待审查").await;
    let converted = proposal(&app, m, "转社情民意").await;
    drive(&app, converted, unit, "CONVERTED").await;

    let data = app.ok(STATS, json!({ "year": 2024 })).await;

    let s = &data["proposalStatistics"];
    assert_eq!(
        (&s["submitted"], &s["accepted"], &s["notAccepted"], &s["awaitingReview"]),
        (&json!(5), &json!(3), &json!(1), &json!(1))
    );
    assert_eq!((&s["answered"], &s["met"], &s["feedbackReceived"]), (&json!(3), &json!(2), &json!(2)));
    assert_eq!(s["acceptanceRate"], "0.6");
    assert_eq!(s["answerRate"], "1");
    assert_eq!(s["metRate"], "0.6667");
    assert_eq!(s["satisfiedRate"], "1");
    assert_eq!((&s["answeredOnTime"], &s["overdue"]), (&json!(3), &json!(0)));
    assert_eq!(
        s["resultClasses"][0],
        json!({ "resultClass": "A", "label": "A类（已解决或采纳）", "count": 2, "share": "0.6667" })
    );
    assert_eq!(s["resultClasses"][1]["count"], 1);
    let empty = app.ok(STATS, json!({ "year": 2020 })).await;
    assert_eq!(
        (&empty["proposalStatistics"]["submitted"], &empty["proposalStatistics"]["metRate"]),
        (&json!(0), &Value::Null)
    );
}

#[actix_web::test]
async fn result_class_labels_are_configurable() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let id = proposal(&app, m, "一").await;
    drive(&app, id, handling_unit(&app, "区教育局").await, "ANSWERED").await;
    let set = "mutation { setProposalResultClassLabel(input: { resultClass: A, label: \"A类：已采纳\" }) { resultClasses { resultClass label } } }";

    let labels = app.ok(set, json!({})).await;
    let read = app
        .ok("query($id: ID!) { proposal(id: $id) { resultClassLabel } }", json!({ "id": gid(Kind::Proposal, id) }))
        .await;

    assert_eq!(labels["setProposalResultClassLabel"]["resultClasses"][0]["label"], "A类：已采纳");
    assert_eq!(labels["setProposalResultClassLabel"]["resultClasses"][1]["label"], "B类（列入计划拟解决）");
    assert_eq!(read["proposal"]["resultClassLabel"], "A类：已采纳");
}

#[actix_web::test]
async fn proposals_filter_by_status_member_unit_and_overdue() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let a = member(&app, &o, MemberSpec::named("王芳")).await;
    let b = member(&app, &o, MemberSpec::named("李强")).await;
    let edu = handling_unit(&app, "区教育局").await;
    let fin = handling_unit(&app, "区财政局").await;
    let late = proposal(&app, a, "逾期").await;
    drive(&app, late, edu, "ASSIGNED").await;
    let on_time = proposal(&app, b, "按期").await;
    drive(&app, on_time, fin, "ASSIGNED").await;
    proposal(&app, b, "待审查").await;
    for entity_update in [proposal::Entity::update_many()
        .col_expr(proposal::Column::DueDate, Expr::value(date(2024, 6, 1)))
        .filter(proposal::Column::Id.eq(late))]
    {
        entity_update.exec(&app.db).await.unwrap();
    }
    let titles = |filter: Value| {
        let app = &app;
        async move {
            let q = "query($f: ProposalFilterInput) { proposals(filter: $f) { nodes { title overdue } } }";
            let data = app.ok(q, json!({ "f": filter })).await;
            data["proposals"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["title"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };

    assert_eq!(titles(json!({ "overdue": true })).await, ["逾期"]);
    assert_eq!(titles(json!({ "status": "SUBMITTED" })).await, ["待审查"]);
    assert_eq!(titles(json!({ "memberId": gid(Kind::Member, b) })).await, ["待审查", "按期"]);
    assert_eq!(titles(json!({ "handlingUnitId": gid(Kind::HandlingUnit, fin) })).await, ["按期"]);
    assert_eq!(titles(json!({ "year": 2023 })).await, Vec::<String>::new());
}

#[actix_web::test]
async fn member_proposals_lists_what_the_member_signed_by_year() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let a = member(&app, &o, MemberSpec::named("王芳")).await;
    let b = member(&app, &o, MemberSpec::named("李强")).await;
    proposal(&app, a, "甲").await;
    proposal(&app, b, "乙").await;
    let q = "query($id: ID!) { member(id: $id) { all: proposals { totalCount nodes { title } } y2023: proposals(year: 2023) { totalCount } } }";

    let data = app.ok(q, json!({ "id": gid(Kind::Member, a) })).await;

    assert_eq!(data["member"]["all"], json!({ "totalCount": 1, "nodes": [{ "title": "甲" }] }));
    assert_eq!(data["member"]["y2023"]["totalCount"], 0);
}

// ----- access per role -----

const LIST: &str = "{ proposals { nodes { title } } }";

fn titles_of(response: &Value) -> Vec<String> {
    response["data"]["proposals"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("no proposals in {response}"))
        .iter()
        .map(|n| n["title"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn a_member_submits_only_as_first_proposer_and_sees_only_their_own() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let me = member(&app, &o, MemberSpec::named("王芳")).await;
    let other = member(&app, &o, MemberSpec::named("李强")).await;
    let token = app.account("wangfang", Role::Member, Scope::Member(me)).await;
    let theirs = proposal(&app, other, "他人的提案").await;
    let as_first = json!([{ "memberId": gid(Kind::Member, me), "role": "FIRST" },
                          { "memberId": gid(Kind::Member, other), "role": "CO" }]);
    let as_co = json!([{ "memberId": gid(Kind::Member, other), "role": "FIRST" },
                       { "memberId": gid(Kind::Member, me), "role": "CO" }]);

    let mine = app.post(Some(&token), SUBMIT, json!({ "input": submit_input(as_first) })).await;
    let forged = app.post(Some(&token), SUBMIT, json!({ "input": submit_input(as_co) })).await;
    let list = app.post(Some(&token), LIST, json!({})).await;
    let hidden = app.post(Some(&token), STATE, json!({ "id": gid(Kind::Proposal, theirs) })).await;
    let review = app
        .post(Some(&token), REVIEW, json!({ "input": { "id": gid(Kind::Proposal, theirs), "decision": "ACCEPT" } }))
        .await;

    assert_eq!(mine["data"]["submitProposal"]["proposal"]["status"], "SUBMITTED", "{mine}");
    assert_eq!(error_code(&forged), "FORBIDDEN");
    assert_eq!(titles_of(&list), ["关于加强校园食品安全监管的建议"]);
    assert_eq!(hidden["data"]["node"], Value::Null);
    assert_eq!(error_code(&review), "FORBIDDEN");
}

#[actix_web::test]
async fn a_handling_unit_sees_and_answers_only_proposals_assigned_to_it() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let edu = handling_unit(&app, "区教育局").await;
    let fin = handling_unit(&app, "区财政局").await;
    let token = app.account("edu", Role::HandlingUnit, Scope::HandlingUnit(edu)).await;
    let mine = proposal(&app, m, "教育局的").await;
    drive(&app, mine, edu, "ASSIGNED").await;
    let shared = proposal(&app, m, "两家的").await;
    drive(&app, shared, edu, "ACCEPTED").await;
    let units = vec![
        UnitAssignment { handling_unit_id: fin, role: HandlingRole::Lead },
        UnitAssignment { handling_unit_id: edu, role: HandlingRole::Co },
    ];
    ok(proposals::assign(&app.db, &Actor::System, shared, units, None, None).await);
    let elsewhere = proposal(&app, m, "财政局的").await;
    drive(&app, elsewhere, fin, "ASSIGNED").await;
    let answer = "mutation($input: AnswerProposalInput!) { answerProposal(input: $input) { proposal { status } } }";

    let list = app.post(Some(&token), LIST, json!({})).await;
    let own = app
        .post(
            Some(&token),
            answer,
            json!({ "input": { "id": gid(Kind::Proposal, mine), "resultClass": "A", "metProposer": true } }),
        )
        .await;
    let for_other_unit = app
        .post(
            Some(&token),
            answer,
            json!({ "input": { "id": gid(Kind::Proposal, shared), "handlingUnitId": gid(Kind::HandlingUnit, fin), "resultClass": "A", "metProposer": true } }),
        )
        .await;
    let not_assigned = app
        .post(
            Some(&token),
            answer,
            json!({ "input": { "id": gid(Kind::Proposal, elsewhere), "resultClass": "A", "metProposer": true } }),
        )
        .await;

    assert_eq!(titles_of(&list), ["两家的", "教育局的"]);
    assert_eq!(own["data"]["answerProposal"]["proposal"]["status"], "ANSWERED", "{own}");
    assert_eq!(error_code(&for_other_unit), "FORBIDDEN");
    assert_eq!(error_code(&not_assigned), "NOT_FOUND");
    assert_eq!(state_of(&app, shared).await.0, "ASSIGNED");
}

#[actix_web::test]
async fn staff_read_proposals_viewers_get_statistics_only_and_only_the_office_manages() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let id = proposal(&app, m, "一").await;
    let committee = app.account("staff", Role::CommitteeStaff, Scope::Committee(o.proposals_committee)).await;
    let studio = app.account("studio", Role::StudioLead, Scope::Studio(o.town_studio)).await;
    let viewer = app.account("viewer", Role::Viewer, Scope::None).await;
    let office = app.account("office", Role::Office, Scope::None).await;
    let accept = json!({ "input": { "id": gid(Kind::Proposal, id), "decision": "RETURN" } });

    for token in [&committee, &studio] {
        assert_eq!(titles_of(&app.post(Some(token), LIST, json!({})).await), ["一"]);
        assert_eq!(error_code(&app.post(Some(token), REVIEW, accept.clone()).await), "FORBIDDEN");
    }
    let viewer_list = app.post(Some(&viewer), LIST, json!({})).await;
    let viewer_stats = app.post(Some(&viewer), STATS, json!({ "year": 2024 })).await;
    let anonymous = app.post(None, LIST, json!({})).await;
    let by_office = app.post(Some(&office), REVIEW, accept).await;

    assert_eq!(error_code(&viewer_list), "FORBIDDEN");
    assert_eq!(viewer_stats["data"]["proposalStatistics"]["submitted"], 1);
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    assert_eq!(by_office["data"]["reviewProposal"]["proposal"]["status"], "RETURNED");
}

#[actix_web::test]
async fn feedback_is_given_by_the_first_proposer_or_the_office() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let me = member(&app, &o, MemberSpec::named("王芳")).await;
    let other = member(&app, &o, MemberSpec::named("李强")).await;
    let unit = handling_unit(&app, "区教育局").await;
    let mine = proposal(&app, me, "我的").await;
    drive(&app, mine, unit, "ANSWERED").await;
    let theirs = proposal(&app, other, "他的").await;
    drive(&app, theirs, unit, "ANSWERED").await;
    let token = app.account("wangfang", Role::Member, Scope::Member(me)).await;
    let feedback = "mutation($input: ProposalFeedbackInput!) { recordProposalFeedback(input: $input) { proposal { status feedbackLabel } } }";

    let own = app
        .post(Some(&token), feedback, json!({ "input": { "id": gid(Kind::Proposal, mine), "rating": "SATISFIED" } }))
        .await;
    let other_one = app
        .post(Some(&token), feedback, json!({ "input": { "id": gid(Kind::Proposal, theirs), "rating": "SATISFIED" } }))
        .await;

    assert_eq!(
        own["data"]["recordProposalFeedback"]["proposal"],
        json!({ "status": "FEEDBACK", "feedbackLabel": "满意" })
    );
    assert_eq!(error_code(&other_one), "NOT_FOUND", "another member's proposal is not visible");
}

// ----- performance -----

const NESTED: &str = "query($n: Int!) { proposals(first: $n) { nodes { title
    signers { role member { name } } assignments { role handlingUnit { name } } latestAction { kind } } } }";

#[actix_web::test]
async fn statement_count_of_a_nested_proposal_page_does_not_depend_on_its_size() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let people = members(&app, &o, 6).await;
    let units = [handling_unit(&app, "区教育局").await, handling_unit(&app, "区财政局").await];
    for i in 0..55 {
        let id = proposal(&app, people[i % people.len()], &format!("提案{i:02}")).await;
        ok(proposals::review(&app.db, &Actor::System, id, Review::Accept, None).await);
        let assign = vec![
            UnitAssignment { handling_unit_id: units[0], role: HandlingRole::Lead },
            UnitAssignment { handling_unit_id: units[1], role: HandlingRole::Co },
        ];
        ok(proposals::assign(&app.db, &Actor::System, id, assign, None, None).await);
    }

    let before = app.statements();
    let ten = app.ok(NESTED, json!({ "n": 10 })).await;
    let for_ten = app.statements() - before;
    let before = app.statements();
    let fifty = app.ok(NESTED, json!({ "n": 50 })).await;
    let for_fifty = app.statements() - before;

    assert_eq!(ten["proposals"]["nodes"].as_array().unwrap().len(), 10);
    assert_eq!(fifty["proposals"]["nodes"].as_array().unwrap().len(), 50);
    assert_eq!(fifty["proposals"]["nodes"][49]["assignments"][1]["handlingUnit"]["name"], "区财政局");
    assert_eq!(for_ten, for_fifty, "statements for 10 proposals: {for_ten}, for 50: {for_fifty}");
    assert!(for_ten <= 12, "a nested page should take a handful of statements, took {for_ten}");
}

// ----- the demo -----

#[actix_web::test]
async fn the_demo_has_the_2023_proposal_figures_of_the_year_in_review() {
    let app = TestApp::new().await;
    lvzhi::seed::demo(&app.db).await.map_err(|e| e.message()).unwrap();

    let figures = ok(proposals::year_figures(&app.db, 2023).await);
    let stats_2024 = app.ok(STATS, json!({ "year": 2024 })).await;

    assert_eq!((figures.submitted, figures.accepted, figures.answered), (48, 48, 48));
    assert_eq!((figures.met_rate.to_string(), figures.satisfied_rate.to_string()), ("1".to_owned(), "1".to_owned()));
    let s = &stats_2024["proposalStatistics"];
    assert!(s["notAccepted"].as_i64().unwrap() >= 1, "{s}");
    assert!(s["overdue"].as_i64().unwrap() >= 1, "{s}");
    let statuses = app.ok("{ proposals(filter: { year: 2024 }, first: 100) { nodes { status } } }", json!({})).await;
    let mut seen: Vec<&str> =
        statuses["proposals"]["nodes"].as_array().unwrap().iter().map(|n| n["status"].as_str().unwrap()).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 10, "2024 has proposals in every state: {seen:?}");
}

const MEMBER_RECORDS: &str = "query($n: Int) { members(first: $n) { nodes { name
    proposals(first: 2) { totalCount pageInfo { hasNextPage } nodes { title signers { member { name } } } }
    opinionReports { totalCount nodes { title } } } } }";

#[actix_web::test]
async fn statement_count_of_members_with_their_proposals_does_not_depend_on_the_page_size() {
    let app = TestApp::new().await;
    let o = crate::fixtures::org(&app).await;
    let ids = crate::fixtures::members(&app, &o, 20).await;
    for (i, &member) in ids.iter().enumerate() {
        for n in 0..3 {
            crate::fixtures::proposal(&app, member, &format!("建议{i:02}-{n}")).await;
        }
    }

    let before = app.statements();
    let five = app.ok(MEMBER_RECORDS, json!({ "n": 5 })).await;
    let for_five = app.statements() - before;
    let before = app.statements();
    let twenty = app.ok(MEMBER_RECORDS, json!({ "n": 20 })).await;
    let for_twenty = app.statements() - before;

    let last = &twenty["members"]["nodes"][19];
    assert_eq!(five["members"]["nodes"].as_array().unwrap().len(), 5);
    assert_eq!(last["proposals"]["totalCount"], 3);
    assert_eq!(last["proposals"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(last["proposals"]["nodes"][0]["title"], "建议19-2");
    assert_eq!(last["proposals"]["nodes"][0]["signers"][0]["member"]["name"], "委员019");
    assert_eq!(last["opinionReports"]["totalCount"], 0);
    assert_eq!(for_five, for_twenty, "statements for 5 members: {for_five}, for 20: {for_twenty}");
}
