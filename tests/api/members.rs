//! Members and seats: creating, changing, finding, filtering, and who sees personal data.

use entity::enums::{Party, Role};
use lvzhi::relay::Kind;
use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, Org, gid, member, org},
    helpers::{Scope, TestApp, error_code, error_field},
};

const CREATE: &str = "mutation($input: CreateMemberInput!) { createMember(input: $input) { member {
    id name pinyin gender genderLabel ethnicity birthDate phone
    currentSeat { memberNumber party partyLabel standingCommittee leadershipPostLabel employer status statusLabel startDate
                  sector { name } term { name } } } } }";

fn new_member(o: &Org) -> Value {
    json!({ "input": {
        "name": "李晓秋", "gender": "FEMALE", "ethnicity": "汉族", "birthDate": "1972-03-08", "phone": "13900000001",
        "seat": { "termId": gid(Kind::Term, o.current_term), "memberNumber": "10001", "sectorId": gid(Kind::Sector, o.economy),
                  "party": "CDL", "standingCommittee": true, "leadershipPost": "VICE_CHAIR", "employer": "区人民医院副院长" } } })
}

#[actix_web::test]
async fn create_member_stores_the_person_and_the_seat_together() {
    let app = TestApp::new().await;
    let o = org(&app).await;

    let data = app.ok(CREATE, new_member(&o)).await;

    let m = &data["createMember"]["member"];
    assert_eq!(m["name"], "李晓秋");
    assert_eq!(m["pinyin"], "lixiaoqiu");
    assert_eq!(m["genderLabel"], "女");
    assert_eq!(m["birthDate"], "1972-03-08");
    assert_eq!(
        m["currentSeat"],
        json!({ "memberNumber": "10001", "party": "CDL", "partyLabel": "民盟", "standingCommittee": true,
                "leadershipPostLabel": "副主席", "employer": "区人民医院副院长", "status": "SERVING", "statusLabel": "在任",
                "startDate": "2021-12-20", "sector": { "name": "经济界" }, "term": { "name": "第十届" } })
    );
}

#[actix_web::test]
async fn create_member_rejects_bad_input_and_writes_nothing() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    app.ok(CREATE, new_member(&o)).await;
    let mut same_number = new_member(&o);
    same_number["input"]["name"] = json!("王芳");
    let mut no_sector = new_member(&o);
    no_sector["input"]["seat"]["memberNumber"] = json!("10002");
    no_sector["input"]["seat"]["sectorId"] = json!(gid(Kind::Sector, 999));
    let mut blank = new_member(&o);
    blank["input"]["name"] = json!(" ");
    let mut no_term = new_member(&o);
    no_term["input"]["seat"]["termId"] = json!(gid(Kind::Term, 999));

    let duplicate = app.admin(CREATE, same_number).await;
    let unknown_sector = app.admin(CREATE, no_sector).await;
    let blank_name = app.admin(CREATE, blank).await;
    let unknown_term = app.admin(CREATE, no_term).await;

    assert_eq!(error_code(&duplicate), "CONFLICT");
    assert_eq!((error_code(&unknown_sector), error_field(&unknown_sector)), ("BAD_USER_INPUT", "input.seat.sectorId"));
    assert_eq!((error_code(&blank_name), error_field(&blank_name)), ("BAD_USER_INPUT", "input.name"));
    assert_eq!((error_code(&unknown_term), error_field(&unknown_term)), ("BAD_USER_INPUT", "input.seat.termId"));
    let count = app.ok("{ members(filter: { anyTerm: true }) { totalCount } }", json!({})).await;
    assert_eq!(count["members"]["totalCount"], 1, "a rejected member must leave no row behind");
}

const UPDATE: &str = "mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member {
    name pinyin phone ethnicity seats { term { name } status statusReason endDate party memberNumber } } } }";

#[actix_web::test]
async fn update_member_changes_given_fields_clears_nulls_and_leaves_the_rest() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let created = app.ok(CREATE, new_member(&o)).await;
    let id = created["createMember"]["member"]["id"].clone();

    let data = app.ok(UPDATE, json!({ "input": { "id": id, "name": "李晓秋实", "phone": null } })).await;

    let m = &data["updateMember"]["member"];
    assert_eq!(m["name"], "李晓秋实");
    assert_eq!(m["pinyin"], "lixiaoqiushi");
    assert_eq!(m["phone"], Value::Null);
    assert_eq!(m["ethnicity"], "汉族");
}

#[actix_web::test]
async fn update_member_records_a_resignation_and_a_returning_members_new_seat() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec { number: Some("10007".into()), ..MemberSpec::named("王芳") }).await;
    let resign = json!({ "input": { "id": gid(Kind::Member, m), "seat": {
        "termId": gid(Kind::Term, o.current_term), "status": "RESIGNED", "statusReason": "工作调动", "endDate": "2024-05-31" } } });
    let earlier = json!({ "input": { "id": gid(Kind::Member, m), "seat": {
        "termId": gid(Kind::Term, o.previous_term), "party": "CPC", "memberNumber": "09003", "status": "TERM_ENDED",
        "startDate": "2016-12-20", "endDate": "2021-12-19" } } });
    let no_party = json!({ "input": { "id": gid(Kind::Member, m), "seat": { "termId": gid(Kind::Term, 999) } } });

    app.ok(UPDATE, resign).await;
    let data = app.ok(UPDATE, earlier).await;
    let missing_term = app.admin(UPDATE, no_party).await;

    let seats = &data["updateMember"]["member"]["seats"];
    assert_eq!(
        seats,
        &json!([
            { "term": { "name": "第十届" }, "status": "RESIGNED", "statusReason": "工作调动", "endDate": "2024-05-31", "party": "CPC", "memberNumber": "10007" },
            { "term": { "name": "第九届" }, "status": "TERM_ENDED", "statusReason": null, "endDate": "2021-12-19", "party": "CPC", "memberNumber": "09003" }
        ])
    );
    assert_eq!(error_field(&missing_term), "input.seat.termId");
}

#[actix_web::test]
async fn update_member_of_an_unknown_member_is_not_found() {
    let app = TestApp::new().await;

    let response = app.admin(UPDATE, json!({ "input": { "id": gid(Kind::Member, 42), "name": "某某" } })).await;

    assert_eq!(error_code(&response), "NOT_FOUND");
    assert_eq!(response["errors"][0]["message"], "member 42 does not exist");
}

#[actix_web::test]
async fn member_and_node_fetch_by_id_and_answer_null_for_unknown_ids() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let m = member(&app, &o, MemberSpec::named("王芳")).await;
    let query = "query($id: ID!) { member(id: $id) { name } node(id: $id) { id ... on Member { name } } }";

    let found = app.ok(query, json!({ "id": gid(Kind::Member, m) })).await;
    let missing = app.ok(query, json!({ "id": gid(Kind::Member, 999) })).await;
    let sector = app
        .ok(
            "query($id: ID!) { node(id: $id) { ... on Sector { name } } }",
            json!({ "id": gid(Kind::Sector, o.economy) }),
        )
        .await;
    let garbage = app.admin("{ node(id: \"???\") { id } }", json!({})).await;

    assert_eq!(found["member"]["name"], "王芳");
    assert_eq!(found["node"], json!({ "id": gid(Kind::Member, m), "name": "王芳" }));
    assert_eq!(missing, json!({ "member": null, "node": null }));
    assert_eq!(sector["node"]["name"], "经济界");
    assert_eq!(error_code(&garbage), "BAD_USER_INPUT");
}

const PERSONAL: &str = "query($id: ID!) { member(id: $id) { name phone birthDate } }";

#[actix_web::test]
async fn personal_fields_are_null_for_everyone_but_the_office_and_the_member() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let me = member(&app, &o, MemberSpec { phone: Some("13900000001".into()), ..MemberSpec::named("王芳") }).await;
    let other = member(&app, &o, MemberSpec { phone: Some("13900000002".into()), ..MemberSpec::named("李强") }).await;
    let my_token = app.account("wangfang", Role::Member, Scope::Member(me)).await;
    let committee = app.account("staff", Role::CommitteeStaff, Scope::Committee(o.proposals_committee)).await;
    let office = app.account("office", Role::Office, Scope::None).await;
    let viewer = app.account("viewer", Role::Viewer, Scope::None).await;

    let mine = app.post(Some(&my_token), PERSONAL, json!({ "id": gid(Kind::Member, me) })).await;
    let theirs = app.post(Some(&my_token), PERSONAL, json!({ "id": gid(Kind::Member, other) })).await;
    let by_staff = app.post(Some(&committee), PERSONAL, json!({ "id": gid(Kind::Member, other) })).await;
    let by_office = app.post(Some(&office), PERSONAL, json!({ "id": gid(Kind::Member, other) })).await;
    let by_viewer = app.post(Some(&viewer), PERSONAL, json!({ "id": gid(Kind::Member, other) })).await;

    assert_eq!(mine["data"]["member"]["phone"], "13900000001");
    assert_eq!(theirs["data"]["member"], json!({ "name": "李强", "phone": null, "birthDate": null }));
    assert_eq!(by_staff["data"]["member"]["phone"], Value::Null);
    assert_eq!(by_office["data"]["member"]["phone"], "13900000002");
    assert_eq!(error_code(&by_viewer), "FORBIDDEN");
}

const LIST: &str = "query($f: MemberFilterInput) { members(filter: $f) { totalCount nodes { name } } }";

async fn names(app: &TestApp, filter: Value) -> Vec<String> {
    let data = app.ok(LIST, json!({ "f": filter })).await;
    data["members"]["nodes"].as_array().unwrap().iter().map(|n| n["name"].as_str().unwrap().to_owned()).collect()
}

#[actix_web::test]
async fn members_filter_by_seat_committee_studio_and_region() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    member(
        &app,
        &o,
        MemberSpec {
            sector: Some(o.economy),
            standing: true,
            committee: Some(o.proposals_committee),
            studio: Some(o.town_studio),
            ..MemberSpec::named("张伟")
        },
    )
    .await;
    member(
        &app,
        &o,
        MemberSpec {
            sector: Some(o.education),
            party: Party::Cdl,
            committee: Some(o.culture_committee),
            studio: Some(o.village_studio),
            ..MemberSpec::named("刘洋")
        },
    )
    .await;
    member(&app, &o, MemberSpec { sector: Some(o.education), party: Party::NonParty, ..MemberSpec::named("陈静") })
        .await;

    assert_eq!(names(&app, json!({ "sectorId": gid(Kind::Sector, o.education) })).await, ["陈静", "刘洋"]);
    assert_eq!(names(&app, json!({ "party": "CDL" })).await, ["刘洋"]);
    assert_eq!(names(&app, json!({ "standingCommittee": true })).await, ["张伟"]);
    assert_eq!(
        names(&app, json!({ "specialCommitteeId": gid(Kind::SpecialCommittee, o.culture_committee) })).await,
        ["刘洋"]
    );
    assert_eq!(names(&app, json!({ "studioId": gid(Kind::Studio, o.town_studio) })).await, ["张伟"]);
    assert_eq!(names(&app, json!({ "regionId": gid(Kind::Region, o.town) })).await, ["刘洋", "张伟"]);
    assert_eq!(names(&app, json!({ "regionId": gid(Kind::Region, o.village) })).await, ["刘洋"]);
    assert_eq!(names(&app, json!({ "status": "RESIGNED" })).await, Vec::<String>::new());
}

#[actix_web::test]
async fn members_search_by_name_pinyin_initials_number_and_employer() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    member(
        &app,
        &o,
        MemberSpec {
            number: Some("10088".into()),
            employer: Some("青山镇中心小学校长".into()),
            ..MemberSpec::named("李晓秋")
        },
    )
    .await;
    member(&app, &o, MemberSpec { employer: Some("区人民医院院长".into()), ..MemberSpec::named("王芳") }).await;

    for search in ["晓秋", "lixiaoqiu", "lxq", "LXQ", "10088", "中心小学"] {
        assert_eq!(names(&app, json!({ "search": search })).await, ["李晓秋"], "search {search}");
    }
    assert_eq!(names(&app, json!({ "search": "wf" })).await, ["王芳"]);
    assert_eq!(names(&app, json!({ "search": "赵" })).await, Vec::<String>::new());
}

#[actix_web::test]
async fn a_name_search_lists_the_exact_name_first_then_names_starting_with_it_then_the_rest() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    // In name order (chenlixiaoqiu, lixiaoqiu, lixiaoqiuhua) the substring match would lead.
    for name in ["陈李晓秋", "李晓秋华", "李晓秋", "王芳"] {
        member(&app, &o, MemberSpec::named(name)).await;
    }

    assert_eq!(names(&app, json!({ "search": "李晓秋" })).await, ["李晓秋", "李晓秋华", "陈李晓秋"]);
}

#[actix_web::test]
async fn an_initials_search_lists_exact_initials_first_by_name_then_longer_initials() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    // 李晓琪华 (lixiaoqihua, lxqh) sorts first by name but only starts with "lxq"; the exact
    // ones tie by name: liuxingquan before lixiaoqiu.
    for name in ["刘兴全", "李晓琪华", "李晓秋", "王芳"] {
        member(&app, &o, MemberSpec::named(name)).await;
    }

    assert_eq!(names(&app, json!({ "search": "lxq" })).await, ["刘兴全", "李晓秋", "李晓琪华"]);
    assert_eq!(names(&app, json!({ "search": "LiXiao" })).await, ["李晓琪华", "李晓秋"], "prefixes tie by name");
}

#[actix_web::test]
async fn a_member_number_search_lists_its_owner_before_employers_containing_it() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    member(&app, &o, MemberSpec { employer: Some("10088号院物业".into()), ..MemberSpec::named("安然") }).await;
    member(&app, &o, MemberSpec { number: Some("10088".into()), ..MemberSpec::named("王芳") }).await;

    assert_eq!(names(&app, json!({ "search": "10088" })).await, ["王芳", "安然"]);
}

#[actix_web::test]
async fn a_search_with_an_explicit_order_keeps_that_order() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    for name in ["陈李晓秋", "李晓秋华", "李晓秋"] {
        member(&app, &o, MemberSpec::named(name)).await;
    }
    let query = "query($o: [MemberOrder!]) { members(filter: { search: \"李晓秋\" }, orderBy: $o) { nodes { name } } }";

    let data = app.ok(query, json!({ "o": [{ "field": "NAME" }] })).await;

    assert_eq!(data["members"]["nodes"], json!([{ "name": "陈李晓秋" }, { "name": "李晓秋" }, { "name": "李晓秋华" }]));
}

#[actix_web::test]
async fn search_wildcards_are_matched_literally() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    member(&app, &o, MemberSpec { employer: Some("100%控股公司".into()), ..MemberSpec::named("李晓秋") }).await;
    member(&app, &o, MemberSpec { employer: Some("区人民医院".into()), ..MemberSpec::named("王芳") }).await;

    assert_eq!(names(&app, json!({ "search": "%" })).await, ["李晓秋"]);
    assert_eq!(names(&app, json!({ "search": "_" })).await, Vec::<String>::new());
}

#[actix_web::test]
async fn members_default_to_the_current_term_and_can_list_another_or_all() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let both = member(&app, &o, MemberSpec::named("王芳")).await;
    member(&app, &o, MemberSpec::named("李强")).await;
    app.ok(
        UPDATE,
        json!({ "input": { "id": gid(Kind::Member, both), "seat": { "termId": gid(Kind::Term, o.previous_term), "party": "CPC" } } }),
    )
    .await;

    assert_eq!(names(&app, json!({})).await, ["李强", "王芳"]);
    assert_eq!(names(&app, json!({ "termId": gid(Kind::Term, o.previous_term) })).await, ["王芳"]);
    assert_eq!(names(&app, json!({ "anyTerm": true })).await.len(), 2);
}

#[actix_web::test]
async fn members_are_sorted_by_pinyin_and_can_be_reversed_or_sorted_by_registration() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    for name in ["王芳", "安然", "赵敏", "陈静"] {
        member(&app, &o, MemberSpec::named(name)).await;
    }

    assert_eq!(ordered(&app, Value::Null).await, ["安然", "陈静", "王芳", "赵敏"]);
    assert_eq!(
        ordered(&app, json!([{ "field": "NAME", "direction": "DESC" }])).await,
        ["赵敏", "王芳", "陈静", "安然"]
    );
    assert_eq!(ordered(&app, json!([{ "field": "CREATED_AT" }])).await, ["王芳", "安然", "赵敏", "陈静"]);
}

async fn ordered(app: &TestApp, order: Value) -> Vec<String> {
    let query = "query($o: [MemberOrder!]) { members(orderBy: $o) { nodes { name } } }";
    let data = app.ok(query, json!({ "o": order })).await;
    data["members"]["nodes"].as_array().unwrap().iter().map(|n| n["name"].as_str().unwrap().to_owned()).collect()
}
