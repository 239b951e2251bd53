//! Issue 19: the example documents under `examples/` — what an appraisal dashboard asks — each
//! validated against the schema and run against the demo committee (on both databases), as the
//! role it is written for. A document without a case here fails the last test.

use std::path::PathBuf;

use entity::enums::Role;
use lvzhi::relay::Kind;
use serde_json::{Value, json};

use crate::{
    analytics::{demo_app, run_of},
    fixtures::gid,
    helpers::{Scope, TestApp},
};

fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn document(name: &str) -> String {
    std::fs::read_to_string(examples_dir().join(name)).unwrap_or_else(|e| panic!("examples/{name}: {e}"))
}

/// Runs an example as the holder of `token`; fails on any error (a document that does not
/// validate against the schema answers errors and no data).
async fn run(app: &TestApp, token: &str, name: &str, variables: Value) -> Value {
    let response = app.post(Some(token), &document(name), variables).await;
    assert!(response.get("errors").is_none(), "examples/{name}: {response:#}");
    response["data"].clone()
}

/// The member of the demo's first 2023 result, who also has a 2024 result.
async fn a_member(app: &TestApp) -> i64 {
    use entity::member_assessment::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let run = run_of(app, 2023).await.id;
    Entity::find()
        .filter(Column::RunId.eq(run))
        .order_by_asc(Column::Rank)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .member_id
}

const CASES: &[&str] = &[
    "appraisal-dashboard.graphql",
    "published-overview.graphql",
    "member-standing.graphql",
    "duty-records-by-group.graphql",
];

#[actix_web::test]
async fn the_dashboard_examples_run_against_the_demo_in_two_requests() {
    let app = demo_app().await;
    let office = app.account("office1", Role::Office, Scope::None).await;
    let viewer = app.account("viewer1", Role::Viewer, Scope::None).await;
    let member_id = a_member(&app).await;
    let member = app.account("member1", Role::Member, Scope::Member(member_id)).await;

    // The first visit computes and keeps each group list's figures (three statements more a
    // list: six lists); later visits read them kept.
    let before = app.statements();
    run(&app, &office, "appraisal-dashboard.graphql", json!({ "year": 2023 })).await;
    let first_visit = app.statements() - before;
    let before = app.statements();
    let dashboard = run(&app, &office, "appraisal-dashboard.graphql", json!({ "year": 2023 })).await;
    let standing = run(&app, &office, "member-standing.graphql", json!({ "id": gid(Kind::Member, member_id) })).await;
    let statements = app.statements() - before;
    let overview = run(&app, &viewer, "published-overview.graphql", json!({ "year": 2023 })).await;
    let own = run(&app, &member, "member-standing.graphql", json!({ "id": gid(Kind::Member, member_id) })).await;

    let runs = dashboard["assessmentRuns"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    for dimension in ["bySector", "byCommittee", "byTown", "byParty", "byStanding", "byNewness"] {
        let members: i64 =
            runs[0][dimension].as_array().unwrap().iter().map(|g| g["memberCount"].as_i64().unwrap()).sum();
        assert_eq!(members, runs[0]["memberCount"].as_i64().unwrap(), "{dimension}");
    }
    assert_eq!(dashboard["top"]["nodes"].as_array().unwrap().len(), 10);
    let years: Vec<i64> =
        standing["member"]["assessments"].as_array().unwrap().iter().map(|y| y["year"].as_i64().unwrap()).collect();
    assert_eq!(years, [2024, 2023]);
    // Fixed by the documents' shape: 3 a group list, the rest one or two a field.
    assert!(statements <= 40, "the dashboard and a member's standing took {statements} statements");
    assert!(
        first_visit <= statements + 6 * 3,
        "the dashboard's first visit took {first_visit} statements, a later one with a member's standing {statements}"
    );
    assert_eq!(overview["assessmentRuns"][0]["status"], "PUBLISHED");
    assert_eq!(own["member"]["assessments"].as_array().unwrap().len(), 1, "a member's own published year");
}

#[actix_web::test]
async fn the_duty_records_by_group_example_runs_for_the_office_and_a_viewer() {
    let app = demo_app().await;
    let office = app.account("office1", Role::Office, Scope::None).await;
    let viewer = app.account("viewer1", Role::Viewer, Scope::None).await;

    let before = app.statements();
    let all = run(&app, &office, "duty-records-by-group.graphql", json!({ "year": 2023 })).await;
    let statements = app.statements() - before;
    let seen = run(&app, &viewer, "duty-records-by-group.graphql", json!({ "year": 2023 })).await;

    for dimension in ["bySector", "byCommittee", "byTown"] {
        let groups = all[dimension].as_array().unwrap();
        let members: i64 = groups.iter().map(|g| g["memberCount"].as_i64().unwrap()).sum();
        assert_eq!(members, 209, "{dimension}: every member seated in 2023, once");
        let shown = seen[dimension].as_array().unwrap();
        assert!(shown.iter().all(|g| g["memberCount"].as_i64().unwrap() >= 3), "{dimension}");
        let large = groups.iter().filter(|g| g["memberCount"].as_i64().unwrap() >= 3).count();
        assert_eq!(shown.len(), large, "{dimension}: the viewer sees every group of three or more");
    }
    // Three statements a dimension, and the session's own.
    assert!(statements <= 12, "the example took {statements} statements");
}

#[actix_web::test]
async fn every_example_document_has_a_case() {
    let mut files: Vec<String> = std::fs::read_dir(examples_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".graphql"))
        .collect();
    files.sort();
    let mut listed: Vec<String> = CASES.iter().map(|s| (*s).to_owned()).collect();
    listed.sort();

    assert_eq!(files, listed);
}
