//! Issue 17, point 4: records reached through another record, or through a list's filter, stay
//! inside the reader's scope. A hidden record reads as absent (null, or left out of a list);
//! naming another member's duty record is FORBIDDEN.

use entity::enums::{ActivityKind, Attendance, HandlingRole, Role, SignerRole};
use lvzhi::{
    auth::Actor,
    proposal::service::{self as proposals, Review, UnitAssignment},
    relay::Kind,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::json;

use crate::{
    fixtures::{self, MemberSpec, date, gid, handling_unit, member, org},
    helpers::{Scope, TestApp, error_code},
};

#[actix_web::test]
async fn a_member_does_not_see_the_proposal_theirs_was_merged_into_unless_they_signed_it() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let (mine, theirs) =
        (member(&app, &o, MemberSpec::named("王芳")).await, member(&app, &o, MemberSpec::named("李强")).await);
    let target = fixtures::proposal(&app, theirs, "学校周边交通").await;
    proposals::review(&app.db, &Actor::System, target, Review::Accept, None).await.unwrap();
    let merged = fixtures::proposal(&app, mine, "校门口拥堵").await;
    proposals::review(&app.db, &Actor::System, merged, Review::Merge(target), None).await.unwrap();
    let token = app.account("wangfang", Role::Member, Scope::Member(mine)).await;
    let query = "query($id: ID!) { proposal(id: $id) { status mergedInto { title } } \
                 proposals { nodes { mergedInto { title } } } }";
    let variables = json!({ "id": gid(Kind::Proposal, merged) });

    let as_member = app.post(Some(&token), query, variables.clone()).await;
    let as_office = app.ok(query, variables).await;

    assert!(as_member.get("errors").is_none(), "{as_member:#}");
    assert_eq!(as_member["data"]["proposal"], json!({ "status": "MERGED", "mergedInto": null }));
    assert_eq!(as_member["data"]["proposals"]["nodes"], json!([{ "mergedInto": null }]));
    assert_eq!(as_office["proposal"]["mergedInto"]["title"], "学校周边交通");
}

#[actix_web::test]
async fn a_report_shows_its_source_proposal_only_to_those_who_may_read_that_proposal() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let (signer, co_author) =
        (member(&app, &o, MemberSpec::named("王芳")).await, member(&app, &o, MemberSpec::named("李强")).await);
    let proposal = fixtures::proposal(&app, signer, "老旧小区加装电梯").await;
    let (_, report) = proposals::convert_to_opinion_report(&app.db, &Actor::System, proposal, None).await.unwrap();
    // A co-author the office added afterwards, who never signed the proposal.
    entity::opinion_author::ActiveModel {
        report_id: Set(report.id),
        member_id: Set(co_author),
        role: Set(SignerRole::Co),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let query = "query($id: ID!) { opinionReport(id: $id) { title sourceProposal { title } } \
                 opinionReports { nodes { sourceProposal { title } } } }";
    let variables = json!({ "id": gid(Kind::OpinionReport, report.id) });
    let co_author = app.account("liqiang", Role::Member, Scope::Member(co_author)).await;
    let signer = app.account("wangfang", Role::Member, Scope::Member(signer)).await;

    let as_co_author = app.post(Some(&co_author), query, variables.clone()).await;
    let as_signer = app.post(Some(&signer), query, variables).await;

    assert!(as_co_author.get("errors").is_none(), "{as_co_author:#}");
    assert_eq!(as_co_author["data"]["opinionReport"]["sourceProposal"], json!(null));
    assert_eq!(as_co_author["data"]["opinionReports"]["nodes"], json!([{ "sourceProposal": null }]));
    assert_eq!(as_signer["data"]["opinionReport"]["sourceProposal"]["title"], "老旧小区加装电梯");
}

#[actix_web::test]
async fn a_handling_unit_no_longer_reads_a_proposal_it_refused_until_it_is_assigned_again() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let signer = member(&app, &o, MemberSpec::named("王芳")).await;
    let unit = handling_unit(&app, "市教育局").await;
    let sole = || vec![UnitAssignment { handling_unit_id: unit, role: HandlingRole::Sole }];
    let id = fixtures::proposal(&app, signer, "课后服务").await;
    proposals::review(&app.db, &Actor::System, id, Review::Accept, None).await.unwrap();
    proposals::assign(&app.db, &Actor::System, id, sole(), None, None).await.unwrap();
    let token = app.account("unit", Role::HandlingUnit, Scope::HandlingUnit(unit)).await;
    let query = "query($id: ID!) { proposal(id: $id) { title } node(id: $id) { id } proposals { totalCount } }";
    let variables = json!({ "id": gid(Kind::Proposal, id) });
    let refuse = "mutation($id: ID!) { refuseProposalAssignment(input: { id: $id, reason: \"不属于本单位职责\" }) \
                  { proposal { status } } }";
    let refused = app.post(Some(&token), refuse, variables.clone()).await;
    assert!(refused.get("errors").is_none(), "{refused:#}");

    let after_refusal = app.post(Some(&token), query, variables.clone()).await;
    let answer = "mutation($id: ID!) { answerProposal(input: { id: $id, resultClass: A, metProposer: true }) \
                  { proposal { status } } }";
    let answered = app.post(Some(&token), answer, variables.clone()).await;
    proposals::assign(&app.db, &Actor::System, id, sole(), None, None).await.unwrap();
    let assigned_again = app.post(Some(&token), query, variables).await;

    assert!(after_refusal.get("errors").is_none(), "{after_refusal:#}");
    assert_eq!(after_refusal["data"], json!({ "proposal": null, "node": null, "proposals": { "totalCount": 0 } }));
    assert_eq!(error_code(&answered), "NOT_FOUND", "{answered:#}");
    assert_eq!(assigned_again["data"]["proposal"]["title"], "课后服务");
    assert_eq!(assigned_again["data"]["proposals"]["totalCount"], 1);
}

#[actix_web::test]
async fn a_member_may_not_list_another_members_activities_or_training_and_sees_their_own_absences() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let (mine, theirs) =
        (member(&app, &o, MemberSpec::named("王芳")).await, member(&app, &o, MemberSpec::named("李强")).await);
    fixtures::activity(&app, ActivityKind::PlenarySession, date(2024, 1, 10), true, &[(mine, Attendance::Present)])
        .await;
    fixtures::activity(&app, ActivityKind::Inspection, date(2024, 5, 10), false, &[(theirs, Attendance::Absent)]).await;
    let token = app.account("wangfang", Role::Member, Scope::Member(mine)).await;
    let activities = "query($m: ID!) { activities(filter: { memberId: $m }) { totalCount } }";
    let training = "query($m: ID!) { trainingSessions(filter: { memberId: $m }) { totalCount } }";
    let (own, other) = (json!({ "m": gid(Kind::Member, mine) }), json!({ "m": gid(Kind::Member, theirs) }));

    let own_activities = app.post(Some(&token), activities, own.clone()).await;
    let other_activities = app.post(Some(&token), activities, other.clone()).await;
    let own_training = app.post(Some(&token), training, own).await;
    let other_training = app.post(Some(&token), training, other.clone()).await;
    let office = app.ok(activities, other).await;

    assert_eq!(own_activities["data"]["activities"]["totalCount"], 1, "{own_activities:#}");
    assert_eq!(error_code(&other_activities), "FORBIDDEN", "{other_activities:#}");
    assert_eq!(own_training["data"]["trainingSessions"]["totalCount"], 0, "{own_training:#}");
    assert_eq!(error_code(&other_training), "FORBIDDEN", "{other_training:#}");
    // The plenary invited every seated member (issue 18): theirs lists it beside their inspection.
    assert_eq!(office["activities"]["totalCount"], 2);
}
