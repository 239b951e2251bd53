//! Issue 20, simplified and traditional: a member search folds the two scripts, so 郑利 finds
//! 鄭利 and 鄭利 finds 郑利, and their pinyin keys agree; names stored before the folded key
//! existed get it at start-up.

use entity::member;
use lvzhi::member::service as members;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::json;

use crate::{
    fixtures::{MemberSpec, member, org},
    helpers::TestApp,
};

const SEARCH: &str = "query($s: String!) { members(filter: { search: $s }) { nodes { name } } }";

async fn found(app: &TestApp, search: &str) -> Vec<String> {
    let data = app.ok(SEARCH, json!({ "s": search })).await;
    let mut names: Vec<String> =
        data["members"]["nodes"].as_array().unwrap().iter().map(|n| n["name"].as_str().unwrap().to_owned()).collect();
    names.sort();
    names
}

#[actix_web::test]
async fn a_simplified_search_finds_a_traditional_name_and_back() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    member(&app, &o, MemberSpec::named("鄭利")).await;
    member(&app, &o, MemberSpec::named("郑利民")).await;
    member(&app, &o, MemberSpec::named("李晓秋")).await;

    assert_eq!(found(&app, "郑利").await, ["郑利民", "鄭利"]);
    assert_eq!(found(&app, "鄭利").await, ["郑利民", "鄭利"]);
    assert_eq!(found(&app, "鄭").await, ["郑利民", "鄭利"]);
}

#[actix_web::test]
async fn both_scripts_have_the_same_pinyin_keys() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let traditional = member(&app, &o, MemberSpec::named("區志強")).await;
    let simplified = member(&app, &o, MemberSpec::named("区志强")).await;

    let rows = member::Entity::find().all(&app.db).await.unwrap();
    let keys = |id: i64| {
        let m = rows.iter().find(|m| m.id == id).unwrap();
        (m.name_pinyin.clone(), m.name_initials.clone(), m.name_folded.clone())
    };

    assert_eq!(keys(traditional), keys(simplified));
    assert_eq!(keys(traditional).0, "ouzhiqiang", "the surname reading holds in either script");
    assert_eq!(found(&app, "ozq").await, ["区志强", "區志強"]);
}

#[actix_web::test]
async fn names_stored_before_folding_get_their_keys_at_start_up() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    let id = member(&app, &o, MemberSpec::named("鄭利")).await;
    // As a row written before the folded key existed: no key, pinyin of the unfolded name.
    let row = member::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    let mut old: member::ActiveModel = row.into();
    old.name_folded = Set(None);
    old.name_pinyin = Set("old".to_owned());
    old.update(&app.db).await.unwrap();

    let filled = members::fill_folded_names(&app.db).await.unwrap();
    let again = members::fill_folded_names(&app.db).await.unwrap();

    assert_eq!((filled, again), (1, 0));
    let row = member::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert_eq!((row.name_folded.as_deref(), row.name_pinyin.as_str()), (Some("郑利"), "zhengli"));
    assert_eq!(found(&app, "郑利").await, ["鄭利"]);
}
