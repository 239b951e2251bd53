//! To-one relations fetched in their parent's statement: a page of results with its members,
//! a member's first participations with their activities. Asking for the relation costs no
//! statement of its own, whatever the page's size, and answers what the relation's own load
//! would.

use entity::enums::{ActivityKind, Attendance};
use lvzhi::{assessment::service as assessments, auth::Actor, relay::Kind};
use serde_json::{Value, json};

use crate::{
    fixtures::{activity, date, gid, members, org},
    helpers::TestApp,
};

/// The statements `query` runs, and its data.
async fn counted(app: &TestApp, query: &str, variables: Value) -> (usize, Value) {
    let before = app.statements();
    let data = app.ok(query, variables).await;
    (app.statements() - before, data)
}

#[actix_web::test]
async fn a_page_of_results_brings_its_members_in_the_same_statement() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let ids = members(&app, &o, 12).await;
    let marks: Vec<_> = ids.iter().take(5).map(|&m| (m, Attendance::Present)).collect();
    activity(&app, ActivityKind::Inspection, date(2024, 3, 1), true, &marks).await;
    let set = assessments::load_preset(&app.db, &Actor::System, "tongcheng", None, None).await.unwrap().id;
    let run = "mutation($input: RunAssessmentInput!) { runAssessment(input: $input) { assessmentRun { id } } }";
    app.ok(run, json!({ "input": { "ruleSetId": gid(Kind::RuleSet, set), "year": 2024 } })).await;

    let bare = "query($n: Int!) { assessments(year: 2024, first: $n, orderBy: [{ field: NAME }]) { nodes { rank } } }";
    let with = "query($n: Int!) { assessments(year: 2024, first: $n, orderBy: [{ field: NAME }]) {
        nodes { rank member { id name } } } }";
    let (bare_small, _) = counted(&app, bare, json!({ "n": 3 })).await;
    let (with_small, _) = counted(&app, with, json!({ "n": 3 })).await;
    let (with_large, data) = counted(&app, with, json!({ "n": 100 })).await;

    assert_eq!(with_small, bare_small, "the members cost no statement of their own");
    assert_eq!(with_small, with_large, "statements for a page of 3 and of 12 results");
    let nodes = data["assessments"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 12);
    for (i, (node, id)) in nodes.iter().zip(&ids).enumerate() {
        assert_eq!(node["member"]["name"], format!("委员{i:03}"), "{node:#}");
        assert_eq!(node["member"]["id"], gid(Kind::Member, *id));
    }
}

#[actix_web::test]
async fn first_participations_bring_their_activities_in_the_same_statement() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let ids = members(&app, &o, 12).await;
    let all: Vec<_> = ids.iter().map(|&m| (m, Attendance::Present)).collect();
    activity(&app, ActivityKind::Inspection, date(2024, 3, 1), true, &all).await;
    activity(&app, ActivityKind::Research, date(2024, 4, 1), false, &all[..6]).await;

    // One member's participations, with and without their activities.
    let one = |activity: bool| {
        format!(
            "query($id: ID!) {{ member(id: $id) {{ participations(year: 2024, first: 50) {{ nodes {{ date {} }} }} }} }}",
            if activity { "activity { title kind }" } else { "" }
        )
    };
    let vars = json!({ "id": gid(Kind::Member, ids[0]) });
    let (bare, _) = counted(&app, &one(false), vars.clone()).await;
    let (with, data) = counted(&app, &one(true), vars).await;
    assert_eq!(with, bare, "the activities cost no statement of their own");
    let titles: Vec<&str> = data["member"]["participations"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["activity"]["title"].as_str().unwrap())
        .collect();
    let expected = [
        format!("{}（2024-04-01）", ActivityKind::Research.label()),
        format!("{}（2024-03-01）", ActivityKind::Inspection.label()),
    ];
    assert_eq!(titles, expected);

    // A page of members, one selection with the activities and one without: the statements
    // do not depend on the page's size.
    let page = "query($n: Int!) { members(first: $n) { nodes { name
        a: participations(year: 2024) { nodes { date activity { title } } }
        b: participations(year: 2024) { nodes { date } } } } }";
    let (small, _) = counted(&app, page, json!({ "n": 3 })).await;
    let (large, data) = counted(&app, page, json!({ "n": 100 })).await;
    assert_eq!(small, large, "statements for a page of 3 and of 12 members");
    let listed: usize = data["members"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let a = m["a"]["nodes"].as_array().unwrap();
            assert_eq!(a.len(), m["b"]["nodes"].as_array().unwrap().len());
            assert!(a.iter().all(|n| n["activity"]["title"].is_string()), "{m:#}");
            a.len()
        })
        .sum();
    assert_eq!(listed, 18);
}
