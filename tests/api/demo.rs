//! The demo committee: the published shape the year in review quotes, 全员入委 and one studio
//! per member, an empty database only, and the same data on every run.

use entity::{member, seat, term};
use lvzhi::{error::AppError, seed};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// A fresh database with the demo committee.
async fn demo_app() -> TestApp {
    let app = TestApp::new().await;
    seed::demo(&app.db).await.map_err(|e| e.message()).expect("seed the demo committee");
    app
}

fn len(value: &Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

#[actix_web::test]
async fn demo_committee_has_the_published_shape() {
    let app = demo_app().await;

    let data = app
        .ok(
            "{ members(first: 5) { totalCount nodes { name currentSeat { sector { name } } } }
               everyone: members(filter: { anyTerm: true }) { totalCount }
               specialCommittees { name }
               regions { name children { name } }
               studios(first: 1) { totalCount } }",
            json!({}),
        )
        .await;

    assert_eq!(data["members"]["totalCount"], 209);
    let nodes = data["members"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 5);
    assert!(nodes.iter().all(|n| n["currentSeat"]["sector"]["name"].is_string()), "{nodes:#?}");
    assert!(data["everyone"]["totalCount"].as_i64().unwrap() > 209);
    assert_eq!(len(&data["specialCommittees"]), 4);
    let regions = data["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 16);
    assert_eq!(regions.iter().map(|r| len(&r["children"])).sum::<usize>(), 191);
    assert_eq!(data["studios"]["totalCount"], 207);
}

#[actix_web::test]
async fn every_current_member_is_in_exactly_one_committee_and_one_studio() {
    let app = demo_app().await;
    let query = "query($after: String) { members(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { name
          committeeMemberships(current: true) { specialCommittee { name } }
          studioAssignments(current: true) { studio { name } } } } }";

    let mut seen = 0;
    let mut after = Value::Null;
    loop {
        let data = app.ok(query, json!({ "after": after })).await;
        for node in data["members"]["nodes"].as_array().unwrap() {
            assert_eq!(len(&node["committeeMemberships"]), 1, "{node:#}");
            assert_eq!(len(&node["studioAssignments"]), 1, "{node:#}");
            seen += 1;
        }
        let page = &data["members"]["pageInfo"];
        if page["hasNextPage"] != true {
            break;
        }
        after = page["endCursor"].clone();
    }

    assert_eq!(seen, 209);
}

#[actix_web::test]
async fn demo_refuses_a_database_that_has_data() {
    let app = demo_app().await;

    let again = seed::demo(&app.db).await;
    let if_empty = seed::demo_if_empty(&app.db).await.map_err(|e| e.message()).unwrap();

    assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
    assert_eq!(if_empty, None);
    assert_eq!(member::Entity::find().all(&app.db).await.unwrap().len(), 269);
}

/// The current term's (member name, member number) in number order.
async fn roster(app: &TestApp) -> Vec<(String, Option<String>)> {
    let current = term::Entity::find().filter(term::Column::Number.eq(10)).one(&app.db).await.unwrap().unwrap();
    seat::Entity::find()
        .filter(seat::Column::TermId.eq(current.id))
        .order_by_asc(seat::Column::MemberNumber)
        .find_also_related(member::Entity)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|(seat, member)| (member.unwrap().name, seat.member_number))
        .collect()
}

#[actix_web::test]
async fn demo_is_deterministic() {
    let first = demo_app().await;
    let second = demo_app().await;

    let (a, b) = (roster(&first).await, roster(&second).await);

    assert_eq!(a.len(), 209);
    assert_eq!(a, b);
    assert_eq!(a[0].1.as_deref(), Some("10001"));
}
