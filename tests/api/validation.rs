//! Text inputs refuse control characters: a name is one line of printable text; a free text
//! (notes, descriptions) may also hold line breaks and tabs.

use serde_json::json;

use crate::helpers::{TestApp, error_code, error_field};

const CREATE: &str =
    "mutation($name: String!) { createSpecialCommittee(input: { name: $name }) { specialCommittee { name } } }";

#[actix_web::test]
async fn a_name_with_a_control_character_is_bad_user_input_naming_the_field() {
    let app = TestApp::new().await;

    let bell = app.admin(CREATE, json!({ "name": "\u{5}" })).await;
    let line_break = app.admin(CREATE, json!({ "name": "经济\n委员会" })).await;
    let fine = app.admin(CREATE, json!({ "name": " 经济委员会 " })).await;

    for refused in [&bell, &line_break] {
        assert_eq!((error_code(refused), error_field(refused)), ("BAD_USER_INPUT", "input.name"), "{refused:#}");
    }
    assert!(bell["errors"][0]["message"].as_str().unwrap().contains("U+0005"), "{bell:#}");
    assert_eq!(fine["data"]["createSpecialCommittee"]["specialCommittee"]["name"], "经济委员会", "{fine:#}");
}
