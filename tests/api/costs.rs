//! What requests cost: every list in the schema is priced by what it can return, so that the
//! cycles plain lists allow are refused before they run; aggregates are priced by what they
//! scan, and one request runs only its share of them at once.

use async_graphql::{
    OutputType, SubscriptionType,
    registry::{MetaType, Registry},
};
use lvzhi::{
    auth::Role,
    config::ApiConfig,
    schema::{Mutation, Query, Subscription},
    server::AppState,
};
use serde_json::{Value, json};

use crate::{
    fixtures::org,
    helpers::{Scope, TestApp, error_code},
};

/// The message async-graphql gives a document over the complexity limit.
const TOO_COMPLEX: &str = "Query is too complex.";

fn messages(response: &Value) -> Vec<&str> {
    response["errors"]
        .as_array()
        .map_or_else(Vec::new, |errors| errors.iter().filter_map(|e| e["message"].as_str()).collect())
}

fn refused_as_too_complex(response: &Value) -> bool {
    error_code(response) == "BAD_USER_INPUT" && messages(response).contains(&TOO_COMPLEX) && response["data"].is_null()
}

#[test]
fn every_list_field_of_the_schema_is_priced() {
    let mut registry = Registry::default();
    Query::create_type_info(&mut registry);
    Mutation::create_type_info(&mut registry);
    <Subscription as SubscriptionType>::create_type_info(&mut registry);

    let mut unpriced = Vec::new();
    for (name, ty) in &registry.types {
        // A connection's `nodes` and `edges` are priced by the field that returns the
        // connection: its page size times everything selected inside it.
        if name.starts_with("__") || name.ends_with("Connection") {
            continue;
        }
        let MetaType::Object { fields, .. } = ty else { continue };
        for field in fields.values() {
            let list = field.ty.starts_with('[');
            let connection = field.ty.trim_end_matches('!').ends_with("Connection");
            if (list || connection) && field.compute_complexity.is_none() {
                unpriced.push(format!("{name}.{}: {}", field.name, field.ty));
            }
        }
    }
    assert!(unpriced.is_empty(), "list fields without a complexity of their own: {unpriced:#?}");
}

/// `{ regions { children { parent { children … } } } }`, `levels` times `children`.
fn region_cycle(levels: usize) -> String {
    let mut inner = "children { name }".to_owned();
    for _ in 1..levels {
        inner = format!("children {{ parent {{ {inner} }} }}");
    }
    format!("{{ regions {{ {inner} }} }}")
}

/// `{ root { a { b { c { d { a { b … name } } } } } } }`: the round trip `steps` (from a unit's
/// memberships to a member's, and back to the unit) twice, then its first two steps again.
fn cycle(root: &[&str], steps: &[&str]) -> String {
    let path: Vec<&str> = root.iter().chain(steps).chain(steps).chain(&steps[..2]).copied().collect();
    let inner = path.iter().rev().fold("name".to_owned(), |inner, field| format!("{field} {{ {inner} }}"));
    format!("{{ {inner} }}")
}

#[actix_web::test]
async fn the_five_level_cycles_of_plain_lists_are_refused_as_too_complex() {
    let app = TestApp::new().await;
    org(&app).await;
    let viewer = app.account("viewer", Role::Viewer, Scope::None).await;
    let cycles = [
        region_cycle(5),
        cycle(&["specialCommittees"], &["memberships", "member", "committeeMemberships", "specialCommittee"]),
        cycle(&["studios", "nodes"], &["assignments", "member", "studioAssignments", "studio"]),
        cycle(&["groups"], &["memberships", "member", "groupMemberships", "group"]),
    ];
    assert_eq!(cycles[0].matches("children").count(), 5);

    for cycle in cycles {
        let response = app.post(Some(&viewer), &cycle, json!({})).await;
        assert!(refused_as_too_complex(&response), "{cycle}\n{response:#}");
    }
}

/// The documents the front ends and the benchmark send, at the largest page they ask for.
const ORDINARY: [&str; 12] = [
    "{ members(first: 100, orderBy: [{ field: NAME }]) { nodes { id name pinyin
       currentSeat { memberNumber party standingCommittee sector { name } }
       committeeMemberships(current: true) { role specialCommittee { name } }
       studioAssignments(current: true) { studio { name region { name } } } } } }",
    "{ assessments(year: 2024, first: 100, orderBy: [{ field: RANK }]) {
       nodes { rank total grade gradeLabel passed flags
         sector: cohortRank(cohort: SECTOR) committee: cohortRank(cohort: SPECIAL_COMMITTEE)
         subtotals { category label points records } member { name } } } }",
    "query($id: ID!) { member(id: $id) { name pinyin phone
       currentSeat { memberNumber sector { name } }
       attendance(year: 2024) { present late leftEarly excused absent expected attended rate }
       trainingHours(year: 2024)
       participations(year: 2024, first: 50) { nodes { date attendance role activity { title kind } } }
       dutyItems(year: 2024) { kind title date status }
       proposals(year: 2024) { nodes { title status } }
       opinionReports(year: 2024) { nodes { title status } }
       assessment(year: 2024) { total grade rank subtotals { category points } lines { date description points } } } }",
    "{ yearInReview(year: 2024) { members specialCommittees towns studios
       activitiesByKind { kind count participations } consultations
       proposals { submitted accepted answered metRate satisfiedRate }
       opinionReports opinionReportsAdopted researchReports suggestions readingEvents readingParticipations
       studioConsultations } }",
    "{ members(first: 5) { totalCount nodes { name currentSeat { sector { name } } } }
       everyone: members(filter: { anyTerm: true }) { totalCount }
       specialCommittees { name } regions { name children { name } } studios(first: 1) { totalCount } }",
    "{ regions { name levelLabel children { name level parent { name } } } }",
    "{ groups { memberships(current: true) { roleLabel member { name } } }
       sectors { name conveners(current: true) { member { name } } } }",
    "{ proposals(first: 100) { nodes { title
       signers { role member { name } } assignments { role handlingUnit { name } } latestAction { kind } } } }",
    "{ members(first: 100) { nodes { name
       proposals(first: 2) { totalCount pageInfo { hasNextPage } nodes { title signers { member { name } } } }
       opinionReports { totalCount nodes { title } } } } }",
    "{ plans(year: 2024) { title progress(asOf: \"2024-12-31\") { total done onTrack late notStarted }
       areas(asOf: \"2024-12-31\") { area progress { total } }
       items(first: 100) { nodes { type activityCount title lead { name } progress { text } } } } }",
    "{ this: yearInReview(year: 2024) { members } last: yearInReview(year: 2023) { members }
       proposalStatistics(year: 2024) { submitted resultClasses { resultClass count } } }",
    "{ specialCommittees { name memberships(current: true) { role member { name } } }
       ruleSets { name categories { code label } grades { grade minPoints } }
       terms { name } handlingUnits { name } }",
];

#[actix_web::test]
async fn the_front_ends_ordinary_documents_stay_within_the_limits() {
    let app = TestApp::new().await;
    org(&app).await;
    let id = crate::fixtures::gid(lvzhi::relay::Kind::Member, 1);

    for document in ORDINARY {
        let response = app.admin(document, json!({ "id": id })).await;
        let refused: Vec<&str> =
            messages(&response).into_iter().filter(|m| m.contains("too complex") || m.contains("too deep")).collect();
        assert!(refused.is_empty(), "{document}\n{response:#}");
    }
}

/// `yearInReview` `n` times, each under an alias of its own.
fn aliased_years_in_review(n: usize) -> String {
    let fields: String = (0..n).map(|i| format!(" y{i}: yearInReview(year: {}) {{ members }}", 2000 + i)).collect();
    format!("{{{fields} }}")
}

#[actix_web::test]
async fn twenty_aliased_years_in_review_are_refused_as_too_complex() {
    let app = TestApp::new().await;
    let viewer = app.account("viewer", Role::Viewer, Scope::None).await;

    let response = app.post(Some(&viewer), &aliased_years_in_review(20), json!({})).await;

    assert!(refused_as_too_complex(&response), "{response:#}");
}

#[actix_web::test]
async fn the_aggregates_of_one_request_run_at_most_its_share_of_the_pool_at_once() {
    let mut app = TestApp::new().await;
    // A limit that lets twenty through, to watch how they run.
    let config = ApiConfig { max_complexity: 1_000_000, max_request_connections: Some(2), ..ApiConfig::default() };
    app.state = AppState::with_config(app.db.clone(), config);

    let data = app.ok(&aliased_years_in_review(20), json!({})).await;

    assert_eq!(data.as_object().map(|fields| fields.len()), Some(20));
    assert_eq!(app.state.share.peak(), 2, "the twenty ran two at a time");

    // Without the bound, the same request runs all twenty at once.
    let config = ApiConfig { max_complexity: 1_000_000, max_request_connections: Some(20), ..ApiConfig::default() };
    app.state = AppState::with_config(app.db.clone(), config);
    app.ok(&aliased_years_in_review(20), json!({})).await;
    assert!(app.state.share.peak() > 2, "unbounded, more than two ran at once: {}", app.state.share.peak());
}

#[actix_web::test]
async fn the_counts_of_aliased_lists_take_turns_too() {
    let mut app = TestApp::new().await;
    let config = ApiConfig { max_request_connections: Some(2), ..ApiConfig::default() };
    app.state = AppState::with_config(app.db.clone(), config);
    let counts: String = (0..20).map(|i| format!(" m{i}: members(first: 1) {{ totalCount }}")).collect();

    let data = app.ok(&format!("{{{counts} }}"), json!({})).await;

    assert_eq!(data["m19"]["totalCount"], 0);
    assert!((1..=2).contains(&app.state.share.peak()), "counted {} at once", app.state.share.peak());
}
