//! What protects the server and its data: the audit log, masked internal errors, request
//! limits and sign-in throttling.

use actix_web::test::TestRequest;
use entity::enums::Role;
use lvzhi::relay::Kind;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, gid, member, org},
    helpers::{PASSWORD, Scope, TestApp, error_code},
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

#[actix_web::test]
async fn a_depth_bomb_is_refused_and_the_server_still_answers() {
    let app = TestApp::new().await;
    let mut query = String::from("name");
    for _ in 0..20 {
        query = format!("parent {{ {query} }}");
    }
    let bomb = format!("{{ regions {{ {query} }} }}");

    let refused = app.admin(&bomb, json!({})).await;
    let after = app.admin("{ terms { name } }", json!({})).await;

    assert_eq!(error_code(&refused), "BAD_USER_INPUT");
    assert!(refused["errors"][0]["message"].as_str().unwrap().contains("nested too deep"), "{refused}");
    assert_eq!(after["data"]["terms"], json!([]));
}

#[actix_web::test]
async fn an_alias_bomb_is_refused() {
    let app = TestApp::new().await;
    let fields: Vec<String> = (0..200).map(|i| format!("a{i}: terms {{ name }}")).collect();
    let bomb = format!("{{ {} }}", fields.join(" "));

    let refused = app.admin(&bomb, json!({})).await;

    assert_eq!(error_code(&refused), "BAD_USER_INPUT");
    assert!(refused["errors"][0]["message"].as_str().unwrap().contains("aliases"), "{refused}");
}

#[actix_web::test]
async fn a_huge_page_and_an_expensive_nesting_are_refused() {
    let app = TestApp::new().await;

    let huge = app.admin("{ members(first: 100000) { nodes { name } } }", json!({})).await;
    let page = "nodes { name pinyin gender genderLabel ethnicity createdAt updatedAt seats { startDate endDate status statusLabel } }";
    let roots: Vec<String> = (0..20).map(|i| format!("m{i}: members(first: 100) {{ {page} }}")).collect();
    let complex = app.admin(&format!("{{ {} }}", roots.join(" ")), json!({})).await;

    assert_eq!(error_code(&huge), "BAD_USER_INPUT");
    assert_eq!(error_code(&complex), "BAD_USER_INPUT");
    assert!(complex["errors"][0]["message"].as_str().unwrap().contains("complex"), "{complex}");
}

#[actix_web::test]
async fn batches_and_oversized_bodies_are_refused() {
    let app = TestApp::new().await;
    let batch: Vec<Value> = (0..1000).map(|_| json!({ "query": "{ terms { name } }" })).collect();
    let huge = format!("{{\"query\": \"{{ terms {{ name }} }}\", \"padding\": \"{}\"}}", "x".repeat(10 * 1024 * 1024));

    let (batch_status, _, batch_body) = app.raw(TestRequest::post().uri("/graphql").set_json(batch)).await;
    let (huge_status, _, _) = app
        .raw(TestRequest::post().uri("/graphql").insert_header(("content-type", "application/json")).set_payload(huge))
        .await;
    let (health, _, _) = app.raw(TestRequest::get().uri("/health")).await;

    assert_eq!(batch_status, 400);
    assert!(batch_body.contains("batched requests are not accepted"));
    assert_eq!(huge_status, 413);
    assert_eq!(health, 200);
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
