//! The HTTP surface: GraphQL over HTTP, GraphiQL, health and readiness.

use actix_web::test::TestRequest;
use serde_json::{Value, json};

use crate::helpers::TestApp;

#[actix_web::test]
async fn health_and_ready_answer_200() {
    let app = TestApp::new().await;

    let (health, _, _) = app.raw(TestRequest::get().uri("/health")).await;
    let (ready, _, body) = app.raw(TestRequest::get().uri("/ready")).await;

    assert_eq!(health, 200);
    assert_eq!((ready, body.as_str()), (200, "ready"));
}

#[actix_web::test]
async fn a_browser_gets_graphiql_on_get() {
    let app = TestApp::new().await;

    let (status, media, body) =
        app.raw(TestRequest::get().uri("/graphql").insert_header(("accept", "text/html"))).await;

    assert_eq!(status, 200);
    assert!(media.starts_with("text/html"));
    assert!(body.contains("graphiql"), "GraphiQL page expected");
}

#[actix_web::test]
async fn queries_work_over_get_and_mutations_are_refused_with_405() {
    let app = TestApp::new().await;
    let token = app.admin.clone();
    let get = |q: &str| {
        TestRequest::get()
            .uri(&format!("/graphql?query={}", q.replace(' ', "%20").replace('{', "%7B").replace('}', "%7D")))
            .insert_header(("authorization", format!("Bearer {token}")))
    };

    let (query_status, _, body) = app.raw(get("{ terms { name } }")).await;
    let (mutation_status, _, _) = app.raw(get("mutation { logout { revoked } }")).await;

    assert_eq!(query_status, 200);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["data"], json!({ "terms": [] }));
    assert_eq!(mutation_status, 405);
}

#[actix_web::test]
async fn bodies_that_are_not_json_graphql_requests_are_refused() {
    let app = TestApp::new().await;

    let (unsupported, _, _) = app
        .raw(
            TestRequest::post()
                .uri("/graphql")
                .insert_header(("content-type", "text/plain"))
                .set_payload("{ terms { name } }"),
        )
        .await;
    let (malformed, _, body) = app
        .raw(
            TestRequest::post()
                .uri("/graphql")
                .insert_header(("content-type", "application/json"))
                .set_payload("{not json"),
        )
        .await;
    let (other_method, _, _) = app.raw(TestRequest::put().uri("/graphql")).await;

    assert_eq!(unsupported, 415);
    assert_eq!(malformed, 400);
    assert!(body.contains("errors"));
    assert_eq!(other_method, 405);
}

#[actix_web::test]
async fn an_invalid_document_is_400_for_graphql_response_json_and_200_for_plain_json() {
    let app = TestApp::new().await;
    let post = |accept: &str| {
        TestRequest::post()
            .uri("/graphql")
            .insert_header(("accept", accept.to_owned()))
            .set_json(json!({ "query": "{ terms { nonsense } }" }))
    };

    let (modern, modern_media, _) = app.raw(post("application/graphql-response+json")).await;
    let (legacy, legacy_media, body) = app.raw(post("application/json")).await;

    assert_eq!(modern, 400);
    assert!(modern_media.starts_with("application/graphql-response+json"));
    assert_eq!(legacy, 200);
    assert!(legacy_media.starts_with("application/json"));
    assert!(
        serde_json::from_str::<Value>(&body).unwrap()["errors"][0]["message"].as_str().unwrap().contains("nonsense")
    );
}

#[actix_web::test]
async fn metrics_count_requests_by_operation_and_errors_by_code() {
    let app = TestApp::new().await;
    app.admin("query Terms { terms { name } }", json!({})).await;
    app.post(None, "query Members { members { totalCount } }", json!({})).await;

    let (status, media, body) = app.raw(TestRequest::get().uri("/metrics")).await;

    assert_eq!(status, 200);
    assert!(media.starts_with("application/openmetrics-text"));
    assert!(body.contains(r#"lvzhi_graphql_requests_total{operation="Terms",status="200"} 1"#), "{body}");
    assert!(body.contains(r#"lvzhi_graphql_errors_total{code="UNAUTHENTICATED"} 1"#), "{body}");
    assert!(body.contains("lvzhi_graphql_request_duration_seconds_bucket"), "{body}");
    assert!(body.contains("lvzhi_db_pool_connections"), "{body}");
}
