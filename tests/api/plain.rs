//! Objects answered in one pass (`lvzhi::plain`, issue 21) answer exactly what the ordinary
//! resolution answers: the same documents asked once with plain selections (plain fields
//! written at once, the others — `cohortSize`, `member`, a `cohortRank` whose argument is a
//! variable — resolved as usual) and once through fragments (which always take the ordinary
//! path) must agree value for value.

use entity::enums::Role;
use lvzhi::relay::Kind;
use serde_json::json;

use crate::{
    analytics::{demo_app, run_of},
    fixtures::gid,
    helpers::Scope,
};

const FAST: &str = "query($id: ID!, $cohort: Cohort!) { assessmentRun(id: $id) {
    groups(by: STUDIO) { key label memberCount mean median min max passRate
      gradeCounts { grade label count } categoryMeans { category label mean } }
    assessments(first: 20) { nodes { id year total computedTotal adjustmentTotal grade gradeLabel passed rank
      sector: cohortRank(cohort: SECTOR) town: cohortRank(cohort: $cohort) standing newMember flags
      cohortSize(cohort: SECTOR) member { id name pinyin __typename }
      subtotals { __typename category label points records again: points } } } }
  members(first: 30) { nodes { id name pinyin
    currentSeat { id memberNumber party partyLabel standingCommittee status sector { id name sortOrder } }
    committeeMemberships { id role roleLabel startDate endDate current specialCommittee { id name sortOrder } }
    studioAssignments { role current studio { id name kind kindLabel region { id name level levelLabel } } }
    participations(first: 5) { nodes { id date attendance attendanceLabel invited role roleLabel
      activity { id title kind kindLabel startDate endDate } } } } } }";

const ORDINARY: &str = "query($id: ID!, $cohort: Cohort!) { assessmentRun(id: $id) {
    groups(by: STUDIO) { ...G }
    assessments(first: 20) { nodes { ...R member { ...M } subtotals { ...C } } } }
  members(first: 30) { nodes { ...MP
    currentSeat { ...SE sector { ...S } }
    committeeMemberships { ...CM specialCommittee { ...SC } }
    studioAssignments { ...SA studio { ...ST } }
    participations(first: 5) { nodes { ...P activity { ...A } } } } } }
  fragment R on MemberAssessment { id year total computedTotal adjustmentTotal grade gradeLabel passed rank
    sector: cohortRank(cohort: SECTOR) town: cohortRank(cohort: $cohort) standing newMember flags
    cohortSize(cohort: SECTOR) }
  fragment MP on Member { id name pinyin }
  fragment SE on Seat { id memberNumber party partyLabel standingCommittee status }
  fragment CM on CommitteeMembership { id role roleLabel startDate endDate current }
  fragment SA on StudioAssignment { role current }
  fragment P on Participation { id date attendance attendanceLabel invited role roleLabel }
  fragment G on AssessmentGroup { key label memberCount mean median min max passRate
    gradeCounts { ... on GradeCount { grade label count } }
    categoryMeans { ... on CategoryMean { category label mean } } }
  fragment M on Member { id name pinyin __typename }
  fragment C on CategorySubtotal { __typename category label points records again: points }
  fragment S on Sector { id name sortOrder }
  fragment SC on SpecialCommittee { id name sortOrder }
  fragment ST on Studio { id name kind kindLabel region { ... on Region { id name level levelLabel } } }
  fragment A on Activity { id title kind kindLabel startDate endDate }";

#[actix_web::test]
async fn plain_objects_answer_what_the_ordinary_resolution_answers() {
    let app = demo_app().await;
    let run = run_of(&app, 2023).await;
    let vars = json!({ "id": gid(Kind::AssessmentRun, run.id), "cohort": "TOWN" });

    let fast = app.ok(FAST, vars.clone()).await;
    let ordinary = app.ok(ORDINARY, vars).await;

    assert_eq!(fast, ordinary);
    // Something of each kind was answered, so the comparison covered it.
    let groups = fast["assessmentRun"]["groups"].as_array().unwrap();
    assert!(groups.iter().any(|g| !g["gradeCounts"].as_array().unwrap().is_empty()));
    assert!(groups.iter().any(|g| !g["categoryMeans"].as_array().unwrap().is_empty()));
    let result = &fast["assessmentRun"]["assessments"]["nodes"][0];
    assert!(result["sector"].as_i64().is_some_and(|r| r >= 1) && result["town"].as_i64().is_some_and(|r| r >= 1));
    assert!(result["cohortSize"].as_i64().is_some_and(|n| n >= 1));
    assert_eq!(result["member"]["__typename"], "Member");
    assert_eq!(result["subtotals"][0]["__typename"], "CategorySubtotal");
    assert_eq!(result["subtotals"][0]["again"], result["subtotals"][0]["points"]);
    let members = fast["members"]["nodes"].as_array().unwrap();
    assert!(members.iter().any(|m| m["currentSeat"]["sector"]["name"].is_string()));
    assert!(members.iter().any(|m| m["committeeMemberships"][0]["specialCommittee"]["name"].is_string()));
    assert!(members.iter().any(|m| m["studioAssignments"][0]["studio"]["region"]["level"].is_string()));
    assert!(members.iter().any(|m| m["participations"]["nodes"][0]["activity"]["kind"].is_string()));
    assert!(members.iter().any(|m| m["participations"]["nodes"][0]["attendance"].is_string()));
    assert!(members.iter().any(|m| m["currentSeat"]["party"].is_string()));
}

#[actix_web::test]
async fn a_refused_field_inside_a_plain_object_errs_as_it_does_in_the_ordinary_resolution() {
    let app = demo_app().await;
    let viewer = app.account("plain-viewer", Role::Viewer, Scope::None).await;
    let fast = "{ members(first: 3) { nodes { name participations(first: 2) { totalCount } } } }";
    let ordinary = "{ members(first: 3) { nodes { ...M } } } \
                    fragment M on Member { name participations(first: 2) { totalCount } }";

    let a = app.post(Some(&viewer), fast, json!({})).await;
    let b = app.post(Some(&viewer), ordinary, json!({})).await;

    assert_eq!(a, b);
    assert!(a["errors"].as_array().is_some_and(|e| !e.is_empty()), "the viewer is refused: {a}");
    assert_eq!(a["errors"][0]["extensions"]["code"], "FORBIDDEN", "{a}");
    assert_eq!(a["errors"][0]["path"][0], "members", "{a}");
}
