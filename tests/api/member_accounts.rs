//! Issue 20, accounts at scale: `createMemberAccounts` makes an account for every seated member
//! without one, hands the one-time passwords over as a workbook for the session that asked,
//! and a one-time password must be changed before the account may do anything else.

use std::io::Cursor;

use actix_web::{App, test};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use entity::enums::Role;
use lvzhi::server::routes;
use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, member, org},
    helpers::{PASSWORD, Scope, TestApp, error_code},
};

const CREATE: &str = "mutation { createMemberAccounts { created accounts { username role mustChangePassword member { name } } download { url expiresAt } } }";
const LOGIN: &str =
    "mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { token mustChangePassword } }";
const CHANGE: &str = "mutation($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) { account { mustChangePassword } } }";

/// GETs `uri` from the test's own server (whose state keeps the workbooks) as `token`.
async fn download(app: &TestApp, uri: &str, token: Option<&str>) -> (u16, Vec<u8>) {
    let service = test::init_service(App::new().configure(routes(app.state.clone()))).await;
    let mut req = test::TestRequest::get().uri(uri);
    if let Some(token) = token {
        req = req.insert_header(("authorization", format!("Bearer {token}")));
    }
    let response = test::call_service(&service, req.to_request()).await;
    let status = response.status().as_u16();
    (status, test::read_body(response).await.to_vec())
}

/// The workbook's rows below its header: name, member number, username, password.
fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a workbook");
    let range = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    range
        .rows()
        .skip(1)
        .map(|row| row.iter().map(|c| if let Data::Empty = c { String::new() } else { c.to_string() }).collect())
        .collect()
}

/// Three seated members (two of them 张伟), one more with a MEMBER account already, and a
/// VIEWER already called `zhangwei`.
async fn arrange(app: &TestApp) {
    let o = org(app).await;
    for (name, number) in [("张伟", "A-1"), ("张伟", "A-2"), ("鄭利", "A-3")] {
        member(app, &o, MemberSpec { number: Some(number.to_owned()), ..MemberSpec::named(name) }).await;
    }
    let has_one = member(app, &o, MemberSpec::named("李晓秋")).await;
    app.account("lxq", Role::Member, Scope::Member(has_one)).await;
    app.account("zhangwei", Role::Viewer, Scope::None).await;
}

/// Runs `createMemberAccounts` as ADMIN and downloads its workbook.
async fn hand_out(app: &TestApp) -> (Value, Vec<Vec<String>>) {
    let made = app.ok(CREATE, json!({})).await["createMemberAccounts"].clone();
    let url = made["download"]["url"].as_str().expect("a download").to_owned();
    let (status, bytes) = download(app, &url, Some(&app.admin)).await;
    assert_eq!(status, 200);
    (made, rows(&bytes))
}

#[actix_web::test]
async fn create_member_accounts_makes_one_for_every_seated_member_without_one() {
    let app = TestApp::new().await;
    arrange(&app).await;

    let (made, rows) = hand_out(&app).await;

    assert_eq!(made["created"], 3, "{made:#}");
    let mut usernames: Vec<&str> =
        made["accounts"].as_array().unwrap().iter().map(|a| a["username"].as_str().unwrap()).collect();
    usernames.sort_unstable();
    assert_eq!(usernames, ["zhangwei2", "zhangwei3", "zhengli"], "pinyin, numbered on collision");
    assert!(
        made["accounts"].as_array().unwrap().iter().all(|a| a["role"] == "MEMBER" && a["mustChangePassword"] == true)
    );
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], "张伟", "the workbook is in pinyin order: {rows:?}");
    assert_eq!(rows[2][..3], ["鄭利", "A-3", "zhengli"]);
    assert!(rows.iter().all(|r| r[3].chars().count() == 12), "12-character one-time passwords: {rows:?}");
}

#[actix_web::test]
async fn the_passwords_are_neither_in_the_payload_nor_the_audit_log() {
    let app = TestApp::new().await;
    arrange(&app).await;

    let (made, rows) = hand_out(&app).await;
    let log = app.ok("{ auditLog(first: 100) { nodes { operation after } } }", json!({})).await;

    let entries: Vec<&Value> = log["auditLog"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["operation"] == "createMemberAccounts")
        .collect();
    assert_eq!(entries.len(), 3, "an entry per account: {log:#}");
    let (log, made) = (log.to_string(), made.to_string());
    for row in &rows {
        assert!(!log.contains(&row[3]) && !made.contains(&row[3]), "password {} leaked", row[3]);
    }
    assert!(!log.contains("argon2"), "no hash in the log");
}

#[actix_web::test]
async fn the_workbook_is_only_for_the_session_that_made_the_accounts() {
    let app = TestApp::new().await;
    arrange(&app).await;
    let made = app.ok(CREATE, json!({})).await;
    let url = made["createMemberAccounts"]["download"]["url"].as_str().unwrap().to_owned();
    let other_admin = app.account("root2", Role::Admin, Scope::None).await;
    let office = app.account("office", Role::Office, Scope::None).await;

    assert_eq!(download(&app, &url, None).await.0, 401);
    assert_eq!(download(&app, &url, Some(&office)).await.0, 403);
    assert_eq!(download(&app, &url, Some(&other_admin)).await.0, 404, "another session's workbook is not found");
    assert_eq!(download(&app, "/exports/accounts.xlsx?id=made-up", Some(&app.admin)).await.0, 404);
    assert_eq!(download(&app, &url, Some(&app.admin)).await.0, 200);
}

#[actix_web::test]
async fn a_second_run_makes_nothing_and_office_may_not_run_it() {
    let app = TestApp::new().await;
    arrange(&app).await;
    let office = app.account("office", Role::Office, Scope::None).await;

    let refused = app.post(Some(&office), CREATE, json!({})).await;
    hand_out(&app).await;
    let again = app.ok(CREATE, json!({})).await;

    assert_eq!(error_code(&refused), "FORBIDDEN");
    assert_eq!(again["createMemberAccounts"]["created"], 0);
    assert_eq!(again["createMemberAccounts"]["download"], Value::Null);
}

#[actix_web::test]
async fn a_one_time_password_allows_nothing_but_changing_it() {
    let app = TestApp::new().await;
    arrange(&app).await;
    let (_, rows) = hand_out(&app).await;
    let (username, password) = (rows[2][2].clone(), rows[2][3].clone());

    let signed_in = app.post(None, LOGIN, json!({ "u": username, "p": password })).await;
    let token = signed_in["data"]["login"]["token"].as_str().unwrap().to_owned();
    let refused = app.post(Some(&token), "{ members { totalCount } }", json!({})).await;
    let own = app.post(Some(&token), "{ viewer { username mustChangePassword } }", json!({})).await;
    let changed = app.post(Some(&token), CHANGE, json!({ "c": password, "n": PASSWORD })).await;
    let allowed = app.post(Some(&token), "{ members { totalCount } }", json!({})).await;
    let again = app.post(None, LOGIN, json!({ "u": username, "p": PASSWORD })).await;

    assert_eq!(signed_in["data"]["login"]["mustChangePassword"], true, "{signed_in:#}");
    assert_eq!(error_code(&refused), "PASSWORD_CHANGE_REQUIRED", "{refused:#}");
    assert_eq!(own["data"]["viewer"]["mustChangePassword"], true, "{own:#}");
    assert_eq!(changed["data"]["changePassword"]["account"]["mustChangePassword"], false, "{changed:#}");
    assert!(allowed.get("errors").is_none(), "{allowed:#}");
    assert_eq!(again["data"]["login"]["mustChangePassword"], false);
}

#[actix_web::test]
async fn a_reset_password_must_be_changed_at_the_next_sign_in() {
    let app = TestApp::new().await;
    let clerk = app.account("clerk", Role::Office, Scope::None).await;
    let id = app.post(Some(&clerk), "{ viewer { id } }", json!({})).await["data"]["viewer"]["id"].clone();
    let reset = "mutation($id: ID!) { resetPassword(input: { id: $id, newPassword: \"temporary-2024\" }) { account { mustChangePassword } } }";

    let done = app.ok(reset, json!({ "id": id })).await;
    let signed_in = app.post(None, LOGIN, json!({ "u": "clerk", "p": "temporary-2024" })).await;
    let token = signed_in["data"]["login"]["token"].as_str().unwrap();
    let refused = app.post(Some(token), "{ auditLog(first: 1) { totalCount } }", json!({})).await;

    assert_eq!(done["resetPassword"]["account"]["mustChangePassword"], true);
    assert_eq!(signed_in["data"]["login"]["mustChangePassword"], true);
    assert_eq!(error_code(&refused), "PASSWORD_CHANGE_REQUIRED");
}
