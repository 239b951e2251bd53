//! Accounts, sign-in, tokens and the actor behind each request.

use chrono::{DateTime, TimeDelta, Utc};
use entity::{enums::Role, session_token};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder};
use serde_json::json;

use crate::{
    fixtures::{MemberSpec, gid, member, org},
    helpers::{PASSWORD, Scope, TestApp, error_code, error_field},
};
use lvzhi::relay::Kind;

const LOGIN: &str = "mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { token expiresAt account { username role roleLabel } } }";

#[actix_web::test]
async fn login_returns_a_token_that_identifies_the_viewer() {
    let app = TestApp::new().await;
    app.account("office", Role::Office, Scope::None).await;

    let login = app.post(None, LOGIN, json!({ "u": "office", "p": PASSWORD })).await;
    let token = login["data"]["login"]["token"].as_str().unwrap().to_owned();
    let viewer = app.post(Some(&token), "{ viewer { username role roleLabel } }", json!({})).await;
    let nobody = app.post(None, "{ viewer { username } }", json!({})).await;

    assert!(token.starts_with("lvz_"));
    assert_eq!(
        login["data"]["login"]["account"],
        json!({ "username": "office", "role": "OFFICE", "roleLabel": "办公室" })
    );
    assert_eq!(viewer["data"]["viewer"], json!({ "username": "office", "role": "OFFICE", "roleLabel": "办公室" }));
    assert_eq!(nobody["data"]["viewer"], json!(null));
}

#[actix_web::test]
async fn wrong_passwords_and_unknown_users_read_the_same() {
    let app = TestApp::new().await;
    app.account("office", Role::Office, Scope::None).await;

    let wrong = app.post(None, LOGIN, json!({ "u": "office", "p": "not the password" })).await;
    let unknown = app.post(None, LOGIN, json!({ "u": "nobody", "p": PASSWORD })).await;

    assert_eq!(error_code(&wrong), "UNAUTHENTICATED");
    assert_eq!(wrong["errors"][0]["message"], unknown["errors"][0]["message"]);
    assert_eq!(error_code(&unknown), "UNAUTHENTICATED");
}

#[actix_web::test]
async fn logout_revokes_the_token() {
    let app = TestApp::new().await;
    let token = app.account("office", Role::Office, Scope::None).await;

    let out = app.post(Some(&token), "mutation { logout { revoked } }", json!({})).await;
    let after = app.post(Some(&token), "{ sectors { name } }", json!({})).await;

    assert_eq!(out["data"]["logout"]["revoked"], true);
    assert_eq!(error_code(&after), "UNAUTHENTICATED");
}

#[actix_web::test]
async fn requests_without_a_valid_token_are_unauthenticated() {
    let app = TestApp::new().await;

    let anonymous = app.post(None, "{ members { totalCount } }", json!({})).await;
    let forged = app.post(Some("lvz_forged"), "{ members { totalCount } }", json!({})).await;

    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    assert_eq!(error_code(&forged), "UNAUTHENTICATED");
}

#[actix_web::test]
async fn a_token_works_for_twelve_hours_and_not_once_it_has_expired() {
    let app = TestApp::new().await;
    app.account("office", Role::Office, Scope::None).await;
    let login = app.post(None, LOGIN, json!({ "u": "office", "p": PASSWORD })).await;
    let token = login["data"]["login"]["token"].as_str().unwrap().to_owned();
    let expires_at: DateTime<Utc> = login["data"]["login"]["expiresAt"].as_str().unwrap().parse().unwrap();
    let valid = app.post(Some(&token), "{ sectors { name } }", json!({})).await;

    // Twelve hours on, without waiting for them: the session's expiry is now a second ago.
    let session = session_token::Entity::find().order_by_desc(session_token::Column::Id).one(&app.db).await.unwrap();
    let mut expired: session_token::ActiveModel = session.unwrap().into();
    expired.expires_at = Set(Utc::now() - TimeDelta::seconds(1));
    expired.update(&app.db).await.unwrap();
    let after = app.post(Some(&token), "{ sectors { name } }", json!({})).await;

    let lifetime = expires_at - Utc::now();
    assert!(lifetime > TimeDelta::hours(12) - TimeDelta::minutes(1) && lifetime <= TimeDelta::hours(12), "{lifetime}");
    assert!(valid.get("errors").is_none(), "{valid}");
    assert_eq!(error_code(&after), "UNAUTHENTICATED");
}

const CREATE_ACCOUNT: &str = "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { username role member { name } } } }";

#[actix_web::test]
async fn only_admins_create_accounts_and_scoped_roles_need_their_scope() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let office = app.account("office", Role::Office, Scope::None).await;

    let linked = app
        .ok(CREATE_ACCOUNT, json!({ "input": { "username": "wangfang", "password": PASSWORD, "role": "MEMBER", "memberId": gid(Kind::Member, m) } }))
        .await;
    let by_office = app
        .post(
            Some(&office),
            CREATE_ACCOUNT,
            json!({ "input": { "username": "viewer-x1", "password": PASSWORD, "role": "VIEWER" } }),
        )
        .await;
    let unscoped = app
        .admin(
            CREATE_ACCOUNT,
            json!({ "input": { "username": "lead-x2", "password": PASSWORD, "role": "STUDIO_LEAD" } }),
        )
        .await;
    let short = app
        .admin(CREATE_ACCOUNT, json!({ "input": { "username": "viewer-x3", "password": "short", "role": "VIEWER" } }))
        .await;
    let bad_name = app
        .admin(CREATE_ACCOUNT, json!({ "input": { "username": "王 芳", "password": PASSWORD, "role": "VIEWER" } }))
        .await;
    let taken = app
        .admin(CREATE_ACCOUNT, json!({ "input": { "username": "office", "password": PASSWORD, "role": "VIEWER" } }))
        .await;

    assert_eq!(
        linked["createAccount"]["account"],
        json!({ "username": "wangfang", "role": "MEMBER", "member": { "name": "王芳" } })
    );
    assert_eq!(error_code(&by_office), "FORBIDDEN");
    assert_eq!((error_code(&unscoped), error_field(&unscoped)), ("BAD_USER_INPUT", "input.studioId"));
    assert_eq!(error_field(&short), "input.password");
    assert_eq!(error_field(&bad_name), "input.username");
    assert_eq!(error_code(&taken), "CONFLICT");
}

#[actix_web::test]
async fn an_account_node_is_visible_to_its_owner_and_admins_only() {
    let app = TestApp::new().await;
    let office = app.account("office", Role::Office, Scope::None).await;
    app.account("viewer", Role::Viewer, Scope::None).await;
    let viewer_id = app.post(Some(&office), "{ viewer { id } }", json!({})).await["data"]["viewer"]["id"].clone();
    let query = "query($id: ID!) { node(id: $id) { ... on Account { username } } }";

    let own = app.post(Some(&office), query, json!({ "id": viewer_id })).await;
    let admin = app.admin(query, json!({ "id": viewer_id })).await;
    let other_token = app.account("other", Role::Office, Scope::None).await;
    let other = app.post(Some(&other_token), query, json!({ "id": viewer_id })).await;

    assert_eq!(own["data"]["node"]["username"], "office");
    assert_eq!(admin["data"]["node"]["username"], "office");
    assert_eq!(error_code(&other), "FORBIDDEN");
}

#[actix_web::test]
async fn scoped_roles_read_members_as_their_role_allows() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    member(&app, &o, MemberSpec::named("王芳")).await;
    app.ok("mutation { createHandlingUnit(input: { name: \"区教育局\" }) { handlingUnit { id } } }", json!({})).await;
    let unit_id =
        app.ok("{ handlingUnits { id } }", json!({})).await["handlingUnits"][0]["id"].as_str().unwrap().to_owned();
    let unit = lvzhi::relay::decode_id(Kind::HandlingUnit, &async_graphql::ID(unit_id), "id").unwrap();
    let lead = app.account("lead", Role::StudioLead, Scope::Studio(o.town_studio)).await;
    let bureau = app.account("bureau", Role::HandlingUnit, Scope::HandlingUnit(unit)).await;
    let list = "{ members { totalCount } }";

    let by_lead = app.post(Some(&lead), list, json!({})).await;
    let by_bureau = app.post(Some(&bureau), list, json!({})).await;
    let bureau_viewer = app.post(Some(&bureau), "{ viewer { handlingUnit { name } } }", json!({})).await;

    assert_eq!(by_lead["data"]["members"]["totalCount"], 1);
    assert_eq!(error_code(&by_bureau), "FORBIDDEN");
    assert_eq!(bureau_viewer["data"]["viewer"]["handlingUnit"]["name"], "区教育局");
}

// ----- sign-in and sign-out in the audit log -----

const SIGN_INS: &str = "query($op: String!) { auditLog(filter: { operation: $op }) {
    nodes { actor operation entity entityId before after } } }";

/// The audit entries of `operation`, newest first.
async fn entries_of(app: &TestApp, operation: &str) -> Vec<serde_json::Value> {
    let log = app.ok(SIGN_INS, json!({ "op": operation })).await;
    log["auditLog"]["nodes"].as_array().unwrap().clone()
}

/// Every audit entry, as text.
async fn whole_audit_log(app: &TestApp) -> String {
    app.ok("{ auditLog(first: 100) { nodes { actor operation entity entityId before after } } }", json!({}))
        .await
        .to_string()
}

#[actix_web::test]
async fn a_sign_in_is_audited_with_its_session_and_never_the_password_or_token() {
    let app = TestApp::new().await;
    app.account("office", Role::Office, Scope::None).await;

    let login = app.post(None, LOGIN, json!({ "u": "office", "p": PASSWORD })).await;
    let token = login["data"]["login"]["token"].as_str().unwrap().to_owned();

    let entry = &entries_of(&app, "login").await[0];
    assert_eq!((entry["actor"].as_str(), entry["entity"].as_str()), (Some("office"), Some("session")));
    assert_eq!(entry["before"], json!(null));
    assert_eq!(entry["after"]["username"], "office");
    assert_eq!(entry["after"]["id"], entry["entityId"]);
    assert!(entry["after"]["expires_at"].is_string(), "{entry:#}");
    let log = whole_audit_log(&app).await;
    let hashes: Vec<String> =
        entity::session_token::Entity::find().all(&app.db).await.unwrap().into_iter().map(|s| s.token_hash).collect();
    assert_eq!(hashes.len(), 3, "the admin's, the helper's and this sign-in's sessions");
    assert!(!log.contains(&token) && !log.contains(PASSWORD), "{log}");
    assert!(hashes.iter().all(|hash| !log.contains(hash.as_str())), "{log}");
}

#[actix_web::test]
async fn a_refused_sign_in_is_audited_with_the_username_tried_and_no_actor() {
    let app = TestApp::new().await;
    app.account("office", Role::Office, Scope::None).await;
    let office_id = app
        .ok("{ auditLog(filter: { entity: \"account\" }) { nodes { entityId after } } }", json!({}))
        .await["auditLog"]["nodes"][0]["entityId"]
        .clone();

    app.post(None, LOGIN, json!({ "u": "office", "p": "not the password" })).await;
    app.post(None, LOGIN, json!({ "u": "nobody", "p": "a guess at it" })).await;

    let entries = entries_of(&app, "login").await;
    let refused = |e: &serde_json::Value| {
        (
            e["actor"].clone(),
            e["entityId"].clone(),
            e["after"]["username"].clone(),
            e["after"]["account_id"].clone(),
            e["after"]["outcome"].clone(),
        )
    };
    assert_eq!(
        refused(&entries[0]),
        (json!("anonymous"), json!(null), json!("nobody"), json!(null), json!("UNKNOWN_USERNAME"))
    );
    assert_eq!(
        refused(&entries[1]),
        (json!("anonymous"), json!(null), json!("office"), office_id, json!("WRONG_PASSWORD"))
    );
    let log = whole_audit_log(&app).await;
    assert!(!log.contains("not the password") && !log.contains("a guess at it"), "{log}");
}

#[actix_web::test]
async fn sign_ins_refused_by_the_throttle_are_not_audited() {
    let app = TestApp::new().await;
    app.account("office", Role::Office, Scope::None).await;
    let wrong = json!({ "u": "office", "p": "not the password" });

    for _ in 0..lvzhi::account::throttle::MAX_FAILURES_PER_USERNAME + 3 {
        let response = app.post(None, LOGIN, wrong.clone()).await;
        assert_eq!(error_code(&response), "UNAUTHENTICATED");
    }

    let refused = entries_of(&app, "login").await.into_iter().filter(|e| e["actor"] == "anonymous").count();
    assert_eq!(refused, lvzhi::account::throttle::MAX_FAILURES_PER_USERNAME);
}

#[actix_web::test]
async fn logout_is_audited_with_the_session_it_revoked() {
    let app = TestApp::new().await;
    let token = app.account("office", Role::Office, Scope::None).await;
    let session = entries_of(&app, "login").await[0]["entityId"].clone();

    app.post(Some(&token), "mutation { logout { revoked } }", json!({})).await;

    let entries = entries_of(&app, "logout").await;
    assert_eq!(entries.len(), 1, "{entries:#?}");
    let entry = &entries[0];
    assert_eq!((entry["actor"].as_str(), entry["entity"].as_str()), (Some("office"), Some("session")));
    assert_eq!(entry["entityId"], session);
    assert_eq!((&entry["before"]["revoked_at"], &entry["before"]["username"]), (&json!(null), &json!("office")));
    assert!(entry["after"]["revoked_at"].is_string(), "{entry:#}");
}
