//! Public-opinion reports: submission with the length guidance, adoptions and instructions,
//! the rule that a converted proposal is counted once, access per role, and the demo counts.

use entity::enums::Role;
use lvzhi::{auth::Actor, opinion::service as opinions, proposal::service as proposals, relay::Kind};
use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, gid, member, org, proposal},
    helpers::{Scope, TestApp, error_code, error_field},
};

const SUBMIT: &str = "mutation($input: SubmitOpinionReportInput!) { submitOpinionReport(input: $input) {
    opinionReport { id status statusLabel year bodyLength authors { role member { name } } } warnings } }";

fn report(authors: Value, body: &str) -> Value {
    json!({ "input": { "authors": authors, "title": "关于电动自行车充电安全的建议", "body": body, "submittedOn": "2024-05-06" } })
}

fn first(member: i64) -> Value {
    json!([{ "memberId": gid(Kind::Member, member), "role": "FIRST" }])
}

const ADOPT: &str = "mutation($input: RecordOpinionAdoptionInput!) { recordOpinionAdoption(input: $input) {
    opinionReport { status adoptions { level levelLabel adoptedOn channel instructionLevel instructionLevelLabel instructionLeader } } } }";

#[actix_web::test]
async fn submit_opinion_report_stores_a_long_body_with_a_warning() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let co = member(&app, &o, MemberSpec::named("李强")).await;
    let authors = json!([{ "memberId": gid(Kind::Member, co), "role": "CO" },
                         { "memberId": gid(Kind::Member, m), "role": "FIRST" }]);

    let short = app.ok(SUBMIT, report(authors, "建议加强充电设施建设。")).await;
    let long = app.ok(SUBMIT, report(first(m), &"字".repeat(1600))).await;

    let r = &short["submitOpinionReport"];
    assert_eq!(r["warnings"], json!([]));
    assert_eq!(r["opinionReport"]["status"], "SUBMITTED");
    assert_eq!(r["opinionReport"]["year"], 2024);
    assert_eq!(
        r["opinionReport"]["authors"],
        json!([{ "role": "FIRST", "member": { "name": "王芳" } }, { "role": "CO", "member": { "name": "李强" } }])
    );
    assert_eq!(long["submitOpinionReport"]["opinionReport"]["bodyLength"], 1600);
    let warnings = long["submitOpinionReport"]["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].as_str().unwrap().contains("1500"), "{warnings:?}");
}

#[actix_web::test]
async fn submit_opinion_report_needs_one_first_author() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;

    let none = app.admin(SUBMIT, report(json!([]), "正文")).await;
    let only_co = app.admin(SUBMIT, report(json!([{ "memberId": gid(Kind::Member, m), "role": "CO" }]), "正文")).await;

    assert_eq!((error_code(&none), error_field(&none)), ("BAD_USER_INPUT", "input.authors"));
    assert_eq!((error_code(&only_co), error_field(&only_co)), ("BAD_USER_INPUT", "input.authors"));
}

#[actix_web::test]
async fn adoptions_at_several_levels_keep_the_leaders_instruction() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let id = app.ok(SUBMIT, report(first(m), "正文")).await["submitOpinionReport"]["opinionReport"]["id"].clone();

    app.ok(
        ADOPT,
        json!({ "input": { "id": id, "level": "CITY", "adoptedOn": "2024-05-20", "channel": "《社情民意》第5期" } }),
    )
    .await;
    let data = app
        .ok(
            ADOPT,
            json!({ "input": { "id": id, "level": "PROVINCE", "adoptedOn": "2024-06-10",
                               "instruction": { "level": "PROVINCE", "leader": "省政协副主席", "text": "请研究" } } }),
        )
        .await;
    let adopted = app.ok("{ opinionReports(filter: { adoptionLevel: PROVINCE }) { totalCount } }", json!({})).await;

    let r = &data["recordOpinionAdoption"]["opinionReport"];
    assert_eq!(r["status"], "ADOPTED");
    assert_eq!(r["adoptions"][0]["levelLabel"], "市政协");
    assert_eq!(r["adoptions"][0]["channel"], "《社情民意》第5期");
    assert_eq!(r["adoptions"][1]["instructionLevelLabel"], "省级领导");
    assert_eq!(r["adoptions"][1]["instructionLeader"], "省政协副主席");
    assert_eq!(adopted["opinionReports"]["totalCount"], 1);
}

#[actix_web::test]
async fn a_report_not_adopted_cannot_be_adopted_and_an_adopted_one_cannot_be_declined() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let declined = app.ok(SUBMIT, report(first(m), "甲")).await["submitOpinionReport"]["opinionReport"]["id"].clone();
    let adopted = app.ok(SUBMIT, report(first(m), "乙")).await["submitOpinionReport"]["opinionReport"]["id"].clone();
    let decline = "mutation($id: ID!) { markOpinionReportNotAdopted(input: { id: $id }) { opinionReport { status } } }";
    app.ok(decline, json!({ "id": declined })).await;
    app.ok(ADOPT, json!({ "input": { "id": adopted, "level": "LOCAL" } })).await;

    let adopt_declined = app.admin(ADOPT, json!({ "input": { "id": declined, "level": "CITY" } })).await;
    let decline_adopted = app.admin(decline, json!({ "id": adopted })).await;

    assert_eq!(error_code(&adopt_declined), "BAD_USER_INPUT");
    assert_eq!(error_code(&decline_adopted), "BAD_USER_INPUT");
    let states = app.ok("{ opinionReports { nodes { status adoptions { level } } } }", json!({})).await;
    assert_eq!(
        states["opinionReports"]["nodes"],
        json!([{ "status": "ADOPTED", "adoptions": [{ "level": "LOCAL" }] }, { "status": "NOT_ADOPTED", "adoptions": [] }])
    );
}

#[actix_web::test]
async fn a_converted_proposal_keeps_its_link_and_counts_only_as_a_report() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let kept = proposal(&app, m, "仍是提案").await;
    let id = proposal(&app, m, "关于充电安全的建议").await;
    let before = proposals::statistics(&app.db, &Actor::System, 2024, None).await.map_err(|e| e.message()).unwrap();
    let convert = "mutation($id: ID!) { convertProposalToOpinionReport(input: { id: $id, note: \"更适合以社情民意报送\" }) {
        proposal { status opinionReport { title } } opinionReport { year title sourceProposal { title } authors { member { name } } } } }";

    let data = app.ok(convert, json!({ "id": gid(Kind::Proposal, id) })).await;
    let after = proposals::statistics(&app.db, &Actor::System, 2024, None).await.map_err(|e| e.message()).unwrap();
    let (reports, _) = opinions::year_counts(&app.db, 2024).await.map_err(|e| e.message()).unwrap();
    let figures = proposals::year_figures(&app.db, 2024).await.map_err(|e| e.message()).unwrap();
    let from_proposals = app.ok("{ opinionReports(filter: { fromProposal: true }) { totalCount } }", json!({})).await;

    let c = &data["convertProposalToOpinionReport"];
    assert_eq!(c["proposal"]["status"], "CONVERTED");
    assert_eq!(c["proposal"]["opinionReport"]["title"], "关于充电安全的建议");
    assert_eq!(c["opinionReport"]["sourceProposal"]["title"], "关于充电安全的建议");
    assert_eq!(c["opinionReport"]["year"], 2024);
    assert_eq!(c["opinionReport"]["authors"], json!([{ "member": { "name": "王芳" } }]));
    assert_eq!((before.submitted, after.submitted), (2, 1), "the converted proposal leaves the proposal figures");
    assert_eq!(figures.submitted, 1);
    assert_eq!(reports, 1, "and is counted once, as a report");
    assert_eq!(from_proposals["opinionReports"]["totalCount"], 1);
    let _ = kept;
}

#[actix_web::test]
async fn members_see_and_submit_their_own_reports_and_handling_units_and_viewers_none() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let me = member(&app, &o, MemberSpec::named("王芳")).await;
    let other = member(&app, &o, MemberSpec::named("李强")).await;
    app.ok(SUBMIT, report(first(other), "他人的")).await;
    let token = app.account("wangfang", Role::Member, Scope::Member(me)).await;
    let unit = lvzhi::organisation::service::create_handling_unit(&app.db, &Actor::System, "区教育局", None)
        .await
        .map_err(|e| e.message())
        .unwrap()
        .id;
    let unit_token = app.account("edu", Role::HandlingUnit, Scope::HandlingUnit(unit)).await;
    let viewer = app.account("viewer", Role::Viewer, Scope::None).await;
    let staff = app.account("staff", Role::CommitteeStaff, Scope::Committee(o.proposals_committee)).await;
    let list = "{ opinionReports { totalCount } }";

    let mine = app.post(Some(&token), SUBMIT, report(first(me), "我的")).await;
    let forged = app.post(Some(&token), SUBMIT, report(first(other), "冒名")).await;
    let own_list = app.post(Some(&token), list, json!({})).await;
    let adopt = app
        .post(
            Some(&token),
            ADOPT,
            json!({ "input": { "id": mine["data"]["submitOpinionReport"]["opinionReport"]["id"], "level": "CITY" } }),
        )
        .await;

    assert_eq!(mine["data"]["submitOpinionReport"]["opinionReport"]["status"], "SUBMITTED", "{mine}");
    assert_eq!(error_code(&forged), "FORBIDDEN");
    assert_eq!(own_list["data"]["opinionReports"]["totalCount"], 1);
    assert_eq!(error_code(&adopt), "FORBIDDEN");
    assert_eq!(error_code(&app.post(Some(&unit_token), list, json!({})).await), "FORBIDDEN");
    assert_eq!(error_code(&app.post(Some(&viewer), list, json!({})).await), "FORBIDDEN");
    assert_eq!(app.post(Some(&staff), list, json!({})).await["data"]["opinionReports"]["totalCount"], 2);
}

#[actix_web::test]
async fn member_opinion_reports_lists_what_the_member_wrote_by_year() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    app.ok(SUBMIT, report(first(m), "正文")).await;
    let q = "query($id: ID!) { member(id: $id) { y2024: opinionReports(year: 2024) { totalCount nodes { title } } y2023: opinionReports(year: 2023) { totalCount } } }";

    let data = app.ok(q, json!({ "id": gid(Kind::Member, m) })).await;

    assert_eq!(data["member"]["y2024"]["totalCount"], 1);
    assert_eq!(data["member"]["y2023"]["totalCount"], 0);
}

#[actix_web::test]
async fn the_demo_has_26_opinion_reports_in_2023_some_adopted_by_city_and_province() {
    let app = TestApp::new().await;
    lvzhi::seed::demo(&app.db).await.map_err(|e| e.message()).unwrap();

    let (reports, adopted) = opinions::year_counts(&app.db, 2023).await.map_err(|e| e.message()).unwrap();
    let data = app
        .ok(
            "{ city: opinionReports(filter: { year: 2023, adoptionLevel: CITY }) { totalCount }
               province: opinionReports(filter: { year: 2023, adoptionLevel: PROVINCE }) { totalCount }
               converted: opinionReports(filter: { fromProposal: true }) { nodes { sourceProposal { status } } } }",
            json!({}),
        )
        .await;

    assert_eq!(reports, 26);
    assert_eq!(adopted, 14);
    assert!(data["city"]["totalCount"].as_i64().unwrap() > 0);
    assert!(data["province"]["totalCount"].as_i64().unwrap() > 0);
    assert_eq!(data["converted"]["nodes"], json!([{ "sourceProposal": { "status": "CONVERTED" } }]));
}
