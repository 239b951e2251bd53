//! Relay pagination: both directions, edges of the list, page-size limits, foreign cursors, and
//! a statement count that does not grow with the page.

use serde_json::{Value, json};

use crate::{
    fixtures::{MemberSpec, member, members, org},
    helpers::{TestApp, error_code, error_field},
};

const PAGE: &str = "query($first: Int, $after: String, $last: Int, $before: String, $order: [MemberOrder!]) {
  members(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
    totalCount
    edges { cursor node { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

fn names(data: &Value) -> Vec<String> {
    data["members"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

fn expected(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("委员{i:03}")).collect()
}

async fn page(app: &TestApp, vars: Value) -> Value {
    app.ok(PAGE, vars).await
}

#[actix_web::test]
async fn paging_forward_visits_every_member_once_and_knows_the_edges() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    members(&app, &o, 25).await;

    let first = page(&app, json!({ "first": 10 })).await;
    let second = page(&app, json!({ "first": 10, "after": first["members"]["pageInfo"]["endCursor"] })).await;
    let third = page(&app, json!({ "first": 10, "after": second["members"]["pageInfo"]["endCursor"] })).await;

    assert_eq!(names(&first), expected(0..10));
    assert_eq!(names(&second), expected(10..20));
    assert_eq!(names(&third), expected(20..25));
    assert_eq!(first["members"]["totalCount"], 25);
    assert_eq!(first["members"]["pageInfo"]["hasPreviousPage"], false);
    assert_eq!(first["members"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(second["members"]["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(third["members"]["pageInfo"]["hasNextPage"], false);
    assert_eq!(third["members"]["pageInfo"]["hasPreviousPage"], true);
}

#[actix_web::test]
async fn paging_backward_from_the_end_and_from_a_cursor() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    members(&app, &o, 25).await;

    let last = page(&app, json!({ "last": 10 })).await;
    let before = page(&app, json!({ "last": 10, "before": last["members"]["pageInfo"]["startCursor"] })).await;
    let rest = page(&app, json!({ "last": 10, "before": before["members"]["pageInfo"]["startCursor"] })).await;

    assert_eq!(names(&last), expected(15..25));
    assert_eq!(last["members"]["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(last["members"]["pageInfo"]["hasNextPage"], false);
    assert_eq!(names(&before), expected(5..15));
    assert_eq!(before["members"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(names(&rest), expected(0..5));
    assert_eq!(rest["members"]["pageInfo"]["hasPreviousPage"], false);
}

#[actix_web::test]
async fn a_window_between_two_cursors_and_cursors_on_each_edge() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    members(&app, &o, 12).await;
    let all = page(&app, json!({ "first": 12 })).await;
    let cursor = |i: usize| all["members"]["edges"][i]["cursor"].clone();

    let between = page(&app, json!({ "after": cursor(2), "before": cursor(7) })).await;
    let last_two = page(&app, json!({ "after": cursor(2), "before": cursor(7), "last": 2 })).await;

    assert_eq!(names(&between), expected(3..7));
    assert_eq!(names(&last_two), expected(5..7));
    assert_eq!(all["members"]["edges"][0]["cursor"], all["members"]["pageInfo"]["startCursor"]);
    assert_eq!(all["members"]["edges"][11]["cursor"], all["members"]["pageInfo"]["endCursor"]);
}

#[actix_web::test]
async fn empty_pages_are_pages_with_no_edges() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    members(&app, &o, 3).await;
    let all = page(&app, json!({ "first": 3 })).await;

    let zero = page(&app, json!({ "first": 0 })).await;
    let past_the_end = page(&app, json!({ "first": 5, "after": all["members"]["pageInfo"]["endCursor"] })).await;

    assert_eq!(names(&zero), Vec::<String>::new());
    assert_eq!(zero["members"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(zero["members"]["pageInfo"]["startCursor"], Value::Null);
    assert_eq!(names(&past_the_end), Vec::<String>::new());
    assert_eq!(
        past_the_end["members"]["pageInfo"],
        json!({ "hasNextPage": false, "hasPreviousPage": true, "startCursor": null, "endCursor": null })
    );
}

#[actix_web::test]
async fn page_size_defaults_to_20_and_may_not_exceed_100() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    members(&app, &o, 21).await;

    let default = page(&app, json!({})).await;
    let too_many = app.admin(PAGE, json!({ "first": 101 })).await;
    let too_many_back = app.admin(PAGE, json!({ "last": 1000 })).await;
    let negative = app.admin(PAGE, json!({ "first": -1 })).await;
    let both = app.admin(PAGE, json!({ "first": 1, "last": 1 })).await;

    assert_eq!(names(&default).len(), 20);
    assert_eq!((error_code(&too_many), error_field(&too_many)), ("BAD_USER_INPUT", "first"));
    assert_eq!((error_code(&too_many_back), error_field(&too_many_back)), ("BAD_USER_INPUT", "last"));
    assert_eq!(error_field(&negative), "first");
    assert_eq!(error_code(&both), "BAD_USER_INPUT");
}

#[actix_web::test]
async fn a_cursor_from_another_ordering_or_forged_is_refused() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    members(&app, &o, 3).await;
    let by_name = page(&app, json!({ "first": 1 })).await;
    let cursor = by_name["members"]["pageInfo"]["endCursor"].clone();

    let reordered = app.admin(PAGE, json!({ "first": 1, "after": cursor, "order": [{ "field": "CREATED_AT" }] })).await;
    let forged = app.admin(PAGE, json!({ "first": 1, "before": "bm90IGEgY3Vyc29y" })).await;

    assert_eq!((error_code(&reordered), error_field(&reordered)), ("BAD_USER_INPUT", "after"));
    assert_eq!((error_code(&forged), error_field(&forged)), ("BAD_USER_INPUT", "before"));
}

const SEARCH: &str = "query($s: String, $first: Int, $after: String, $last: Int, $before: String) {
  members(filter: { search: $s }, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

/// 委员 (the exact name), 委员000 … 委员011 (names starting with it), 老委员甲 and 老委员乙
/// (names containing it; first in name order, last in rank), and 张三 (no match).
async fn ranked_search_members(app: &TestApp) -> Vec<String> {
    let o = org(app).await;
    members(app, &o, 12).await;
    for name in ["老委员甲", "委员", "张三", "老委员乙"] {
        member(app, &o, MemberSpec::named(name)).await;
    }
    let mut ranked = vec!["委员".to_owned()];
    ranked.extend(expected(0..12));
    ranked.extend(["老委员甲".to_owned(), "老委员乙".to_owned()]);
    ranked
}

#[actix_web::test]
async fn paging_a_ranked_search_forward_and_backward_visits_every_match_once_in_rank_order() {
    let app = TestApp::new().await;
    let ranked = ranked_search_members(&app).await;

    let mut forward = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app.ok(SEARCH, json!({ "s": "委员", "first": 4, "after": after })).await;
        assert_eq!(data["members"]["totalCount"], 15);
        forward.extend(names(&data));
        if data["members"]["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = data["members"]["pageInfo"]["endCursor"].clone();
    }
    let mut backward = Vec::new();
    let mut before = Value::Null;
    loop {
        let data = app.ok(SEARCH, json!({ "s": "委员", "last": 4, "before": before })).await;
        backward.splice(0..0, names(&data));
        if data["members"]["pageInfo"]["hasPreviousPage"] == false {
            break;
        }
        before = data["members"]["pageInfo"]["startCursor"].clone();
    }

    assert_eq!(forward, ranked);
    assert_eq!(backward, ranked);
}

#[actix_web::test]
async fn a_window_of_a_ranked_search_spans_the_ranks() {
    let app = TestApp::new().await;
    let ranked = ranked_search_members(&app).await;
    let all = app.ok(SEARCH, json!({ "s": "委员", "first": 15 })).await;
    let cursor = |i: usize| all["members"]["edges"][i]["cursor"].clone();

    let between = app.ok(SEARCH, json!({ "s": "委员", "after": cursor(0), "before": cursor(14) })).await;

    assert_eq!(names(&between), ranked[1..14]);
    assert_eq!(between["members"]["pageInfo"]["hasPreviousPage"], true);
}

#[actix_web::test]
async fn a_cursor_of_a_ranked_search_is_refused_by_another_search_and_by_the_plain_list() {
    let app = TestApp::new().await;
    ranked_search_members(&app).await;
    let first = app.ok(SEARCH, json!({ "s": "委员", "first": 2 })).await;
    let cursor = first["members"]["pageInfo"]["endCursor"].clone();

    let other_search = app.admin(SEARCH, json!({ "s": "老委员", "first": 2, "after": cursor })).await;
    let plain = app.admin(PAGE, json!({ "first": 2, "after": cursor })).await;

    for refused in [other_search, plain] {
        assert_eq!((error_code(&refused), error_field(&refused)), ("BAD_USER_INPUT", "after"), "{refused:#}");
        assert!(refused["errors"][0]["message"].as_str().unwrap().contains("another ordering"), "{refused:#}");
    }
}

#[actix_web::test]
async fn paging_descending_by_name_walks_the_list_backwards() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    members(&app, &o, 6).await;
    let order = json!([{ "field": "NAME", "direction": "DESC" }]);

    let first = page(&app, json!({ "first": 4, "order": order })).await;
    let next =
        page(&app, json!({ "first": 4, "order": order, "after": first["members"]["pageInfo"]["endCursor"] })).await;

    let mut all = names(&first);
    all.extend(names(&next));
    let mut reversed = expected(0..6);
    reversed.reverse();
    assert_eq!(all, reversed);
}

const NESTED: &str = "query($n: Int) { members(first: $n) { nodes {
    currentSeat { sector { name } }
    committeeMemberships { specialCommittee { name } }
    studioAssignments { studio { name region { name } } } } } }";

#[actix_web::test]
async fn statement_count_of_a_nested_member_page_does_not_depend_on_its_size() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    members(&app, &o, 100).await;

    let before = app.statements();
    let ten = app.ok(NESTED, json!({ "n": 10 })).await;
    let for_ten = app.statements() - before;
    let before = app.statements();
    let hundred = app.ok(NESTED, json!({ "n": 100 })).await;
    let for_hundred = app.statements() - before;

    assert_eq!(ten["members"]["nodes"].as_array().unwrap().len(), 10);
    assert_eq!(hundred["members"]["nodes"].as_array().unwrap().len(), 100);
    assert_eq!(hundred["members"]["nodes"][99]["studioAssignments"][0]["studio"]["region"]["name"], "北关社区");
    assert_eq!(for_ten, for_hundred, "statements for 10 members: {for_ten}, for 100: {for_hundred}");
    assert!(for_ten <= 12, "a nested page should take a handful of statements, took {for_ten}");
}
