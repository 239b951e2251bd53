//! Terms, sectors, committees, regions, studios, groups, handling units and memberships.

use entity::enums::Role;
use lvzhi::relay::Kind;
use serde_json::json;

use crate::{
    fixtures::{MemberSpec, gid, member, org},
    helpers::{Scope, TestApp, error_code, error_field},
};

const CREATE_TERM: &str =
    "mutation($input: CreateTermInput!) { createTerm(input: $input) { term { id number name startDate endDate } } }";

#[actix_web::test]
async fn create_term_returns_the_stored_term_and_terms_lists_newest_first() {
    let app = TestApp::new().await;
    for (number, name, start, end) in
        [(9, "第九届", "2016-12-20", "2021-12-19"), (10, "第十届", "2021-12-20", "2026-12-31")]
    {
        let input = json!({ "number": number, "name": name, "startDate": start, "endDate": end });
        let data = app.ok(CREATE_TERM, json!({ "input": input })).await;
        assert_eq!(data["createTerm"]["term"]["name"], name);
        assert_eq!(data["createTerm"]["term"]["startDate"], start);
    }

    let data = app.ok("{ terms { number name } }", json!({})).await;

    assert_eq!(data["terms"], json!([{ "number": 10, "name": "第十届" }, { "number": 9, "name": "第九届" }]));
}

#[actix_web::test]
async fn create_term_rejects_a_duplicate_number_and_dates_out_of_order() {
    let app = TestApp::new().await;
    let input = json!({ "number": 10, "name": "第十届", "startDate": "2021-12-20", "endDate": "2026-12-31" });
    app.ok(CREATE_TERM, json!({ "input": input })).await;

    let duplicate = app.admin(CREATE_TERM, json!({ "input": input })).await;
    let reversed = json!({ "number": 11, "name": "第十一届", "startDate": "2027-01-01", "endDate": "2026-12-31" });
    let backwards = app.admin(CREATE_TERM, json!({ "input": reversed })).await;

    assert_eq!(error_code(&duplicate), "CONFLICT");
    assert_eq!(error_code(&backwards), "BAD_USER_INPUT");
    assert_eq!(error_field(&backwards), "input.endDate");
    assert_eq!(app.ok("{ terms { number } }", json!({})).await["terms"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn create_sector_and_committee_reject_blank_and_duplicate_names() {
    let app = TestApp::new().await;
    let sector =
        "mutation($name: String!) { createSector(input: { name: $name, sortOrder: 3 }) { sector { name sortOrder } } }";
    let committee =
        "mutation($name: String!) { createSpecialCommittee(input: { name: $name }) { specialCommittee { name } } }";

    let created = app.ok(sector, json!({ "name": "  经济界 " })).await;
    let blank = app.admin(sector, json!({ "name": "   " })).await;
    let again = app.admin(sector, json!({ "name": "经济界" })).await;
    app.ok(committee, json!({ "name": "提案委员会" })).await;
    let committee_again = app.admin(committee, json!({ "name": "提案委员会" })).await;

    assert_eq!(created["createSector"]["sector"], json!({ "name": "经济界", "sortOrder": 3 }));
    assert_eq!((error_code(&blank), error_field(&blank)), ("BAD_USER_INPUT", "input.name"));
    assert_eq!(error_code(&again), "CONFLICT");
    assert_eq!(error_code(&committee_again), "CONFLICT");
    let data = app.ok("{ sectors { name } specialCommittees { name } }", json!({})).await;
    assert_eq!(data, json!({ "sectors": [{ "name": "经济界" }], "specialCommittees": [{ "name": "提案委员会" }] }));
}

const CREATE_REGION: &str = "mutation($input: CreateRegionInput!) { createRegion(input: $input) { region { id name level levelLabel parent { name } } } }";

#[actix_web::test]
async fn regions_are_towns_and_streets_with_their_villages_and_communities() {
    let app = TestApp::new().await;
    let town = app.ok(CREATE_REGION, json!({ "input": { "name": "青山镇", "level": "TOWN" } })).await;
    let town_id = town["createRegion"]["region"]["id"].clone();
    let village =
        app.ok(CREATE_REGION, json!({ "input": { "name": "杨柳村", "level": "VILLAGE", "parentId": town_id } })).await;

    let data = app.ok("{ regions { name levelLabel children { name level parent { name } } } }", json!({})).await;

    assert_eq!(village["createRegion"]["region"]["levelLabel"], "村");
    assert_eq!(
        data["regions"],
        json!([{ "name": "青山镇", "levelLabel": "镇",
                 "children": [{ "name": "杨柳村", "level": "VILLAGE", "parent": { "name": "青山镇" } }] }])
    );
}

#[actix_web::test]
async fn create_region_checks_the_level_against_the_parent() {
    let app = TestApp::new().await;
    let town = app.ok(CREATE_REGION, json!({ "input": { "name": "青山镇", "level": "TOWN" } })).await;
    let town_id = town["createRegion"]["region"]["id"].clone();
    let village =
        app.ok(CREATE_REGION, json!({ "input": { "name": "杨柳村", "level": "VILLAGE", "parentId": town_id } })).await;
    let village_id = village["createRegion"]["region"]["id"].clone();

    let orphan = app.admin(CREATE_REGION, json!({ "input": { "name": "孤村", "level": "VILLAGE" } })).await;
    let nested_town =
        app.admin(CREATE_REGION, json!({ "input": { "name": "二镇", "level": "TOWN", "parentId": town_id } })).await;
    let under_village = app
        .admin(CREATE_REGION, json!({ "input": { "name": "小组", "level": "VILLAGE", "parentId": village_id } }))
        .await;
    let duplicate = app
        .admin(CREATE_REGION, json!({ "input": { "name": "杨柳村", "level": "VILLAGE", "parentId": town_id } }))
        .await;
    let wrong_kind = app
        .admin(
            CREATE_REGION,
            json!({ "input": { "name": "某村", "level": "VILLAGE", "parentId": gid(Kind::Sector, 1) } }),
        )
        .await;

    for response in [&orphan, &nested_town, &under_village, &wrong_kind] {
        assert_eq!((error_code(response), error_field(response)), ("BAD_USER_INPUT", "input.parentId"), "{response}");
    }
    assert_eq!(error_code(&duplicate), "CONFLICT");
}

const CREATE_STUDIO: &str = "mutation($input: CreateStudioInput!) { createStudio(input: $input) { studio { id name kind kindLabel region { name } } } }";

#[actix_web::test]
async fn create_studio_places_town_and_village_studios_at_the_right_level() {
    let app = TestApp::new().await;
    let o = org(&app).await;

    let village_at_town = app
        .admin(
            CREATE_STUDIO,
            json!({ "input": { "name": "错位工作室", "kind": "VILLAGE", "regionId": gid(Kind::Region, o.town) } }),
        )
        .await;
    let town_at_village = app
        .admin(
            CREATE_STUDIO,
            json!({ "input": { "name": "错位工作室", "kind": "TOWN", "regionId": gid(Kind::Region, o.village) } }),
        )
        .await;
    let nowhere = app.admin(CREATE_STUDIO, json!({ "input": { "name": "无处工作室", "kind": "TOWN" } })).await;
    let sectorless = app.admin(CREATE_STUDIO, json!({ "input": { "name": "界别工作室", "kind": "SECTOR" } })).await;
    let sector_studio = app
        .ok(
            CREATE_STUDIO,
            json!({ "input": { "name": "经济界委员工作室", "kind": "SECTOR", "sectorId": gid(Kind::Sector, o.economy) } }),
        )
        .await;

    for response in [&village_at_town, &town_at_village, &nowhere] {
        assert_eq!(error_field(response), "input.regionId", "{response}");
    }
    assert_eq!(error_field(&sectorless), "input.sectorId");
    assert_eq!(sector_studio["createStudio"]["studio"]["kindLabel"], "界别委员工作室");
}

#[actix_web::test]
async fn studios_filter_by_town_includes_the_villages_under_it() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let query = "query($f: StudioFilterInput) { studios(filter: $f) { totalCount nodes { name } } }";

    let in_town = app.ok(query, json!({ "f": { "regionId": gid(Kind::Region, o.town) } })).await;
    let in_village = app.ok(query, json!({ "f": { "regionId": gid(Kind::Region, o.village) } })).await;
    let villages = app.ok(query, json!({ "f": { "kind": "VILLAGE" } })).await;
    let searched = app.ok(query, json!({ "f": { "search": "北关" } })).await;

    assert_eq!(in_town["studios"]["totalCount"], 2);
    assert_eq!(in_village["studios"]["nodes"], json!([{ "name": "北关社区委员工作室" }]));
    assert_eq!(villages["studios"]["totalCount"], 1);
    assert_eq!(searched["studios"]["totalCount"], 1);
}

#[actix_web::test]
async fn groups_and_handling_units_are_created_and_listed() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let group = "mutation($c: ID) { createGroup(input: { name: \"读书小组\", kind: READING_GROUP, specialCommitteeId: $c }) { group { name kindLabel specialCommittee { name } } } }";
    let unit = "mutation { createHandlingUnit(input: { name: \"区教育局\", contact: \"王科长\" }) { handlingUnit { name contact } } }";

    let created = app.ok(group, json!({ "c": gid(Kind::SpecialCommittee, o.culture_committee) })).await;
    app.ok(unit, json!({})).await;
    let unit_again = app.admin(unit, json!({})).await;
    let data = app.ok("{ groups { name } handlingUnits { name contact } }", json!({})).await;

    assert_eq!(
        created["createGroup"]["group"],
        json!({ "name": "读书小组", "kindLabel": "读书小组", "specialCommittee": { "name": "文化文史和学习委员会" } })
    );
    assert_eq!(error_code(&unit_again), "CONFLICT");
    assert_eq!(
        data,
        json!({ "groups": [{ "name": "读书小组" }], "handlingUnits": [{ "name": "区教育局", "contact": "王科长" }] })
    );
}

const ASSIGN_COMMITTEE: &str = "mutation($input: AssignCommitteeInput!) { assignCommittee(input: $input) { committeeMembership { id role roleLabel startDate endDate current member { name } specialCommittee { name } } } }";
const END: &str = "mutation($input: EndAssignmentInput!) { endAssignment(input: $input) { assignment { ... on CommitteeMembership { endDate current } ... on StudioAssignment { endDate current studio { name } } } } }";

#[actix_web::test]
async fn moving_a_member_closes_one_membership_and_opens_another() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("李晓秋")).await;
    let assign = |committee: i64, start: &str| {
        json!({ "input": { "memberId": gid(Kind::Member, m), "specialCommitteeId": gid(Kind::SpecialCommittee, committee),
                           "role": "DEPUTY_DIRECTOR", "startDate": start } })
    };

    let first = app.ok(ASSIGN_COMMITTEE, assign(o.proposals_committee, "2022-01-05")).await;
    let membership = &first["assignCommittee"]["committeeMembership"];
    let ended = app.ok(END, json!({ "input": { "id": membership["id"], "endDate": "2023-06-30" } })).await;
    app.ok(ASSIGN_COMMITTEE, assign(o.culture_committee, "2023-07-01")).await;
    let history = app
        .ok(
            "query($id: ID!) { member(id: $id) { all: committeeMemberships { specialCommittee { name } }
               now: committeeMemberships(current: true) { specialCommittee { name } }
               past: committeeMemberships(current: false) { endDate } } }",
            json!({ "id": gid(Kind::Member, m) }),
        )
        .await;

    assert_eq!(membership["roleLabel"], "副主任");
    assert_eq!(membership["current"], true);
    assert_eq!(membership["member"]["name"], "李晓秋");
    assert_eq!(ended["endAssignment"]["assignment"], json!({ "endDate": "2023-06-30", "current": false }));
    assert_eq!(history["member"]["all"].as_array().unwrap().len(), 2);
    assert_eq!(history["member"]["now"], json!([{ "specialCommittee": { "name": "文化文史和学习委员会" } }]));
    assert_eq!(history["member"]["past"], json!([{ "endDate": "2023-06-30" }]));
}

#[actix_web::test]
async fn assigning_twice_to_the_same_committee_is_a_conflict() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let input = json!({ "input": { "memberId": gid(Kind::Member, m),
        "specialCommitteeId": gid(Kind::SpecialCommittee, o.proposals_committee), "startDate": "2022-01-05" } });

    let first = app.ok(ASSIGN_COMMITTEE, input.clone()).await;
    let second = app.admin(ASSIGN_COMMITTEE, input).await;

    assert_eq!(first["assignCommittee"]["committeeMembership"]["role"], "MEMBER");
    assert_eq!(error_code(&second), "CONFLICT");
}

#[actix_web::test]
async fn assignments_reject_unknown_references_with_the_field_named() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let studio = "mutation($input: AssignStudioInput!) { assignStudio(input: $input) { studioAssignment { id } } }";

    let no_member = app
        .admin(
            ASSIGN_COMMITTEE,
            json!({ "input": { "memberId": gid(Kind::Member, 999),
            "specialCommitteeId": gid(Kind::SpecialCommittee, o.proposals_committee), "startDate": "2022-01-05" } }),
        )
        .await;
    let no_studio = app
        .admin(studio, json!({ "input": { "memberId": gid(Kind::Member, m), "studioId": gid(Kind::Studio, 999), "startDate": "2022-01-05" } }))
        .await;
    let not_an_id = app
        .admin(studio, json!({ "input": { "memberId": "garbage", "studioId": gid(Kind::Studio, o.town_studio), "startDate": "2022-01-05" } }))
        .await;

    assert_eq!((error_code(&no_member), error_field(&no_member)), ("BAD_USER_INPUT", "input.memberId"));
    assert_eq!((error_code(&no_studio), error_field(&no_studio)), ("BAD_USER_INPUT", "input.studioId"));
    assert_eq!((error_code(&not_an_id), error_field(&not_an_id)), ("BAD_USER_INPUT", "input.memberId"));
}

#[actix_web::test]
async fn end_assignment_refuses_an_end_before_the_start_a_second_end_and_other_ids() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let studio =
        "mutation($input: AssignStudioInput!) { assignStudio(input: $input) { studioAssignment { id roleLabel } } }";
    let assigned = app
        .ok(
            studio,
            json!({ "input": { "memberId": gid(Kind::Member, m), "studioId": gid(Kind::Studio, o.town_studio),
                                      "role": "LEAD", "startDate": "2022-01-05" } }),
        )
        .await;
    let id = assigned["assignStudio"]["studioAssignment"]["id"].clone();

    let too_early = app.admin(END, json!({ "input": { "id": id, "endDate": "2021-01-01" } })).await;
    let ended = app.ok(END, json!({ "input": { "id": id, "endDate": "2024-01-01" } })).await;
    let again = app.admin(END, json!({ "input": { "id": id, "endDate": "2024-02-01" } })).await;
    let a_member = app.admin(END, json!({ "input": { "id": gid(Kind::Member, m), "endDate": "2024-02-01" } })).await;
    let missing =
        app.admin(END, json!({ "input": { "id": gid(Kind::StudioAssignment, 999), "endDate": "2024-02-01" } })).await;

    assert_eq!(assigned["assignStudio"]["studioAssignment"]["roleLabel"], "负责人");
    assert_eq!((error_code(&too_early), error_field(&too_early)), ("BAD_USER_INPUT", "input.endDate"));
    assert_eq!(ended["endAssignment"]["assignment"]["studio"]["name"], "城关街道委员工作室");
    assert_eq!(error_code(&again), "CONFLICT");
    assert_eq!((error_code(&a_member), error_field(&a_member)), ("BAD_USER_INPUT", "input.id"));
    assert_eq!(error_code(&missing), "NOT_FOUND");
}

#[actix_web::test]
async fn groups_and_conveners_take_members_and_show_them() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let group = app
        .ok("mutation { createGroup(input: { name: \"志愿服务队\", kind: SERVICE_TEAM }) { group { id } } }", json!({}))
        .await;
    let group_id = group["createGroup"]["group"]["id"].clone();

    app.ok(
        "mutation($input: AssignGroupInput!) { assignGroup(input: $input) { groupMembership { id } } }",
        json!({ "input": { "memberId": gid(Kind::Member, m), "groupId": group_id, "role": "LEAD", "startDate": "2022-03-01" } }),
    )
    .await;
    app.ok(
        "mutation($input: AppointConvenerInput!) { appointConvener(input: $input) { sectorConvenership { id } } }",
        json!({ "input": { "memberId": gid(Kind::Member, m), "sectorId": gid(Kind::Sector, o.economy), "startDate": "2022-03-01" } }),
    )
    .await;
    let data = app
        .ok(
            "{ groups { memberships(current: true) { roleLabel member { name } } }
               sectors { name conveners(current: true) { member { name } } } }",
            json!({}),
        )
        .await;

    assert_eq!(data["groups"], json!([{ "memberships": [{ "roleLabel": "组长", "member": { "name": "王芳" } }] }]));
    assert_eq!(data["sectors"][0], json!({ "name": "经济界", "conveners": [{ "member": { "name": "王芳" } }] }));
    assert_eq!(data["sectors"][1]["conveners"], json!([]));
}

#[actix_web::test]
async fn office_staff_may_change_the_organisation_but_members_and_viewers_may_not() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let office = app.account("office", Role::Office, Scope::None).await;
    let own = app.account("wangfang", Role::Member, Scope::Member(m)).await;
    let viewer = app.account("viewer", Role::Viewer, Scope::None).await;
    let create = "mutation { createSector(input: { name: \"新界别\" }) { sector { name } } }";

    let by_office = app.post(Some(&office), create, json!({})).await;
    let by_member = app.post(Some(&own), create, json!({})).await;
    let by_viewer = app.post(Some(&viewer), create, json!({})).await;
    let anonymous = app.post(None, create, json!({})).await;
    let viewer_reads = app.post(Some(&viewer), "{ sectors { name } }", json!({})).await;

    assert_eq!(by_office["data"]["createSector"]["sector"]["name"], "新界别");
    assert_eq!(error_code(&by_member), "FORBIDDEN");
    assert_eq!(error_code(&by_viewer), "FORBIDDEN");
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    assert_eq!(viewer_reads["data"]["sectors"].as_array().unwrap().len(), 3);
}
