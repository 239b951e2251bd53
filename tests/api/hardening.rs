//! What protects the server and its data: the audit log, masked internal errors, request
//! limits and sign-in throttling.

use std::net::SocketAddr;

use actix_web::test::TestRequest;
use entity::enums::Role;
use lvzhi::{
    account::throttle::{MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_USERNAME},
    config::{ApiConfig, ServerConfig},
    relay::Kind,
    server::{AppState, routes},
};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, gid, member, org},
    helpers::{PASSWORD, Scope, TestApp, error_code, error_field},
};

const AUDIT: &str = "query($f: AuditFilterInput) { auditLog(filter: $f) { totalCount nodes { actor operation entity entityId before after } } }";

#[actix_web::test]
async fn every_change_is_in_the_audit_log_with_the_values_before_and_after() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec { phone: Some("13900000001".into()), ..MemberSpec::named("王芳") }).await;

    app.ok(
        "mutation($id: ID!) { updateMember(input: { id: $id, name: \"王芳芳\" }) { member { name } } }",
        json!({ "id": gid(Kind::Member, m) }),
    )
    .await;
    let log = app.ok(AUDIT, json!({ "f": { "entity": "member", "entityId": m } })).await;

    let entries = log["auditLog"]["nodes"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "the creation and the change: {log:#}");
    let change = &entries[0];
    assert_eq!((change["actor"].as_str(), change["operation"].as_str()), (Some("admin"), Some("updateMember")));
    assert_eq!(change["before"]["name"], "王芳");
    assert_eq!(change["after"]["name"], "王芳芳");
    assert_eq!(entries[1]["operation"], "createMember");
    assert_eq!(entries[1]["before"], Value::Null);
}

#[actix_web::test]
async fn the_audit_log_never_holds_password_hashes_and_only_admin_and_office_read_it() {
    let app = TestApp::new().await;
    let office = app.account("office", Role::Office, Scope::None).await;
    let viewer = app.account("viewer", Role::Viewer, Scope::None).await;

    let by_office = app.post(Some(&office), AUDIT, json!({ "f": { "entity": "account" } })).await;
    let by_viewer = app.post(Some(&viewer), AUDIT, json!({})).await;

    let accounts = by_office["data"]["auditLog"]["nodes"].as_array().unwrap();
    assert_eq!(accounts.len(), 3);
    assert!(accounts.iter().all(|e| e["after"].get("password_hash").is_none() && e["after"]["username"].is_string()));
    assert_eq!(error_code(&by_viewer), "FORBIDDEN");
}

#[actix_web::test]
async fn the_audit_log_is_append_only_in_the_database_itself() {
    let app = TestApp::new().await;
    org(&app).await;

    let update = app.db.execute_unprepared("UPDATE audit_log SET actor = 'someone else'").await;
    let delete = app.db.execute_unprepared("DELETE FROM audit_log").await;

    assert!(update.is_err(), "an UPDATE of the audit log must fail");
    assert!(delete.is_err(), "a DELETE from the audit log must fail");
    let log = app.ok("{ auditLog { totalCount } }", json!({})).await;
    assert!(log["auditLog"]["totalCount"].as_i64().unwrap() > 0);
}

#[actix_web::test]
async fn a_rejected_change_leaves_no_audit_entry_and_no_row() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let before = app.ok("{ auditLog { totalCount } }", json!({})).await["auditLog"]["totalCount"].clone();

    let response = app
        .admin(
            "mutation($m: ID!, $c: ID!) { assignCommittee(input: { memberId: $m, specialCommitteeId: $c, startDate: \"2022-01-01\" }) { committeeMembership { id } } }",
            json!({ "m": gid(Kind::Member, 404), "c": gid(Kind::SpecialCommittee, o.proposals_committee) }),
        )
        .await;

    assert_eq!(error_code(&response), "BAD_USER_INPUT");
    let after = app.ok("{ auditLog { totalCount } }", json!({})).await["auditLog"]["totalCount"].clone();
    assert_eq!(before, after);
}

#[actix_web::test]
async fn internal_errors_are_masked_and_carry_a_request_id() {
    let app = TestApp::new().await;
    app.db.execute_unprepared("ALTER TABLE handling_unit RENAME TO handling_unit_gone").await.unwrap();

    let response = app.admin("{ handlingUnits { name } }", json!({})).await;

    let error = &response["errors"][0];
    assert_eq!(error["message"], "internal server error");
    assert_eq!(error["extensions"]["code"], "INTERNAL_SERVER_ERROR");
    assert!(error["extensions"]["requestId"].as_str().is_some_and(|id| id.len() == 16));
    assert!(!response.to_string().to_lowercase().contains("select"), "no SQL may reach the client: {response}");
}

/// The terms, read signed in through the whole stack (HTTP, schema, database): what every
/// limit test asks after its refusal, to show that the server still answers.
async fn terms(app: &TestApp) -> Value {
    let data = app.ok("{ terms { id name } }", json!({})).await;
    data["terms"].clone()
}

/// Arranges an organisation and returns its terms as the server answers them before any bomb.
async fn terms_before(app: &TestApp) -> Value {
    org(app).await;
    let terms = terms(app).await;
    assert_eq!(terms.as_array().map(Vec::len), Some(2), "{terms}");
    terms
}

/// The message of the first error of a response.
fn message(response: &Value) -> &str {
    response["errors"][0]["message"].as_str().unwrap_or("<no message>")
}

#[actix_web::test]
async fn a_depth_bomb_is_refused_and_the_server_still_answers() {
    let app = TestApp::new().await;
    let before = terms_before(&app).await;
    let mut query = String::from("name");
    for _ in 0..20 {
        query = format!("parent {{ {query} }}");
    }
    let bomb = format!("{{ regions {{ {query} }} }}");

    let refused = app.admin(&bomb, json!({})).await;

    assert_eq!(error_code(&refused), "BAD_USER_INPUT");
    assert!(message(&refused).contains("nested too deep"), "{refused}");
    assert_eq!(terms(&app).await, before);
}

#[actix_web::test]
async fn an_alias_bomb_is_refused_and_the_server_still_answers() {
    let app = TestApp::new().await;
    let before = terms_before(&app).await;
    let fields: Vec<String> = (0..200).map(|i| format!("a{i}: terms {{ name }}")).collect();
    let bomb = format!("{{ {} }}", fields.join(" "));

    let refused = app.admin(&bomb, json!({})).await;

    assert_eq!(error_code(&refused), "BAD_USER_INPUT");
    assert!(message(&refused).contains("200 aliases"), "{refused}");
    assert_eq!(terms(&app).await, before);
}

#[actix_web::test]
async fn a_huge_page_and_an_expensive_nesting_are_refused_and_the_server_still_answers() {
    let app = TestApp::new().await;
    let before = terms_before(&app).await;

    let huge = app.admin("{ members(first: 100000) { nodes { name } } }", json!({})).await;
    let after_huge = terms(&app).await;
    let page = "nodes { name pinyin gender genderLabel ethnicity createdAt updatedAt seats { startDate endDate status statusLabel } }";
    let roots: Vec<String> = (0..20).map(|i| format!("m{i}: members(first: 100) {{ {page} }}")).collect();
    let complex = app.admin(&format!("{{ {} }}", roots.join(" ")), json!({})).await;
    let after_complex = terms(&app).await;

    assert_eq!((error_code(&huge), error_field(&huge)), ("BAD_USER_INPUT", "first"), "{huge}");
    assert_eq!(after_huge, before);
    assert_eq!(error_code(&complex), "BAD_USER_INPUT");
    assert!(message(&complex).contains("complex"), "{complex}");
    assert_eq!(after_complex, before);
}

#[actix_web::test]
async fn a_nested_connection_costs_its_page_size_times_the_outer_page() {
    let app = TestApp::new().await;
    // Three nested pages: 10 × 10 × 10 rows pass; 100 × 100 × 100 cost a million and are refused.
    let activities = |n: u32| {
        format!(
            "{{ activities(first: {n}) {{ nodes {{ participants(first: {n}) {{ nodes {{ member {{ participations(first: {n}) {{ nodes {{ id }} }} }} }} }} }} }} }}"
        )
    };
    let participations = |n: u32| {
        format!(
            "{{ members(first: {n}) {{ nodes {{ participations(first: {n}) {{ nodes {{ activity {{ participants(first: {n}) {{ nodes {{ id }} }} }} }} }} }} }} }}"
        )
    };

    let small = [app.admin(&activities(10), json!({})).await, app.admin(&participations(10), json!({})).await];
    let large = [app.admin(&activities(100), json!({})).await, app.admin(&participations(100), json!({})).await];

    for response in &small {
        assert!(response.get("errors").is_none(), "10 × 10 × 10 rows are allowed: {response}");
    }
    for response in &large {
        assert_eq!(error_code(response), "BAD_USER_INPUT", "{response}");
        assert!(message(response).contains("complex"), "100 × 100 × 100 rows are too complex: {response}");
    }
}

#[actix_web::test]
async fn more_root_fields_than_the_cap_are_refused_however_they_are_written() {
    let app = TestApp::new().await;
    let fields = |n: usize| (0..n).map(|i| format!("t{i}: terms {{ id }}")).collect::<Vec<_>>().join(" ");
    let cap = lvzhi::config::DEFAULT_MAX_ROOT_FIELDS;

    let at_cap = app.admin(&format!("{{ ... on Query {{ {} }} }}", fields(cap)), json!({})).await;
    let written = [
        format!("{{ {} }}", fields(cap + 1)),
        format!("{{ ... on Query {{ {} }} }}", fields(cap + 1)),
        format!("{{ t: terms {{ id }} ...Roots }} fragment Roots on Query {{ {} }}", fields(cap)),
        format!(
            "{{ ...A }} fragment A on Query {{ {} ...B }} fragment B on Query {{ {} }}",
            fields(cap / 2),
            (0..=cap / 2).map(|i| format!("u{i}: sectors {{ id }}")).collect::<Vec<_>>().join(" ")
        ),
    ];

    assert!(at_cap.get("errors").is_none(), "{at_cap}");
    for query in &written {
        let refused = app.admin(query, json!({})).await;
        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{query}: {refused}");
        assert!(message(&refused).contains("root fields"), "{query}: {refused}");
    }
}

#[actix_web::test]
async fn batches_and_oversized_bodies_are_refused_and_the_server_still_answers() {
    let app = TestApp::new().await;
    let before = terms_before(&app).await;
    let batch: Vec<Value> = (0..1000).map(|_| json!({ "query": "{ terms { name } }" })).collect();
    let huge = format!("{{\"query\": \"{{ terms {{ name }} }}\", \"padding\": \"{}\"}}", "x".repeat(10 * 1024 * 1024));

    let (batch_status, _, batch_body) = app
        .raw(
            TestRequest::post()
                .uri("/graphql")
                .insert_header(("authorization", format!("Bearer {}", app.admin)))
                .set_json(batch),
        )
        .await;
    let after_batch = terms(&app).await;
    let (huge_status, _, huge_body) = app
        .raw(
            TestRequest::post()
                .uri("/graphql")
                .insert_header(("authorization", format!("Bearer {}", app.admin)))
                .insert_header(("content-type", "application/json"))
                .set_payload(huge),
        )
        .await;
    let after_huge = terms(&app).await;

    let batch_body: Value = serde_json::from_str(&batch_body).unwrap();
    assert_eq!((batch_status, error_code(&batch_body)), (400, "BAD_REQUEST"), "{batch_body}");
    assert!(message(&batch_body).contains("batched requests are not accepted"), "{batch_body}");
    assert_eq!(after_batch, before);
    let huge_body: Value = serde_json::from_str(&huge_body).unwrap();
    assert_eq!((huge_status, error_code(&huge_body)), (413, "PAYLOAD_TOO_LARGE"), "{huge_body}");
    assert_eq!(message(&huge_body), "the request body is larger than 1048576 bytes");
    assert_eq!(after_huge, before);
}

#[actix_web::test]
async fn production_mode_answers_no_introspection_and_no_field_suggestions() {
    let app = TestApp::new().await;
    let config =
        ServerConfig { bind: "127.0.0.1:0".parse().unwrap(), demo: false, production: true, api: ApiConfig::default() };
    let server = actix_web::test::init_service(
        actix_web::App::new().configure(routes(AppState::for_server(app.db.clone(), &config))),
    )
    .await;
    let ask = |query: &str| {
        TestRequest::post()
            .uri("/graphql")
            .insert_header(("authorization", format!("Bearer {}", app.admin)))
            .set_json(json!({ "query": query }))
            .to_request()
    };

    let introspection: Value =
        actix_web::test::call_and_read_body_json(&server, ask("{ __schema { queryType { name } } }")).await;
    let typo: Value = actix_web::test::call_and_read_body_json(&server, ask("{ termz { name } }")).await;
    let real: Value = actix_web::test::call_and_read_body_json(&server, ask("{ terms { name } }")).await;

    assert_eq!(introspection, json!({ "data": { "__schema": null } }));
    assert_eq!(error_code(&typo), "BAD_USER_INPUT");
    assert!(!message(&typo).contains("terms"), "no suggestion of the real field: {typo}");
    assert_eq!(real["data"]["terms"], json!([]), "{real}");
}

#[actix_web::test]
async fn repeated_failed_sign_ins_are_throttled_even_with_the_right_password() {
    let app = TestApp::new().await;
    app.account("office", Role::Office, Scope::None).await;
    let login = "mutation($p: String!) { login(input: { username: \"office\", password: $p }) { token } }";
    for _ in 0..5 {
        let wrong = app.post(None, login, json!({ "p": "wrong password" })).await;
        assert_eq!(error_code(&wrong), "UNAUTHENTICATED");
    }

    let right = app.post(None, login, json!({ "p": PASSWORD })).await;

    assert_eq!(error_code(&right), "UNAUTHENTICATED");
    assert!(right["errors"][0]["message"].as_str().unwrap().contains("too many"));
}

#[actix_web::test]
async fn a_burst_of_parallel_wrong_sign_ins_checks_no_more_passwords_than_the_limit() {
    let app = TestApp::new().await;
    app.account("office", Role::Office, Scope::None).await;
    let login = "mutation { login(input: { username: \"office\", password: \"wrong password\" }) { token } }";

    let responses = futures_util::future::join_all((0..20).map(|_| app.post(None, login, json!({})))).await;

    assert!(responses.iter().all(|r| error_code(r) == "UNAUTHENTICATED"), "{responses:#?}");
    let wrong = responses.iter().filter(|r| message(r) == "wrong username or password").count();
    let throttled = responses.iter().filter(|r| message(r).starts_with("too many failed sign-ins")).count();
    assert_eq!((wrong, throttled), (MAX_FAILURES_PER_USERNAME, 20 - MAX_FAILURES_PER_USERNAME), "{responses:#?}");
}

#[actix_web::test]
async fn failed_sign_ins_from_one_address_throttle_it_across_usernames() {
    let app = TestApp::new().await;
    app.account("office", Role::Office, Scope::None).await;
    let (attacker, colleague) = ([203, 0, 113, 7], [203, 0, 113, 8]);
    let login = |username: &str, password: &str, from: [u8; 4]| {
        TestRequest::post().uri("/graphql").peer_addr(SocketAddr::from((from, 50000))).set_json(json!({
            "query": "mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { token } }",
            "variables": { "u": username, "p": password },
        }))
    };
    let guesses =
        (0..MAX_FAILURES_PER_ADDRESS).map(|i| app.raw(login(&format!("guess{i}"), "wrong password", attacker)));
    let guesses = futures_util::future::join_all(guesses).await;

    let (_, _, from_attacker) = app.raw(login("office", PASSWORD, attacker)).await;
    let (_, _, from_colleague) = app.raw(login("office", PASSWORD, colleague)).await;

    assert!(guesses.iter().all(|(_, _, body)| body.contains("wrong username or password")), "{guesses:#?}");
    let from_attacker: Value = serde_json::from_str(&from_attacker).unwrap();
    assert_eq!(error_code(&from_attacker), "UNAUTHENTICATED");
    assert!(message(&from_attacker).starts_with("too many failed sign-ins"), "{from_attacker}");
    let from_colleague: Value = serde_json::from_str(&from_colleague).unwrap();
    assert!(from_colleague["data"]["login"]["token"].is_string(), "{from_colleague}");
}

// ----- the audit log of duty records, proposals and public-opinion reports -----

/// The entries on one record, newest first.
async fn audit_of(app: &TestApp, entity: &str, id: i64) -> Vec<Value> {
    let log = app.ok(AUDIT, json!({ "f": { "entity": entity, "entityId": id } })).await;
    log["auditLog"]["nodes"].as_array().unwrap().clone()
}

fn id_of(global: &Value) -> i64 {
    let (_, id) = lvzhi::relay::decode_any(&async_graphql::ID(global.as_str().unwrap().to_owned())).unwrap();
    id
}

#[actix_web::test]
async fn record_activity_logs_the_activity_and_its_participants() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let a = member(&app, &o, MemberSpec::named("王芳")).await;
    let b = member(&app, &o, MemberSpec::named("李强")).await;
    let input = json!({ "input": { "title": "专题协商会", "kind": "CONSULTATION", "startDate": "2024-05-10",
        "participants": [{ "memberId": gid(Kind::Member, a) }, { "memberId": gid(Kind::Member, b), "attendance": "EXCUSED" }] } });

    let data = app
        .ok("mutation($input: RecordActivityInput!) { recordActivity(input: $input) { activity { id } } }", input)
        .await;
    let id = id_of(&data["recordActivity"]["activity"]["id"]);

    let activity = audit_of(&app, "activity", id).await;
    assert_eq!(activity.len(), 1, "{activity:#?}");
    assert_eq!(
        (activity[0]["actor"].as_str(), activity[0]["operation"].as_str()),
        (Some("admin"), Some("recordActivity"))
    );
    assert_eq!(activity[0]["before"], Value::Null);
    assert_eq!(activity[0]["after"]["title"], "专题协商会");
    let participants = audit_of(&app, "activity_participants", id).await;
    assert_eq!(participants.len(), 1);
    let rows = participants[0]["after"].as_array().unwrap();
    assert_eq!(rows.iter().map(|r| r["member_id"].as_i64().unwrap()).collect::<Vec<_>>(), vec![a, b]);
    assert_eq!(rows[1]["attendance"], "EXCUSED");
}

#[actix_web::test]
async fn a_rejected_record_activity_writes_no_audit_entry() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let a = member(&app, &o, MemberSpec::named("王芳")).await;
    let before = app.ok("{ auditLog { totalCount } }", json!({})).await["auditLog"]["totalCount"].clone();
    let input = json!({ "input": { "title": "专题协商会", "kind": "CONSULTATION", "startDate": "2024-05-10",
        "participants": [{ "memberId": gid(Kind::Member, a) }, { "memberId": gid(Kind::Member, 404) }] } });

    let response = app
        .admin("mutation($input: RecordActivityInput!) { recordActivity(input: $input) { activity { id } } }", input)
        .await;

    assert_eq!(error_code(&response), "BAD_USER_INPUT");
    let after = app.ok("{ auditLog { totalCount } }", json!({})).await["auditLog"]["totalCount"].clone();
    assert_eq!(before, after);
}

#[actix_web::test]
async fn a_proposal_transition_logs_the_proposal_before_and_after() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let p = crate::fixtures::proposal(&app, m, "关于校园食品安全的建议").await;

    app.ok(
        "mutation($id: ID!) { reviewProposal(input: { id: $id, decision: ACCEPT }) { proposal { status } } }",
        json!({ "id": gid(Kind::Proposal, p) }),
    )
    .await;

    let entries = audit_of(&app, "proposal", p).await;
    assert_eq!(entries.len(), 2, "the submission and the review: {entries:#?}");
    let review = &entries[0];
    assert_eq!((review["actor"].as_str(), review["operation"].as_str()), (Some("admin"), Some("reviewProposal")));
    assert_eq!(
        (review["before"]["status"].as_str(), review["after"]["status"].as_str()),
        (Some("SUBMITTED"), Some("ACCEPTED"))
    );
    assert_eq!(review["before"]["serial_number"], Value::Null);
    assert_eq!(review["after"]["serial_number"], "2024-001");
    assert_eq!((entries[1]["operation"].as_str(), &entries[1]["before"]), (Some("submitProposal"), &Value::Null));
}

#[actix_web::test]
async fn an_opinion_adoption_logs_the_adoption_and_the_report_before_and_after() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let submitted = app
        .ok(
            "mutation($m: ID!) { submitOpinionReport(input: { authors: [{ memberId: $m, role: FIRST }], title: \"关于充电安全的建议\", body: \"正文\", submittedOn: \"2024-05-06\" }) { opinionReport { id } } }",
            json!({ "m": gid(Kind::Member, m) }),
        )
        .await;
    let id = submitted["submitOpinionReport"]["opinionReport"]["id"].clone();

    app.ok(
        "mutation($id: ID!) { recordOpinionAdoption(input: { id: $id, level: CITY, adoptedOn: \"2024-06-01\" }) { opinionReport { status } } }",
        json!({ "id": id }),
    )
    .await;

    let report = audit_of(&app, "opinion_report", id_of(&id)).await;
    assert_eq!(report.len(), 2, "{report:#?}");
    assert_eq!(report[0]["operation"], "recordOpinionAdoption");
    assert_eq!(
        (report[0]["before"]["status"].as_str(), report[0]["after"]["status"].as_str()),
        (Some("SUBMITTED"), Some("ADOPTED"))
    );
    let log = app.ok(AUDIT, json!({ "f": { "entity": "opinion_adoption" } })).await;
    let adoption = &log["auditLog"]["nodes"][0];
    assert_eq!(
        (adoption["after"]["level"].as_str(), adoption["after"]["adopted_on"].as_str()),
        (Some("CITY"), Some("2024-06-01"))
    );
    assert_eq!(adoption["after"]["report_id"], id_of(&id));
}

#[actix_web::test]
async fn confirming_a_duty_item_logs_it_before_and_after() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let submitted = app
        .ok(
            "mutation($m: ID!) { submitDutyItem(input: { memberId: $m, kind: SPEECH, title: \"大会发言\", date: \"2024-03-01\" }) { dutyItem { id } } }",
            json!({ "m": gid(Kind::Member, m) }),
        )
        .await;
    let id = submitted["submitDutyItem"]["dutyItem"]["id"].clone();

    app.ok(
        "mutation($id: ID!) { confirmDutyItem(input: { id: $id, note: \"属实\" }) { dutyItem { status } } }",
        json!({ "id": id }),
    )
    .await;

    let entries = audit_of(&app, "duty_item", id_of(&id)).await;
    assert_eq!(entries.len(), 2, "{entries:#?}");
    let confirm = &entries[0];
    assert_eq!((confirm["actor"].as_str(), confirm["operation"].as_str()), (Some("admin"), Some("confirmDutyItem")));
    assert_eq!(
        (confirm["before"]["status"].as_str(), confirm["after"]["status"].as_str()),
        (Some("SUBMITTED"), Some("CONFIRMED"))
    );
    assert_eq!(
        (confirm["before"]["review_note"].clone(), confirm["after"]["review_note"].clone()),
        (Value::Null, json!("属实"))
    );
    assert_eq!(entries[1]["operation"], "submitDutyItem");
}

// ----- how the audit log spells enum values -----

#[actix_web::test]
async fn audit_entries_spell_enum_values_as_the_api_does() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let p = crate::fixtures::proposal(&app, m, "关于校园食品安全的建议").await;

    let reviewed = app
        .ok(
            "mutation($id: ID!) { reviewProposal(input: { id: $id, decision: ACCEPT }) { proposal { status kind } } }",
            json!({ "id": gid(Kind::Proposal, p) }),
        )
        .await;

    let review = &audit_of(&app, "proposal", p).await[0];
    let api = &reviewed["reviewProposal"]["proposal"];
    assert_eq!((api["status"].as_str(), api["kind"].as_str()), (Some("ACCEPTED"), Some("REGULAR")));
    assert_eq!((&review["after"]["status"], &review["after"]["kind"]), (&api["status"], &api["kind"]));
}

/// The values of `E` that serialise (into the audit log) otherwise than the API names them or
/// the database stores them.
fn spelled_alike<E>() -> Vec<String>
where
    E: async_graphql::EnumType + sea_orm::ActiveEnum<Value = String> + serde::Serialize,
{
    E::items()
        .iter()
        .filter_map(|item| {
            let serialised = serde_json::to_value(item.value).unwrap();
            let stored = item.value.to_value();
            (serialised != json!(item.name) || stored != item.name).then(|| {
                format!("{}: API {}, audit {serialised}, stored {stored}", std::any::type_name::<E>(), item.name)
            })
        })
        .collect()
}

#[test]
fn every_enum_value_is_spelled_alike_in_the_api_the_audit_log_and_the_database() {
    use entity::enums::*;
    let mismatches: Vec<String> = [
        spelled_alike::<Gender>(),
        spelled_alike::<Party>(),
        spelled_alike::<SeatStatus>(),
        spelled_alike::<LeadershipPost>(),
        spelled_alike::<CommitteeRole>(),
        spelled_alike::<RegionLevel>(),
        spelled_alike::<StudioKind>(),
        spelled_alike::<StudioRole>(),
        spelled_alike::<GroupKind>(),
        spelled_alike::<GroupRole>(),
        spelled_alike::<Role>(),
        spelled_alike::<ProposalKind>(),
        spelled_alike::<ProposerType>(),
        spelled_alike::<SignerRole>(),
        spelled_alike::<ProposalStatus>(),
        spelled_alike::<NotAcceptedReason>(),
        spelled_alike::<HandlingRole>(),
        spelled_alike::<AssignmentStatus>(),
        spelled_alike::<ResultClass>(),
        spelled_alike::<FeedbackRating>(),
        spelled_alike::<ProposalActionKind>(),
        spelled_alike::<OpinionStatus>(),
        spelled_alike::<AdoptionLevel>(),
        spelled_alike::<InstructionLevel>(),
        spelled_alike::<ActivityKind>(),
        spelled_alike::<ActivitySubkind>(),
        spelled_alike::<ActivityStatus>(),
        spelled_alike::<OrganiserKind>(),
        spelled_alike::<Attendance>(),
        spelled_alike::<ParticipationRole>(),
        spelled_alike::<TrainingKind>(),
        spelled_alike::<DutyItemKind>(),
        spelled_alike::<DutyItemStatus>(),
        spelled_alike::<AssessmentScale>(),
        spelled_alike::<RuleSource>(),
        spelled_alike::<TrainingMeasure>(),
        spelled_alike::<ProposalMilestone>(),
        spelled_alike::<OpinionMilestone>(),
        spelled_alike::<RulePer>(),
        spelled_alike::<SplitMode>(),
        spelled_alike::<AppliesTo>(),
        spelled_alike::<Grade>(),
        spelled_alike::<RunStatus>(),
        spelled_alike::<ConsequenceFlag>(),
        spelled_alike::<Cohort>(),
        spelled_alike::<PlanItemType>(),
        spelled_alike::<PlanItemStatus>(),
        spelled_alike::<PlanStage>(),
        spelled_alike::<PlanItemState>(),
        spelled_alike::<TargetKind>(),
    ]
    .concat();

    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

/// The WebSocket endpoint runs its own schema (with the shape limits as an extension), but the
/// sign-in throttle is one: guesses sent over a WebSocket count against the HTTP endpoint too.
#[actix_web::test]
async fn failed_sign_ins_over_the_websocket_schema_throttle_http_sign_ins_too() {
    let app = TestApp::new().await;
    app.account("office", Role::Office, Scope::None).await;
    let login = "mutation($p: String!) { login(input: { username: \"office\", password: $p }) { token } }";
    for _ in 0..MAX_FAILURES_PER_USERNAME {
        let request = async_graphql::Request::new(login)
            .variables(async_graphql::Variables::from_json(json!({ "p": "wrong password" })))
            .data(lvzhi::auth::Actor::Anonymous)
            .data(lvzhi::loader::Loaders::new(&app.db));
        let response = app.state.ws_schema.execute(request).await;
        assert_eq!(response.errors.first().map(|e| e.message.as_str()), Some("wrong username or password"));
    }

    let right = app.post(None, login, json!({ "p": PASSWORD })).await;

    assert_eq!(error_code(&right), "UNAUTHENTICATED");
    assert!(right["errors"][0]["message"].as_str().unwrap().contains("too many"), "{right}");
}

/// Documents sent over a WebSocket do not pass the HTTP handler's shape check: the WebSocket
/// schema checks aliases and root fields itself.
#[actix_web::test]
async fn the_websocket_schema_refuses_alias_bombs_and_too_many_root_fields_too() {
    let app = TestApp::new().await;
    let aliases: Vec<String> = (0..200).map(|i| format!("a{i}: terms {{ name }}")).collect();
    // 25 aliases pass the alias cap (30) and exceed the root-field cap (20).
    let roots: Vec<String> = (0..25).map(|i| format!("r{i}: __typename")).collect();
    for (document, expected) in
        [(format!("{{ {} }}", aliases.join(" ")), "200 aliases"), (format!("{{ {} }}", roots.join(" ")), "root fields")]
    {
        let request = async_graphql::Request::new(document)
            .data(lvzhi::auth::Actor::Anonymous)
            .data(lvzhi::loader::Loaders::new(&app.db));
        let response = app.state.ws_schema.execute(request).await;

        let error = response.errors.first().expect("refused");
        assert!(error.message.contains(expected), "{}", error.message);
        let code = error.extensions.as_ref().and_then(|e| e.get("code")).cloned();
        assert_eq!(code, Some(async_graphql::Value::from("BAD_USER_INPUT")));
    }
}
