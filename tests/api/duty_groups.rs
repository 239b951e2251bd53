//! Issue 19, point 3: a year's duty records per group of members (`dutyRecordsByGroup`) — checked
//! against a small committee counted by hand, against the demo's monthly figures, with the
//! small-group rule for a VIEWER and a statement count that does not grow with the committee.

use entity::enums::{ActivityKind, Attendance, Party, Role};
use lvzhi::{activity::service as activities, auth::Actor, relay::Kind};
use serde_json::{Value, json};

use crate::{
    analytics::demo_app,
    fixtures::{self, MemberSpec, Org, date, gid, member, org},
    helpers::{Scope, TestApp, error_code},
};

const BY_GROUP: &str = "query($year: Int!, $by: AssessmentGroupBy!) { dutyRecordsByGroup(year: $year, by: $by) {
    key label memberCount activities { kind participations attended attendanceRate }
    proposalsSubmitted proposalsAccepted reportsSubmitted reportsAdopted trainingHours } }";

/// The hand-counted committee: A (经济界, 提案委员会, the town's studio, 常委), B (经济界, 提案委员会,
/// the village's studio), C (教育界, 文化文史委, the village's studio, 民盟) and D (nothing).
struct Committee {
    app: TestApp,
    org: Org,
    a: i64,
}

async fn committee() -> Committee {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let spec = |name: &str, sector, committee, studio| MemberSpec {
        sector: Some(sector),
        committee: Some(committee),
        studio: Some(studio),
        ..MemberSpec::named(name)
    };
    let a =
        member(&app, &o, MemberSpec { standing: true, ..spec("甲", o.economy, o.proposals_committee, o.town_studio) })
            .await;
    let b = member(&app, &o, spec("乙", o.economy, o.proposals_committee, o.village_studio)).await;
    let c = member(
        &app,
        &o,
        MemberSpec { party: Party::Cdl, ..spec("丙", o.education, o.culture_committee, o.village_studio) },
    )
    .await;
    let d = member(&app, &o, MemberSpec::named("丁")).await;
    use Attendance::{Absent, Excused, Late, Present};
    let inspection = fixtures::activity(
        &app,
        ActivityKind::Inspection,
        date(2024, 3, 1),
        true,
        &[(a, Present), (b, Absent), (c, Late)],
    )
    .await;
    fixtures::activity(
        &app,
        ActivityKind::Research,
        date(2024, 4, 1),
        false,
        &[(a, Excused), (c, Present), (d, Present)],
    )
    .await;
    fixtures::activity(&app, ActivityKind::Inspection, date(2023, 6, 1), true, &[(a, Present)]).await;
    // D invited to the inspection and not marked: pending, neither attended nor absent.
    let events = lvzhi::events::Broker::new();
    activities::invite(&app.db, &Actor::System, &events, inspection, vec![d]).await.map_err(|e| e.message()).unwrap();

    let joint = app
        .ok(
            "mutation($input: SubmitProposalInput!) { submitProposal(input: $input) { proposal { id } } }",
            json!({ "input": { "year": 2024, "kind": "REGULAR", "proposerType": "JOINT", "title": "关于校园安全的建议",
                "suggestions": "建议", "submittedOn": "2024-03-02",
                "signers": [{ "memberId": gid(Kind::Member, a), "role": "FIRST" },
                            { "memberId": gid(Kind::Member, c), "role": "CO" }] } }),
        )
        .await["submitProposal"]["proposal"]["id"]
        .clone();
    app.ok(
        "mutation($id: ID!) { reviewProposal(input: { id: $id, decision: ACCEPT }) { proposal { status } } }",
        json!({ "id": joint }),
    )
    .await;
    fixtures::proposal(&app, b, "关于停车难的建议").await;

    let report = |first: i64, co: Option<i64>, title: &str| {
        let mut authors = vec![json!({ "memberId": gid(Kind::Member, first), "role": "FIRST" })];
        authors.extend(co.map(|m| json!({ "memberId": gid(Kind::Member, m), "role": "CO" })));
        json!({ "input": { "authors": authors, "title": title, "body": "正文", "submittedOn": "2024-05-06" } })
    };
    let submit =
        "mutation($input: SubmitOpinionReportInput!) { submitOpinionReport(input: $input) { opinionReport { id } } }";
    let adopted =
        app.ok(submit, report(b, Some(a), "关于充电安全的建议")).await["submitOpinionReport"]["opinionReport"]["id"]
            .clone();
    app.ok(
        "mutation($id: ID!) { recordOpinionAdoption(input: { id: $id, level: CITY, adoptedOn: \"2024-06-01\" }) { opinionReport { status } } }",
        json!({ "id": adopted }),
    )
    .await;
    app.ok(submit, report(c, None, "关于老旧小区的建议")).await;

    let training = "mutation($input: RecordTrainingSessionInput!) { recordTrainingSession(input: $input) { trainingSession { id } } }";
    for (start, attendees) in [
        (
            "2024-05-10",
            json!([{ "memberId": gid(Kind::Member, a), "hours": "7.5" }, { "memberId": gid(Kind::Member, c), "hours": "3" }]),
        ),
        ("2023-05-10", json!([{ "memberId": gid(Kind::Member, a), "hours": "8" }])),
    ] {
        let input = json!({ "title": format!("委员培训班 {start}"), "kind": "CLASS", "startDate": start, "creditHours": "8",
            "attendees": attendees });
        app.ok(training, json!({ "input": input })).await;
    }
    Committee { app, org: o, a }
}

fn kind(kind: &str, participations: i64, attended: i64, rate: &str) -> Value {
    json!({ "kind": kind, "participations": participations, "attended": attended, "attendanceRate": rate })
}

/// The groups of 2024 by `by`, as the holder of `token` (the administrator when `None`).
async fn groups(app: &TestApp, token: Option<&str>, by: &str) -> Value {
    let variables = json!({ "year": 2024, "by": by });
    let response = match token {
        Some(token) => app.post(Some(token), BY_GROUP, variables).await,
        None => app.admin(BY_GROUP, variables).await,
    };
    assert!(response.get("errors").is_none(), "{response:#}");
    response["data"]["dutyRecordsByGroup"].clone()
}

#[actix_web::test]
async fn duty_records_by_sector_match_the_hand_count() {
    let c = committee().await;

    let found = groups(&c.app, None, "SECTOR").await;

    assert_eq!(
        found,
        json!([
            { "key": gid(Kind::Sector, c.org.economy), "label": "经济界", "memberCount": 2,
              "activities": [kind("INSPECTION", 2, 1, "0.5"), kind("RESEARCH", 1, 0, "0")],
              "proposalsSubmitted": 2, "proposalsAccepted": 1, "reportsSubmitted": 1, "reportsAdopted": 1,
              "trainingHours": "7.5" },
            { "key": gid(Kind::Sector, c.org.education), "label": "教育界", "memberCount": 1,
              "activities": [kind("INSPECTION", 1, 1, "1"), kind("RESEARCH", 1, 1, "1")],
              "proposalsSubmitted": 1, "proposalsAccepted": 1, "reportsSubmitted": 1, "reportsAdopted": 0,
              "trainingHours": "3" },
            { "key": "NONE", "label": "未定界别", "memberCount": 1,
              "activities": [kind("RESEARCH", 1, 1, "1")],
              "proposalsSubmitted": 0, "proposalsAccepted": 0, "reportsSubmitted": 0, "reportsAdopted": 0,
              "trainingHours": "0" },
        ]),
        "the pending invitation and the 2023 records are left out (no INSPECTION row for D); a joint record \
         counts once in each group of its signers"
    );
}

#[actix_web::test]
async fn duty_records_by_town_committee_party_and_standing_place_members_as_a_run_does() {
    let c = committee().await;

    let by = |found: &Value| -> Vec<(String, i64, i64)> {
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                let attended =
                    g["activities"].as_array().unwrap().iter().map(|k| k["attended"].as_i64().unwrap()).sum();
                (g["label"].as_str().unwrap().to_owned(), g["memberCount"].as_i64().unwrap(), attended)
            })
            .collect()
    };
    let town = groups(&c.app, None, "TOWN").await;
    let committee = groups(&c.app, None, "SPECIAL_COMMITTEE").await;
    let party = groups(&c.app, None, "PARTY").await;
    let standing = groups(&c.app, None, "STANDING").await;
    let new = groups(&c.app, None, "NEW_MEMBER").await;

    // The village's studio belongs to its town: A, B and C are all in 城关街道.
    assert_eq!(by(&town), [("城关街道".to_owned(), 3, 3), ("未定镇街".to_owned(), 1, 1)]);
    assert_eq!(town[0]["key"], gid(Kind::Region, c.org.town));
    assert_eq!(
        by(&committee),
        [("提案委员会".to_owned(), 2, 1), ("文化文史和学习委员会".to_owned(), 1, 2), ("未入专委会".to_owned(), 1, 1)]
    );
    assert_eq!(by(&party), [("中共".to_owned(), 3, 2), ("民盟".to_owned(), 1, 2)]);
    assert_eq!((party[0]["key"].as_str(), party[1]["key"].as_str()), (Some("CPC"), Some("CDL")));
    assert_eq!(by(&standing), [("常委".to_owned(), 1, 1), ("非常委".to_owned(), 3, 3)]);
    assert_eq!(
        (&standing[1]["proposalsSubmitted"], &standing[1]["reportsSubmitted"], &standing[1]["reportsAdopted"]),
        (&json!(2), &json!(2), &json!(1))
    );
    assert_eq!(by(&new), [("新任".to_owned(), 4, 4)]);
}

#[actix_web::test]
async fn a_viewer_sees_only_groups_of_three_members_or_more_and_staff_every_group() {
    let c = committee().await;
    let viewer = c.app.account("viewer1", Role::Viewer, Scope::None).await;
    let staff = c.app.account("staff1", Role::CommitteeStaff, Scope::Committee(c.org.proposals_committee)).await;
    let own = c.app.account("member1", Role::Member, Scope::Member(c.a)).await;

    let seen = groups(&c.app, Some(&viewer), "STANDING").await;
    let by_sector = groups(&c.app, Some(&viewer), "SECTOR").await;
    let by_staff = groups(&c.app, Some(&staff), "STANDING").await;
    let by_member = c.app.post(Some(&own), BY_GROUP, json!({ "year": 2024, "by": "STANDING" })).await;

    // 常委 is A alone: omitted for the VIEWER, not listed with nulls.
    assert_eq!(seen.as_array().unwrap().len(), 1, "{seen:#}");
    assert_eq!((seen[0]["label"].as_str(), seen[0]["memberCount"].as_i64()), (Some("非常委"), Some(3)));
    assert_eq!(seen[0]["trainingHours"], "3");
    assert_eq!(by_sector, json!([]), "every sector group is under three members");
    assert_eq!(by_staff.as_array().unwrap().len(), 2, "{by_staff:#}");
    assert_eq!(error_code(&by_member), "FORBIDDEN");
}

#[actix_web::test]
async fn duty_records_by_group_refuse_a_year_out_of_range() {
    let c = committee().await;

    let response = c.app.admin(BY_GROUP, json!({ "year": 99999, "by": "SECTOR" })).await;

    assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response:#}");
}

/// The statements `dutyRecordsByGroup(by:)` takes.
async fn statements(app: &TestApp, by: &str) -> usize {
    let before = app.statements();
    groups(app, None, by).await;
    app.statements() - before
}

#[actix_web::test]
async fn statement_count_of_duty_records_by_group_does_not_depend_on_the_committee_size() {
    let c = committee().await;
    let small = statements(&c.app, "STUDIO").await;
    let small_town = statements(&c.app, "TOWN").await;
    let small_sector = statements(&c.app, "SECTOR").await;

    let more = fixtures::members(&c.app, &c.org, 12).await;
    let marks: Vec<_> = more.iter().map(|&m| (m, Attendance::Present)).collect();
    fixtures::activity(&c.app, ActivityKind::Consultation, date(2024, 9, 1), true, &marks).await;
    let health =
        lvzhi::organisation::service::create_sector(&c.app.db, &Actor::System, "医药卫生界", 3).await.unwrap().id;
    member(&c.app, &c.org, MemberSpec { sector: Some(health), ..MemberSpec::named("戊") }).await;
    let large = statements(&c.app, "STUDIO").await;
    let large_town = statements(&c.app, "TOWN").await;
    let large_sector = groups(&c.app, None, "SECTOR").await;
    let large_sector_statements = statements(&c.app, "SECTOR").await;

    assert_eq!(large_sector.as_array().unwrap().len(), 4, "a fourth sector group");
    assert_eq!(small, large, "statements for 4 and 17 members");
    assert_eq!(small_town, large_town);
    assert_eq!(small_sector, large_sector_statements, "statements for 3 and 4 groups");
}

#[actix_web::test]
async fn the_demos_groups_add_up_to_its_months() {
    let app = demo_app().await;
    let months = app
        .ok("{ dutyRecordsByMonth(year: 2023) { activities { participations attended } trainingHours } }", json!({}))
        .await;
    let sum = |list: &Value, path: &str| -> i64 {
        list.as_array()
            .unwrap()
            .iter()
            .flat_map(|m| m["activities"].as_array().unwrap().clone())
            .map(|k| k[path].as_i64().unwrap())
            .sum()
    };
    let hours = |list: &Value| -> rust_decimal::Decimal {
        list.as_array()
            .unwrap()
            .iter()
            .map(|m| m["trainingHours"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap())
            .sum()
    };
    let months = &months["dutyRecordsByMonth"];

    for by in ["SECTOR", "SPECIAL_COMMITTEE", "STUDIO", "TOWN", "PARTY", "STANDING", "NEW_MEMBER"] {
        let found = app.ok(BY_GROUP, json!({ "year": 2023, "by": by })).await["dutyRecordsByGroup"].clone();
        let members: i64 = found.as_array().unwrap().iter().map(|g| g["memberCount"].as_i64().unwrap()).sum();
        assert_eq!(members, 209, "{by}: every member seated in 2023 is in one group");
        assert_eq!(sum(&found, "participations"), sum(months, "participations"), "{by}");
        assert_eq!(sum(&found, "attended"), sum(months, "attended"), "{by}");
        assert_eq!(hours(&found), hours(months), "{by}");
    }
}
