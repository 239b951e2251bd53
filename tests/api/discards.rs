//! Issue 20, corrections: discarding a draft assessment run (its results, score lines and
//! adjustments go with it) and deleting a rule set no run uses; confirmed and published runs stay.

use entity::enums::Role;
use serde_json::{Value, json};

use crate::{
    edits::audit,
    fixtures::{members, org},
    helpers::{Scope, TestApp, error_code, error_field},
};

const DISCARD: &str =
    "mutation($id: ID!) { discardAssessmentRun(input: { id: $id }) { discardedRunId year resultsRemoved } }";
const DELETE_RULES: &str = "mutation($id: ID!) { deleteRuleSet(input: { id: $id }) { deletedRuleSetId name } }";

async fn rule_set(app: &TestApp) -> Value {
    app.ok(
        "mutation { createRuleSet(input: { name: \"出席\", scale: CAPPED, maxPoints: \"100\", categories: [{ code: \"M\", label: \"会议\" }], rules: [{ code: \"a\", label: \"出席\", category: \"M\", source: ACTIVITY, activityKinds: [PLENARY_SESSION], points: \"5\" }], grades: [{ grade: COMPETENT, minPoints: \"60\" }, { grade: INCOMPETENT, minPoints: \"0\" }] }) { ruleSet { id } } }",
        json!({}),
    )
    .await["createRuleSet"]["ruleSet"]["id"]
        .clone()
}

async fn run(app: &TestApp, rules: &Value) -> Value {
    app.ok(
        "mutation($r: ID!) { runAssessment(input: { ruleSetId: $r, year: 2024 }) { assessmentRun { id } } }",
        json!({ "r": rules }),
    )
    .await["runAssessment"]["assessmentRun"]["id"]
        .clone()
}

#[actix_web::test]
async fn discarding_a_draft_run_removes_its_results_and_adjustments_and_frees_its_rule_set() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    members(&app, &org, 3).await;
    let rules = rule_set(&app).await;
    let id = run(&app, &rules).await;
    let result = app
        .ok(
            "query($id: ID!) { assessmentRun(id: $id) { assessments(first: 1) { nodes { id } } } }",
            json!({ "id": id }),
        )
        .await["assessmentRun"]["assessments"]["nodes"][0]["id"]
        .clone();
    app.ok(
        "mutation($id: ID!) { adjustAssessment(input: { memberAssessmentId: $id, points: \"2\", reason: \"获市级表彰\" }) { memberAssessment { total } } }",
        json!({ "id": result }),
    )
    .await;
    let in_use = app.admin(DELETE_RULES, json!({ "id": rules })).await;

    let discarded = app.ok(DISCARD, json!({ "id": id })).await;
    let seen = app
        .ok(
            "query($id: ID!, $r: ID!) { assessmentRun(id: $id) { id } assessments(year: 2024) { totalCount } node(id: $r) { id } }",
            json!({ "id": id, "r": result }),
        )
        .await;
    let deleted = app.ok(DELETE_RULES, json!({ "id": rules })).await;
    let sets = app.ok("{ ruleSets { id } }", json!({})).await;

    assert_eq!(error_code(&in_use), "CONFLICT");
    assert_eq!(discarded["discardAssessmentRun"], json!({ "discardedRunId": id, "year": 2024, "resultsRemoved": 3 }));
    assert_eq!(seen["assessmentRun"], Value::Null);
    assert_eq!(seen["assessments"]["totalCount"], 0);
    assert_eq!(seen["node"], Value::Null);
    assert_eq!(deleted["deleteRuleSet"], json!({ "deletedRuleSetId": rules, "name": "出席 v1" }));
    assert_eq!(sets["ruleSets"], json!([]));
    let entries = audit(&app, "discardAssessmentRun").await;
    let entities: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(entities, ["assessment_run", "assessment_run_adjustments"]);
    assert_eq!((&entries[0].1["status"], &entries[0].2), (&json!("DRAFT"), &Value::Null));
    assert_eq!(entries[1].1[0]["reason"], "获市级表彰");
    let removed = audit(&app, "deleteRuleSet").await;
    assert_eq!((removed.len(), &removed[0].0, &removed[0].2), (1, &"rule_set".to_owned(), &Value::Null));
    // A new run of the same rule set and year starts afresh: the adjustment went with the run.
    let again = run(&app, &rule_set(&app).await).await;
    let fresh = app
        .ok(
            "query($id: ID!) { assessmentRun(id: $id) { assessments { nodes { adjustments { points } } } } }",
            json!({ "id": again }),
        )
        .await;
    let nodes = fresh["assessmentRun"]["assessments"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 3);
    assert!(nodes.iter().all(|n| n["adjustments"] == json!([])), "{fresh:#}");
}

#[actix_web::test]
async fn confirmed_and_published_runs_cannot_be_discarded_and_a_refusal_changes_nothing() {
    let app = TestApp::new().await;
    let org = org(&app).await;
    members(&app, &org, 2).await;
    let rules = rule_set(&app).await;
    let id = run(&app, &rules).await;
    app.ok(
        "mutation($id: ID!) { confirmAssessmentRun(input: { id: $id }) { assessmentRun { id } } }",
        json!({ "id": id }),
    )
    .await;
    let office = app.account("office", Role::Office, Scope::None).await;
    let viewer = app.account("member1", Role::Viewer, Scope::None).await;

    let confirmed = app.post(Some(&office), DISCARD, json!({ "id": id })).await;
    app.ok(
        "mutation($id: ID!) { publishAssessmentRun(input: { id: $id }) { assessmentRun { id } } }",
        json!({ "id": id }),
    )
    .await;
    let published = app.admin(DISCARD, json!({ "id": id })).await;
    let by_viewer = app.post(Some(&viewer), DISCARD, json!({ "id": id })).await;
    let not_a_run = app.admin(DISCARD, json!({ "id": rules })).await;
    let seen = app.ok("query($id: ID!) { assessmentRun(id: $id) { status memberCount } }", json!({ "id": id })).await;

    assert_eq!(error_code(&confirmed), "CONFLICT");
    assert_eq!(error_code(&published), "CONFLICT");
    assert_eq!(error_code(&by_viewer), "FORBIDDEN");
    assert_eq!((error_code(&not_a_run), error_field(&not_a_run)), ("BAD_USER_INPUT", "input.id"));
    assert_eq!(seen["assessmentRun"], json!({ "status": "PUBLISHED", "memberCount": 2 }));
    assert!(audit(&app, "discardAssessmentRun").await.is_empty());
}
