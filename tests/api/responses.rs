//! The shape of a response body: objects keep the order of the requested fields (the GraphQL
//! spec's serialised map ordering), not an alphabetical one.

use actix_web::test::TestRequest;
use serde_json::json;

use crate::{
    fixtures::{MemberSpec, member, org},
    helpers::TestApp,
};

/// The byte offsets of `keys` in `body`, each searched after the one before.
fn offsets_in_order(body: &str, keys: &[&str]) -> Option<Vec<usize>> {
    let mut from = 0;
    let mut out = Vec::new();
    for key in keys {
        let at = from + body[from..].find(&format!("\"{key}\":"))?;
        out.push(at);
        from = at + 1;
    }
    Some(out)
}

#[actix_web::test]
async fn a_response_keeps_the_order_of_the_requested_fields() {
    let app = TestApp::new().await;
    let o = org(&app).await;
    member(&app, &o, MemberSpec::named("王芳")).await;
    let query = "{ zulu: __typename members(first: 1) { totalCount nodes { name id } pageInfo { hasNextPage } } \
                 alpha: __typename }";
    let request = TestRequest::post()
        .uri("/graphql")
        .insert_header(("authorization", format!("Bearer {}", app.admin)))
        .set_json(json!({ "query": query }));

    let (status, _, body) = app.raw(request).await;

    assert_eq!(status, 200, "{body}");
    let keys = ["zulu", "members", "totalCount", "nodes", "name", "id", "pageInfo", "hasNextPage", "alpha"];
    assert!(offsets_in_order(&body, &keys).is_some(), "the keys must come in the order asked: {body}");
}

#[actix_web::test]
async fn a_request_error_answers_errors_alone_without_data() {
    let app = TestApp::new().await;
    let request = TestRequest::post().uri("/graphql").set_json(json!({ "query": "{ nosuchfield }" }));

    let (_, _, body) = app.raw(request).await;

    assert!(body.starts_with(r#"{"errors":"#) && !body.contains(r#""data""#), "{body}");
}
