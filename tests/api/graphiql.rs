//! GraphiQL on an office network without internet: the page loads every script and stylesheet
//! from lvzhi itself.

use actix_web::test::TestRequest;

use crate::helpers::TestApp;

/// The values of `attribute="…"` in the tags of `page` named `tag`.
fn urls(page: &str, tag: &str, attribute: &str) -> Vec<String> {
    page.split(&format!("<{tag}"))
        .skip(1)
        .filter_map(|rest| {
            let tag_text = &rest[..rest.find('>')?];
            let start = tag_text.find(&format!("{attribute}=\""))? + attribute.len() + 2;
            let end = start + tag_text[start..].find('"')?;
            Some(tag_text[start..end].to_owned())
        })
        .collect()
}

#[actix_web::test]
async fn the_graphiql_page_loads_its_scripts_and_styles_from_this_server() {
    let app = TestApp::new().await;

    let (status, media, page) =
        app.raw(TestRequest::get().uri("/graphql").insert_header(("accept", "text/html"))).await;

    assert_eq!((status, media.as_str()), (200, "text/html; charset=utf-8"));
    let scripts = urls(&page, "script", "src");
    let styles: Vec<String> = urls(&page, "link", "href").into_iter().filter(|u| u.ends_with(".css")).collect();
    assert_eq!((scripts.len(), styles.len()), (3, 1), "react, react-dom, graphiql and its stylesheet: {page}");
    assert!(!page.contains("://"), "no URL of another host: {page}");
    for (url, expected) in scripts.iter().map(|u| (u, "text/javascript")).chain(styles.iter().map(|u| (u, "text/css")))
    {
        assert!(url.starts_with('/'), "{url} is a path on this server");
        let (status, media, body) = app.raw(TestRequest::get().uri(url)).await;
        assert_eq!(status, 200, "{url}");
        assert!(media.starts_with(expected), "{url} is {media}");
        assert!(body.len() > 1000, "{url} has its file");
    }
}

#[actix_web::test]
async fn graphiql_assets_may_be_cached_for_a_year_and_unknown_ones_are_not_found() {
    let app = TestApp::new().await;
    let (_, _, page) = app.raw(TestRequest::get().uri("/graphql").insert_header(("accept", "text/html"))).await;
    let script = urls(&page, "script", "src").remove(0);
    let unknown = format!("{}/nothing.js", script.rsplit_once('/').unwrap().0);

    let app_service =
        actix_web::test::init_service(actix_web::App::new().configure(lvzhi::server::routes(app.state.clone()))).await;
    let response = actix_web::test::call_service(&app_service, TestRequest::get().uri(&script).to_request()).await;
    let (status, _, _) = app.raw(TestRequest::get().uri(&unknown)).await;

    assert_eq!(response.headers().get("cache-control").unwrap(), "public, max-age=31536000, immutable");
    assert_eq!(status, 404);
}
