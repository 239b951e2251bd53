//! Accounts, sign-in, tokens and the actor behind each request.

use entity::enums::Role;
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
