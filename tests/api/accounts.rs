//! Accounts can be stopped: ADMIN disables, enables and resets accounts; every account changes
//! its own password and ends its own sessions; the sign-in throttle takes the client address
//! from a trusted proxy's header only.

use std::net::SocketAddr;

use actix_web::test::TestRequest;
use entity::enums::Role;
use lvzhi::{account::throttle::MAX_FAILURES_PER_ADDRESS, config::ApiConfig, relay::Kind, server::AppState};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Scope, TestApp, error_code, error_field};

const LOGIN: &str = "mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { token } }";
const SIGNED_IN_QUERY: &str = "{ terms { name } }";
const NEW_PASSWORD: &str = "another horse battery";

async fn login(app: &TestApp, username: &str, password: &str) -> Value {
    app.post(None, LOGIN, json!({ "u": username, "p": password })).await
}

async fn token(app: &TestApp, username: &str, password: &str) -> String {
    let response = login(app, username, password).await;
    response["data"]["login"]["token"].as_str().unwrap_or_else(|| panic!("{response:#}")).to_owned()
}

/// Whether `token` still signs requests in.
async fn works(app: &TestApp, token: &str) -> bool {
    app.post(Some(token), SIGNED_IN_QUERY, json!({})).await.get("errors").is_none()
}

/// A VIEWER account `username` and its id (the global id).
async fn viewer(app: &TestApp, username: &str) -> (String, String) {
    let token = app.account(username, Role::Viewer, Scope::None).await;
    let me = app.post(Some(&token), "{ viewer { id } }", json!({})).await;
    (token, me["data"]["viewer"]["id"].as_str().unwrap().to_owned())
}

/// The operations of the audit log's entries on account `id`, newest first.
async fn audited(app: &TestApp, id: &str) -> Vec<String> {
    let id = lvzhi::relay::decode_id(Kind::Account, &async_graphql::ID::from(id), "id").unwrap();
    let log = app
        .ok(
            "query($f: AuditFilterInput) { auditLog(filter: $f) { nodes { operation } } }",
            json!({ "f": { "entity": "account", "entityId": id } }),
        )
        .await;
    log["auditLog"]["nodes"].as_array().unwrap().iter().map(|n| n["operation"].as_str().unwrap().to_owned()).collect()
}

#[actix_web::test]
async fn a_disabled_account_loses_its_sessions_at_once_and_signs_in_again_once_enabled() {
    let app = TestApp::new().await;
    let (session, id) = viewer(&app, "clerk").await;

    let disabled = app
        .admin(
            "mutation($id: ID!) { disableAccount(input: { id: $id }) { account { disabled } } }",
            json!({ "id": id }),
        )
        .await;
    let refused = login(&app, "clerk", PASSWORD).await;
    let enabled = app
        .admin("mutation($id: ID!) { enableAccount(input: { id: $id }) { account { disabled } } }", json!({ "id": id }))
        .await;

    assert_eq!(disabled["data"]["disableAccount"]["account"]["disabled"], true, "{disabled:#}");
    assert_eq!(error_code(&refused), "UNAUTHENTICATED");
    assert_eq!(enabled["data"]["enableAccount"]["account"]["disabled"], false, "{enabled:#}");
    assert!(!works(&app, &session).await, "the session ended with the disabling and stays ended");
    assert!(works(&app, &token(&app, "clerk", PASSWORD).await).await, "a new sign-in works");
    assert_eq!(audited(&app, &id).await[..3], ["enableAccount", "disableAccount", "createAccount"]);
}

#[actix_web::test]
async fn an_account_cannot_disable_itself_and_only_admin_disables_others() {
    let app = TestApp::new().await;
    let (clerk, id) = viewer(&app, "clerk").await;
    let admin_id = app.admin("{ viewer { id } }", json!({})).await["data"]["viewer"]["id"].clone();
    let query = "mutation($id: ID!) { disableAccount(input: { id: $id }) { account { disabled } } }";

    let itself = app.admin(query, json!({ "id": admin_id })).await;
    let by_viewer = app.post(Some(&clerk), query, json!({ "id": id })).await;

    assert_eq!((error_code(&itself), error_field(&itself)), ("BAD_USER_INPUT", "input.id"), "{itself:#}");
    assert_eq!(error_code(&by_viewer), "FORBIDDEN");
}

#[actix_web::test]
async fn a_reset_password_replaces_the_old_one_and_ends_the_accounts_sessions() {
    let app = TestApp::new().await;
    let (session, id) = viewer(&app, "clerk").await;
    let query = "mutation($id: ID!, $p: String!) { resetPassword(input: { id: $id, newPassword: $p }) { account { username } } }";

    let short = app.admin(query, json!({ "id": id, "p": "short" })).await;
    let reset = app.admin(query, json!({ "id": id, "p": NEW_PASSWORD })).await;

    assert_eq!((error_code(&short), error_field(&short)), ("BAD_USER_INPUT", "input.newPassword"));
    assert!(reset.get("errors").is_none(), "{reset:#}");
    assert!(!works(&app, &session).await);
    assert_eq!(error_code(&login(&app, "clerk", PASSWORD).await), "UNAUTHENTICATED");
    let one_time = token(&app, "clerk", NEW_PASSWORD).await;
    let refused = app.post(Some(&one_time), SIGNED_IN_QUERY, json!({})).await;
    assert_eq!(error_code(&refused), "PASSWORD_CHANGE_REQUIRED", "a reset password is a one-time one: {refused:#}");
    assert_eq!(audited(&app, &id).await[0], "resetPassword");
    let log = app.ok("{ auditLog(first: 1) { nodes { before after } } }", json!({})).await.to_string();
    assert!(!log.contains("argon2") && !log.contains("password_hash"), "no hash in the log: {log}");
}

#[actix_web::test]
async fn changing_ones_password_needs_the_current_one_and_ends_the_other_sessions() {
    let app = TestApp::new().await;
    let (this, id) = viewer(&app, "clerk").await;
    let other = token(&app, "clerk", PASSWORD).await;
    let query = "mutation($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) { account { username } } }";

    let wrong = app.post(Some(&this), query, json!({ "c": "not my password", "n": NEW_PASSWORD })).await;
    let anonymous = app.post(None, query, json!({ "c": PASSWORD, "n": NEW_PASSWORD })).await;
    let changed = app.post(Some(&this), query, json!({ "c": PASSWORD, "n": NEW_PASSWORD })).await;

    assert_eq!((error_code(&wrong), error_field(&wrong)), ("BAD_USER_INPUT", "input.currentPassword"), "{wrong:#}");
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    assert!(changed.get("errors").is_none(), "{changed:#}");
    assert!(works(&app, &this).await, "the session that changed it goes on");
    assert!(!works(&app, &other).await, "the account's other sessions end");
    assert_eq!(error_code(&login(&app, "clerk", PASSWORD).await), "UNAUTHENTICATED");
    assert!(works(&app, &token(&app, "clerk", NEW_PASSWORD).await).await);
    assert_eq!(audited(&app, &id).await[0], "changePassword");
}

#[actix_web::test]
async fn ending_all_sessions_ends_every_token_of_the_account_and_no_other() {
    let app = TestApp::new().await;
    let (first, id) = viewer(&app, "clerk").await;
    let second = token(&app, "clerk", PASSWORD).await;
    let (someone_else, _) = viewer(&app, "archivist").await;

    let kept =
        app.post(Some(&first), "mutation { endAllSessions(input: { keepCurrent: true }) { ended } }", json!({})).await;
    let still = works(&app, &first).await;
    let all = app.post(Some(&first), "mutation { endAllSessions { ended } }", json!({})).await;

    assert_eq!(kept["data"]["endAllSessions"]["ended"], 1, "{kept:#}");
    assert!(still);
    assert_eq!(all["data"]["endAllSessions"]["ended"], 1, "{all:#}");
    assert!(!works(&app, &first).await && !works(&app, &second).await);
    assert!(works(&app, &someone_else).await);
    assert_eq!(audited(&app, &id).await[..2], ["endAllSessions", "endAllSessions"]);
}

fn login_from(peer: [u8; 4], forwarded_for: Option<&str>, username: &str, password: &str) -> TestRequest {
    let mut request = TestRequest::post()
        .uri("/graphql")
        .peer_addr(SocketAddr::from((peer, 50000)))
        .set_json(json!({ "query": LOGIN, "variables": { "u": username, "p": password } }));
    if let Some(header) = forwarded_for {
        request = request.insert_header(("x-forwarded-for", header));
    }
    request
}

#[actix_web::test]
async fn behind_a_trusted_proxy_the_throttle_counts_the_forwarded_client_and_never_a_spoofed_one() {
    let mut app = TestApp::new().await;
    let proxy = [10, 0, 0, 1];
    let limits = ApiConfig { trusted_proxies: vec![proxy.into()], ..ApiConfig::default() };
    app.state = AppState::with_config(app.db.clone(), limits);
    app.account("office", Role::Office, Scope::None).await;
    for i in 0..MAX_FAILURES_PER_ADDRESS {
        app.raw(login_from(proxy, Some("198.51.100.7"), &format!("guess{i}"), "wrong password")).await;
    }

    let (_, _, attacker) = app.raw(login_from(proxy, Some("198.51.100.7"), "office", PASSWORD)).await;
    let (_, _, colleague) = app.raw(login_from(proxy, Some("198.51.100.8"), "office", PASSWORD)).await;
    // A client that is not a proxy cannot pass as another address by writing the header.
    let (_, _, spoofed) = app.raw(login_from([203, 0, 113, 5], Some("198.51.100.7"), "office", PASSWORD)).await;

    assert!(attacker.contains("too many failed sign-ins"), "{attacker}");
    assert!(colleague.contains("\"token\""), "{colleague}");
    assert!(spoofed.contains("\"token\""), "{spoofed}");
    let log = app.ok("{ auditLog(filter: { operation: \"login\" }, first: 50) { nodes { after } } }", json!({})).await;
    let addresses: Vec<&str> =
        log["auditLog"]["nodes"].as_array().unwrap().iter().filter_map(|n| n["after"]["address"].as_str()).collect();
    assert_eq!(addresses.len(), MAX_FAILURES_PER_ADDRESS, "{log:#}");
    assert!(
        addresses.iter().all(|a| *a == "198.51.100.7"),
        "refused sign-ins name the forwarded client: {addresses:?}"
    );
}
