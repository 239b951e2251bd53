//! Issue 20, corrections (editing), continued from `edits.rs`: a training session's organiser
//! (`updateTrainingSession` with `organiserId`). Each correction shows where the record is read
//! and counted, writes its audit entry, and a refused one leaves everything as it was.

use entity::enums::Role;
use lvzhi::relay::Kind;
use serde_json::{Value, json};

use crate::{
    edits::audit,
    fixtures::{gid, org},
    helpers::{Scope, TestApp, error_code, error_field},
};

// ----- a training session's organiser -----

const RECORD_TRAINING: &str = "mutation($input: RecordTrainingSessionInput!) { recordTrainingSession(input: $input) {
    trainingSession { id } } }";
const MOVE_TRAINING: &str = "mutation($id: ID!, $o: ID) { updateTrainingSession(input: { id: $id, organiserId: $o }) {
    trainingSession { title organiser { kind id name } } } }";

/// Records a one-attendee session organised by `organiser` (the office when none); returns its
/// global ID.
async fn session(app: &TestApp, organiser: Option<&str>) -> String {
    let input = json!({ "title": "委员培训班", "kind": "CLASS", "startDate": "2024-05-16", "creditHours": "2",
        "organiserId": organiser });
    let data = app.ok(RECORD_TRAINING, json!({ "input": input })).await;
    data["recordTrainingSession"]["trainingSession"]["id"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn a_training_session_moves_to_another_organiser_and_back_to_the_office() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let committee = gid(Kind::SpecialCommittee, o.proposals_committee);
    let id = session(&app, None).await;

    let moved = app.ok(MOVE_TRAINING, json!({ "id": id, "o": committee })).await;
    let listed = app
        .ok(
            "query($o: ID!) { trainingSessions(filter: { organiserId: $o }) { totalCount } }",
            json!({ "o": committee }),
        )
        .await;
    let back = app.ok(MOVE_TRAINING, json!({ "id": id, "o": null })).await;
    let unchanged = app.ok(MOVE_TRAINING, json!({ "id": id })).await;

    assert_eq!(
        moved["updateTrainingSession"]["trainingSession"]["organiser"],
        json!({ "kind": "SPECIAL_COMMITTEE", "id": committee, "name": "提案委员会" })
    );
    assert_eq!(listed["trainingSessions"]["totalCount"], 1);
    assert_eq!(back["updateTrainingSession"]["trainingSession"]["organiser"]["kind"], "OFFICE");
    assert_eq!(
        unchanged["updateTrainingSession"]["trainingSession"]["organiser"]["kind"], "OFFICE",
        "absent: unchanged"
    );
    let entries = audit(&app, "updateTrainingSession").await;
    assert_eq!(entries.len(), 3);
    assert_eq!(
        (&entries[0].1["organiser_kind"], &entries[0].2["organiser_kind"]),
        (&json!("OFFICE"), &json!("SPECIAL_COMMITTEE"))
    );
    assert_eq!(entries[0].2["committee_id"], o.proposals_committee);
    assert_eq!((&entries[1].2["organiser_kind"], &entries[1].2["committee_id"]), (&json!("OFFICE"), &Value::Null));
}

#[actix_web::test]
async fn moving_a_session_needs_the_right_to_record_for_the_old_organiser_and_the_new_one() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let own = gid(Kind::SpecialCommittee, o.proposals_committee);
    let culture = gid(Kind::SpecialCommittee, o.culture_committee);
    let committees = session(&app, Some(&own)).await;
    let offices = session(&app, None).await;
    let staff = app.account("staff", Role::CommitteeStaff, Scope::Committee(o.proposals_committee)).await;
    let convener = app.account("convener", Role::SectorConvener, Scope::Sector(o.economy)).await;
    let sector = gid(Kind::Sector, o.economy);

    let away = app.post(Some(&staff), MOVE_TRAINING, json!({ "id": committees, "o": culture })).await;
    let to_office = app.post(Some(&staff), MOVE_TRAINING, json!({ "id": committees, "o": null })).await;
    let taken_over = app.post(Some(&staff), MOVE_TRAINING, json!({ "id": offices, "o": own })).await;
    let to_own_sector = app.post(Some(&convener), MOVE_TRAINING, json!({ "id": committees, "o": sector })).await;
    let kept = app.post(Some(&staff), MOVE_TRAINING, json!({ "id": committees, "o": own })).await;
    let unknown = app.admin(MOVE_TRAINING, json!({ "id": offices, "o": gid(Kind::Studio, 999) })).await;
    let not_an_organiser =
        app.admin(MOVE_TRAINING, json!({ "id": offices, "o": gid(Kind::Term, o.current_term) })).await;
    let sessions = app.ok("{ trainingSessions { nodes { organiser { kind } } } }", json!({})).await;

    for refused in [&away, &to_office, &taken_over, &to_own_sector] {
        assert_eq!(error_code(refused), "FORBIDDEN", "{refused:#}");
    }
    assert!(kept.get("errors").is_none(), "the staff's own committee stays theirs: {kept:#}");
    assert_eq!((error_code(&unknown), error_field(&unknown)), ("BAD_USER_INPUT", "input.organiserId"));
    assert_eq!(
        (error_code(&not_an_organiser), error_field(&not_an_organiser)),
        ("BAD_USER_INPUT", "input.organiserId")
    );
    let mut kinds: Vec<&str> = sessions["trainingSessions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["organiser"]["kind"].as_str().unwrap())
        .collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["OFFICE", "SPECIAL_COMMITTEE"]);
    assert_eq!(audit(&app, "updateTrainingSession").await.len(), 1, "only the allowed correction is audited");
}
