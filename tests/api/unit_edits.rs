//! Issue 20, corrections (editing): `updateUnit`, a unit's fields besides its name (the name is
//! `renameUnit`'s, in `edits.rs`). A sector's, committee's or region's place in the lists; a
//! region's level and town; a studio's kind, place, sector, address and opening day; a group's
//! kind and committee; a handling unit's contact; a term's number and dates while what the term
//! holds stays inside. Each correction is audited; a refused one changes nothing.

use entity::enums::{GroupKind, RegionLevel, Role};
use lvzhi::{
    auth::Actor,
    organisation::service::{self as organisation, NewRegion},
    relay::Kind,
};
use serde_json::{Value, json};

use crate::{
    edits::audit,
    fixtures::{MemberSpec, gid, handling_unit, member, members, org, plan},
    helpers::{Scope, TestApp, error_code, error_field},
};

const UPDATE: &str = "mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { unit { id __typename
    ... on Term { number startDate endDate }
    ... on Sector { sortOrder }
    ... on SpecialCommittee { sortOrder }
    ... on Region { level parent { name } }
    ... on Studio { kind region { name } sector { name } address establishedOn }
    ... on Group { kind specialCommittee { name } }
    ... on HandlingUnit { contact } } } }";

/// Sends `updateUnit` with `input` as the admin.
async fn update(app: &TestApp, input: Value) -> Value {
    app.admin(UPDATE, json!({ "input": input })).await
}

/// The unit of a successful `updateUnit`.
async fn updated(app: &TestApp, input: Value) -> Value {
    app.ok(UPDATE, json!({ "input": input })).await["updateUnit"]["unit"].clone()
}

/// A town of its own, beside the fixture's street; returns its id.
async fn second_town(app: &TestApp) -> i64 {
    let new = NewRegion { name: "新城镇".into(), level: RegionLevel::Town, parent_id: None, sort_order: 2 };
    organisation::create_region(&app.db, &Actor::System, new).await.unwrap().id
}

#[actix_web::test]
async fn update_unit_corrects_the_place_of_sectors_committees_and_regions_in_their_lists() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let town = second_town(&app).await;

    let sector = updated(&app, json!({ "id": gid(Kind::Sector, o.education), "sortOrder": 0 })).await;
    updated(&app, json!({ "id": gid(Kind::SpecialCommittee, o.culture_committee), "sortOrder": 0 })).await;
    updated(&app, json!({ "id": gid(Kind::Region, town), "sortOrder": 0 })).await;
    let lists = app.ok("{ sectors { name } specialCommittees { name } regions { name } }", json!({})).await;

    assert_eq!(sector["sortOrder"], 0);
    assert_eq!(lists["sectors"][0]["name"], "教育界");
    assert_eq!(lists["specialCommittees"][0]["name"], "文化文史和学习委员会");
    assert_eq!(lists["regions"][0]["name"], "新城镇");
    let entries = audit(&app, "updateUnit").await;
    let tables: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(tables, ["sector", "special_committee", "region"]);
    assert_eq!((&entries[0].1["sort_order"], &entries[0].2["sort_order"]), (&json!(2), &json!(0)));
    assert_eq!((&entries[0].1["name"], &entries[0].2["name"]), (&json!("教育界"), &json!("教育界")));
}

#[actix_web::test]
async fn update_unit_corrects_a_studio_and_checks_its_kind_region_and_sector_as_when_created() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let studio = gid(Kind::Studio, o.town_studio);
    let village = gid(Kind::Region, o.village);

    let details =
        updated(&app, json!({ "id": studio, "address": "城关街道人民路1号", "establishedOn": "2022-03-01" })).await;
    let wrong_level = update(&app, json!({ "id": studio, "regionId": village })).await;
    let no_sector = update(&app, json!({ "id": studio, "studioKind": "SECTOR" })).await;
    let unknown_sector =
        update(&app, json!({ "id": studio, "studioKind": "SECTOR", "sectorId": gid(Kind::Sector, 999) })).await;
    let unknown_region = update(&app, json!({ "id": studio, "regionId": gid(Kind::Region, 999) })).await;
    let no_region = update(&app, json!({ "id": studio, "regionId": null })).await;
    let to_village = updated(&app, json!({ "id": studio, "studioKind": "VILLAGE", "regionId": village })).await;
    let to_sector = updated(
        &app,
        json!({ "id": studio, "studioKind": "SECTOR", "sectorId": gid(Kind::Sector, o.economy), "regionId": null, "address": null }),
    )
    .await;
    let by_sector = app
        .ok(
            "query($s: ID!) { studios(filter: { sectorId: $s }) { nodes { name } } }",
            json!({ "s": gid(Kind::Sector, o.economy) }),
        )
        .await;

    assert_eq!((&details["address"], &details["establishedOn"]), (&json!("城关街道人民路1号"), &json!("2022-03-01")));
    assert_eq!(details["kind"], "TOWN");
    assert_eq!((error_code(&wrong_level), error_field(&wrong_level)), ("BAD_USER_INPUT", "input.regionId"));
    assert_eq!((error_code(&no_sector), error_field(&no_sector)), ("BAD_USER_INPUT", "input.sectorId"));
    assert_eq!((error_code(&unknown_sector), error_field(&unknown_sector)), ("BAD_USER_INPUT", "input.sectorId"));
    assert_eq!((error_code(&unknown_region), error_field(&unknown_region)), ("BAD_USER_INPUT", "input.regionId"));
    assert_eq!((error_code(&no_region), error_field(&no_region)), ("BAD_USER_INPUT", "input.regionId"));
    assert_eq!((&to_village["kind"], &to_village["region"]["name"]), (&json!("VILLAGE"), &json!("北关社区")));
    assert_eq!(
        to_sector,
        json!({ "id": studio, "__typename": "Studio", "kind": "SECTOR", "region": null, "sector": { "name": "经济界" },
            "address": null, "establishedOn": "2022-03-01" })
    );
    assert_eq!(by_sector["studios"]["nodes"], json!([{ "name": "城关街道委员工作室" }]));
    assert_eq!(audit(&app, "updateUnit").await.len(), 3, "only the three corrections that were made");
}

#[actix_web::test]
async fn update_unit_corrects_a_regions_level_and_town_within_its_tier() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let town = second_town(&app).await;
    let (street, village) = (gid(Kind::Region, o.town), gid(Kind::Region, o.village));
    let namesake =
        NewRegion { name: "北关社区".into(), level: RegionLevel::Village, parent_id: Some(town), sort_order: 1 };
    let namesake = organisation::create_region(&app.db, &Actor::System, namesake).await.unwrap().id;

    let level = updated(&app, json!({ "id": street, "level": "TOWN" })).await;
    let across_tiers = update(&app, json!({ "id": village, "level": "TOWN" })).await;
    let town_under_town = update(&app, json!({ "id": street, "parentId": gid(Kind::Region, town) })).await;
    let under_a_village = update(&app, json!({ "id": gid(Kind::Region, namesake), "parentId": village })).await;
    let taken_there = update(&app, json!({ "id": village, "parentId": gid(Kind::Region, town) })).await;
    organisation::rename_unit(&app.db, &Actor::System, Kind::Region, namesake, "新城村").await.unwrap();
    let moved = updated(&app, json!({ "id": village, "parentId": gid(Kind::Region, town), "level": "VILLAGE" })).await;
    let studios = app
        .ok(
            "query($r: ID!) { studios(filter: { regionId: $r }) { nodes { name } } }",
            json!({ "r": gid(Kind::Region, town) }),
        )
        .await;

    assert_eq!(level["level"], "TOWN");
    assert_eq!((error_code(&across_tiers), error_field(&across_tiers)), ("BAD_USER_INPUT", "input.level"));
    assert_eq!((error_code(&town_under_town), error_field(&town_under_town)), ("BAD_USER_INPUT", "input.parentId"));
    assert_eq!((error_code(&under_a_village), error_field(&under_a_village)), ("BAD_USER_INPUT", "input.parentId"));
    assert_eq!(error_code(&taken_there), "CONFLICT");
    assert_eq!((&moved["level"], &moved["parent"]["name"]), (&json!("VILLAGE"), &json!("新城镇")));
    assert_eq!(studios["studios"]["nodes"], json!([{ "name": "北关社区委员工作室" }]), "its studio follows it");
    let entries = audit(&app, "updateUnit").await;
    assert_eq!(entries.len(), 2);
    assert_eq!((&entries[1].1["parent_id"], &entries[1].2["parent_id"]), (&json!(o.town), &json!(town)));
}

#[actix_web::test]
async fn update_unit_corrects_a_groups_kind_and_committee_and_a_handling_units_contact() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let group = organisation::create_group(&app.db, &Actor::System, "读书小组", GroupKind::ActivityGroup, None)
        .await
        .unwrap()
        .id;
    let (group, unit) = (gid(Kind::Group, group), gid(Kind::HandlingUnit, handling_unit(&app, "市教育局").await));
    let committee = gid(Kind::SpecialCommittee, o.culture_committee);

    let placed =
        updated(&app, json!({ "id": group, "groupKind": "READING_GROUP", "specialCommitteeId": committee })).await;
    let unknown = update(&app, json!({ "id": group, "specialCommitteeId": gid(Kind::SpecialCommittee, 999) })).await;
    let freed = updated(&app, json!({ "id": group, "specialCommitteeId": null })).await;
    let contact = updated(&app, json!({ "id": unit, "contact": "张科长 0556-1234567" })).await;
    let cleared = updated(&app, json!({ "id": unit, "contact": null })).await;
    let control = update(&app, json!({ "id": unit, "contact": "张科长\u{7}" })).await;

    assert_eq!(
        (&placed["kind"], &placed["specialCommittee"]["name"]),
        (&json!("READING_GROUP"), &json!("文化文史和学习委员会"))
    );
    assert_eq!((error_code(&unknown), error_field(&unknown)), ("BAD_USER_INPUT", "input.specialCommitteeId"));
    assert_eq!((&freed["kind"], &freed["specialCommittee"]), (&json!("READING_GROUP"), &Value::Null));
    assert_eq!(contact["contact"], "张科长 0556-1234567");
    assert_eq!(cleared["contact"], Value::Null);
    assert_eq!((error_code(&control), error_field(&control)), ("BAD_USER_INPUT", "input.contact"));
    let tables: Vec<String> = audit(&app, "updateUnit").await.into_iter().map(|e| e.0).collect();
    assert_eq!(tables, ["member_group", "member_group", "handling_unit", "handling_unit"]);
}

#[actix_web::test]
async fn update_unit_refuses_a_field_of_another_kind_other_records_and_other_roles() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let ids = members(&app, &o, 1).await;
    let sector = gid(Kind::Sector, o.economy);
    let token = app.account("member1", Role::Member, Scope::Member(ids[0])).await;
    let staff = app.account("staff", Role::CommitteeStaff, Scope::Committee(o.proposals_committee)).await;
    let before = app
        .ok(
            "{ sectors { name sortOrder } terms { number startDate endDate } studios { nodes { kind address } } }",
            json!({}),
        )
        .await;

    let studio_field = update(&app, json!({ "id": sector, "sortOrder": 5, "studioKind": "SECTOR" })).await;
    let term_field = update(&app, json!({ "id": gid(Kind::Term, o.current_term), "sortOrder": 1 })).await;
    let cleared_elsewhere = update(&app, json!({ "id": gid(Kind::Region, o.town), "address": null })).await;
    let not_a_unit = update(&app, json!({ "id": gid(Kind::Member, ids[0]), "sortOrder": 1 })).await;
    let garbage = update(&app, json!({ "id": "not an id", "sortOrder": 1 })).await;
    let missing = update(&app, json!({ "id": gid(Kind::Studio, 999), "address": "某地" })).await;
    let by_member = app.post(Some(&token), UPDATE, json!({ "input": { "id": sector, "sortOrder": 5 } })).await;
    let by_staff = app.post(Some(&staff), UPDATE, json!({ "input": { "id": sector, "sortOrder": 5 } })).await;
    let after = app
        .ok(
            "{ sectors { name sortOrder } terms { number startDate endDate } studios { nodes { kind address } } }",
            json!({}),
        )
        .await;

    assert_eq!((error_code(&studio_field), error_field(&studio_field)), ("BAD_USER_INPUT", "input.studioKind"));
    assert_eq!((error_code(&term_field), error_field(&term_field)), ("BAD_USER_INPUT", "input.sortOrder"));
    assert_eq!((error_code(&cleared_elsewhere), error_field(&cleared_elsewhere)), ("BAD_USER_INPUT", "input.address"));
    assert_eq!((error_code(&not_a_unit), error_field(&not_a_unit)), ("BAD_USER_INPUT", "input.id"));
    assert_eq!((error_code(&garbage), error_field(&garbage)), ("BAD_USER_INPUT", "input.id"));
    assert_eq!(error_code(&missing), "NOT_FOUND");
    assert_eq!(error_code(&by_member), "FORBIDDEN");
    assert_eq!(error_code(&by_staff), "FORBIDDEN");
    assert_eq!(after, before, "a refused correction changes nothing");
    assert!(audit(&app, "updateUnit").await.is_empty());
}

// ----- terms -----

#[actix_web::test]
async fn a_terms_number_and_dates_are_corrected_while_the_terms_stay_in_order() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let (current, previous) = (gid(Kind::Term, o.current_term), gid(Kind::Term, o.previous_term));

    let corrected = updated(&app, json!({ "id": previous, "number": 8, "endDate": "2021-12-18" })).await;
    let taken = update(&app, json!({ "id": current, "number": 8 })).await;
    let out_of_order = update(&app, json!({ "id": current, "number": 7 })).await;
    let before_previous = update(&app, json!({ "id": current, "startDate": "2016-01-01" })).await;
    let same_day = update(&app, json!({ "id": current, "startDate": "2016-12-20" })).await;
    let reversed = update(&app, json!({ "id": current, "endDate": "2021-01-01" })).await;
    let zero = update(&app, json!({ "id": current, "number": 0 })).await;
    let terms = app.ok("{ terms { number name startDate endDate } }", json!({})).await;

    assert_eq!(
        corrected,
        json!({ "id": previous, "__typename": "Term", "number": 8, "startDate": "2016-12-20", "endDate": "2021-12-18" })
    );
    assert_eq!(error_code(&taken), "CONFLICT");
    assert_eq!((error_code(&out_of_order), error_field(&out_of_order)), ("BAD_USER_INPUT", "input.number"));
    assert_eq!((error_code(&before_previous), error_field(&before_previous)), ("BAD_USER_INPUT", "input.startDate"));
    assert_eq!((error_code(&same_day), error_field(&same_day)), ("BAD_USER_INPUT", "input.startDate"));
    assert_eq!((error_code(&reversed), error_field(&reversed)), ("BAD_USER_INPUT", "input.endDate"));
    assert_eq!((error_code(&zero), error_field(&zero)), ("BAD_USER_INPUT", "input.number"));
    assert_eq!(
        terms["terms"],
        json!([{ "number": 10, "name": "第十届", "startDate": "2021-12-20", "endDate": "2026-12-31" },
            { "number": 8, "name": "第九届", "startDate": "2016-12-20", "endDate": "2021-12-18" }])
    );
    let entries = audit(&app, "updateUnit").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (&entries[0].0, &entries[0].1["number"], &entries[0].2["number"]),
        (&"term".to_owned(), &json!(9), &json!(8))
    );
}

#[actix_web::test]
async fn a_terms_dates_must_keep_its_seats_memberships_and_plans_inside() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let current = gid(Kind::Term, o.current_term);
    // Seated from the term's first day (2021-12-20), in the committee from 2022-01-05.
    member(&app, &o, MemberSpec { committee: Some(o.proposals_committee), ..MemberSpec::named("王芳") }).await;
    plan(&app, 2026).await;

    let after_the_seats = update(&app, json!({ "id": current, "startDate": "2021-12-25" })).await;
    let before_the_membership = update(&app, json!({ "id": current, "endDate": "2022-01-04" })).await;
    let before_the_plan = update(&app, json!({ "id": current, "endDate": "2025-12-31" })).await;
    let earlier = updated(&app, json!({ "id": current, "startDate": "2021-12-15", "endDate": "2026-12-30" })).await;
    let terms = app.ok("{ terms { number startDate endDate } }", json!({})).await;

    assert_eq!((error_code(&after_the_seats), error_field(&after_the_seats)), ("BAD_USER_INPUT", "input.startDate"));
    assert_eq!(
        (error_code(&before_the_membership), error_field(&before_the_membership)),
        ("BAD_USER_INPUT", "input.endDate")
    );
    assert!(error_message(&before_the_membership).contains("committee membership"), "{before_the_membership:#}");
    assert_eq!((error_code(&before_the_plan), error_field(&before_the_plan)), ("BAD_USER_INPUT", "input.endDate"));
    assert!(error_message(&before_the_plan).contains("plan"), "{before_the_plan:#}");
    assert_eq!((&earlier["startDate"], &earlier["endDate"]), (&json!("2021-12-15"), &json!("2026-12-30")));
    assert_eq!(terms["terms"][0], json!({ "number": 10, "startDate": "2021-12-15", "endDate": "2026-12-30" }));
    assert_eq!(audit(&app, "updateUnit").await.len(), 1);
}

fn error_message(response: &Value) -> &str {
    response["errors"][0]["message"].as_str().unwrap_or("")
}
