//! The year in review: the demo committee's 2023 figures, and who may read them.

use entity::enums::Role;
use lvzhi::seed;
use serde_json::json;

use crate::helpers::{Scope, TestApp, error_code};

const QUERY: &str = "query($year: Int!) { yearInReview(year: $year) {
    year members specialCommittees towns studios consultations
    proposals { submitted accepted answered metRate satisfiedRate }
    opinionReports opinionReportsAdopted researchReports suggestions readingEvents readingParticipations
    studioConsultations problemsSolved volunteerActivities peopleServed trainingClasses
    activitiesByKind { kind label count participations } } }";

#[actix_web::test]
async fn the_demo_committee_reproduces_the_2023_work_summary() {
    let app = TestApp::new().await;
    seed::demo(&app.db).await.map_err(|e| e.message()).expect("seed the demo committee");

    let data = app.ok(QUERY, json!({ "year": 2023 })).await;

    let y = &data["yearInReview"];
    assert_eq!(y["members"], 209, "{y:#}");
    assert_eq!(y["specialCommittees"], 4);
    assert_eq!(y["towns"], 16);
    assert_eq!(y["consultations"], 12);
    assert_eq!(y["researchReports"], 10);
    assert_eq!(y["suggestions"], 45);
    assert_eq!(y["readingEvents"], 3);
    assert_eq!(y["readingParticipations"], 50);
    assert_eq!(y["studioConsultations"], 26);
    assert_eq!(y["problemsSolved"], 18);
    assert_eq!(y["volunteerActivities"], 12);
    assert_eq!(y["peopleServed"], 318);
    assert_eq!(y["studios"], 207);
    assert_eq!(y["trainingClasses"], 2);
    assert_eq!(
        y["proposals"],
        json!({ "submitted": 48, "accepted": 48, "answered": 48, "metRate": "1", "satisfiedRate": "1" })
    );
    assert_eq!(y["opinionReports"], 26);
    let plenary = y["activitiesByKind"].as_array().unwrap().iter().find(|k| k["kind"] == "PLENARY_SESSION").unwrap();
    assert_eq!((plenary["label"].as_str(), plenary["count"].as_i64()), (Some("全体会议"), Some(1)));
}

#[actix_web::test]
async fn every_role_reads_the_year_in_review_but_not_anonymous_callers() {
    let app = TestApp::new().await;
    let viewer = app.account("viewer1", Role::Viewer, Scope::None).await;

    let by_viewer = app.post(Some(&viewer), QUERY, json!({ "year": 2023 })).await;
    let anonymous = app.post(None, QUERY, json!({ "year": 2023 })).await;

    assert!(by_viewer.get("errors").is_none(), "{by_viewer:#}");
    assert_eq!(by_viewer["data"]["yearInReview"]["consultations"], 0);
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

/// Participations of every kind are counted only when `activitiesByKind.participations` is
/// asked for (it joins every attendance of the year); the reading figures come out the same
/// either way.
#[actix_web::test]
async fn the_figures_agree_whether_or_not_participations_of_every_kind_are_asked_for() {
    let app = TestApp::new().await;
    seed::demo(&app.db).await.map_err(|e| e.message()).expect("seed the demo committee");
    let without =
        "{ yearInReview(year: 2023) { readingEvents readingParticipations activitiesByKind { kind count } } }";
    let with = "{ yearInReview(year: 2023) { readingParticipations activitiesByKind { kind participations } } }";

    let a = app.ok(without, json!({})).await;
    let b = app.ok(with, json!({})).await;

    assert_eq!(a["yearInReview"]["readingParticipations"], 50);
    assert_eq!(b["yearInReview"]["readingParticipations"], 50);
    let kinds = b["yearInReview"]["activitiesByKind"].as_array().unwrap();
    let of = |kind: &str| kinds.iter().find(|k| k["kind"] == kind).unwrap()["participations"].as_i64().unwrap();
    assert_eq!(of("READING"), 50);
    // Other kinds are counted too when asked (the demo's plenary session had the whole committee).
    assert!(of("PLENARY_SESSION") > 150, "{kinds:?}");
}
