//! Issue 20, organisers record their own work: SECTOR_CONVENER and GROUP_LEAD accounts are tied
//! to a sector or a group when ADMIN creates them, and record the activities their sector or
//! group organises, and no one else's (the role table holds every operation against them).

use serde_json::json;

use crate::{
    fixtures::{MemberSpec, gid, member, org},
    helpers::{TestApp, error_code, error_field},
};

const CREATE: &str = "mutation($u: String!, $r: Role!, $s: ID, $g: ID) { createAccount(input: { username: $u, password: \"correct horse battery\", role: $r, sectorId: $s, groupId: $g }) { account { roleLabel sector { name } group { name } } } }";
const LOGIN: &str =
    "mutation($u: String!) { login(input: { username: $u, password: \"correct horse battery\" }) { token } }";
const RECORD: &str = "mutation($o: ID!, $m: ID!) { recordActivity(input: { title: \"界别协商会\", kind: CONSULTATION, organiserId: $o, startDate: \"2024-05-12\", participants: [{ memberId: $m }] }) { activity { id } } }";

#[actix_web::test]
async fn a_sector_convener_account_needs_its_sector_and_records_only_for_it() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let someone = gid(lvzhi::relay::Kind::Member, member(&app, &o, MemberSpec::named("王芳")).await);
    let (economy, education) =
        (gid(lvzhi::relay::Kind::Sector, o.economy), gid(lvzhi::relay::Kind::Sector, o.education));

    let unlinked = app.admin(CREATE, json!({ "u": "convener", "r": "SECTOR_CONVENER" })).await;
    let made = app.ok(CREATE, json!({ "u": "convener", "r": "SECTOR_CONVENER", "s": economy })).await;
    let token =
        app.post(None, LOGIN, json!({ "u": "convener" })).await["data"]["login"]["token"].as_str().unwrap().to_owned();
    let own = app.post(Some(&token), RECORD, json!({ "o": economy, "m": someone })).await;
    let other = app.post(Some(&token), RECORD, json!({ "o": education, "m": someone })).await;

    assert_eq!((error_code(&unlinked), error_field(&unlinked)), ("BAD_USER_INPUT", "input.sectorId"));
    assert_eq!(made["createAccount"]["account"]["roleLabel"], "界别召集人");
    assert_eq!(made["createAccount"]["account"]["sector"]["name"], "经济界");
    assert!(own.get("errors").is_none(), "{own:#}");
    assert_eq!(error_code(&other), "FORBIDDEN");
}

#[actix_web::test]
async fn a_group_lead_account_needs_its_group_and_records_only_for_it() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let someone = gid(lvzhi::relay::Kind::Member, member(&app, &o, MemberSpec::named("王芳")).await);
    let sys = &lvzhi::auth::Actor::System;
    let kind = entity::enums::GroupKind::ReadingGroup;
    let reading = lvzhi::organisation::service::create_group(&app.db, sys, "读书小组", kind, None).await.unwrap();
    let other = lvzhi::organisation::service::create_group(&app.db, sys, "法律服务队", kind, None).await.unwrap();
    let (reading, other) = (gid(lvzhi::relay::Kind::Group, reading.id), gid(lvzhi::relay::Kind::Group, other.id));

    let unlinked = app.admin(CREATE, json!({ "u": "lead", "r": "GROUP_LEAD" })).await;
    let made = app.ok(CREATE, json!({ "u": "lead", "r": "GROUP_LEAD", "g": reading })).await;
    let token =
        app.post(None, LOGIN, json!({ "u": "lead" })).await["data"]["login"]["token"].as_str().unwrap().to_owned();
    let own = app.post(Some(&token), RECORD, json!({ "o": reading, "m": someone })).await;
    let refused = app.post(Some(&token), RECORD, json!({ "o": other, "m": someone })).await;

    assert_eq!((error_code(&unlinked), error_field(&unlinked)), ("BAD_USER_INPUT", "input.groupId"));
    assert_eq!(made["createAccount"]["account"]["group"]["name"], "读书小组");
    assert!(own.get("errors").is_none(), "{own:#}");
    assert_eq!(error_code(&refused), "FORBIDDEN");
}
