//! The GraphiQL IDE, served by lvzhi itself: an office network has no internet, so the page
//! loads its scripts and styles from the binary (the official built files of the `graphiql`
//! npm package and of React, vendored in `assets/graphiql/`), never from a CDN.

/// The path prefix the assets are served under; the version makes each URL immutable, so
/// browsers may cache the files for a year.
pub const PREFIX: &str = "/graphiql/4.1.2";

/// How long a browser may keep an asset: a year, as its URL changes with its version.
pub const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// One vendored file: its name under [`PREFIX`], its content type and its bytes.
#[derive(Clone, Copy, Debug)]
pub struct Asset {
    /// The file name in the URL.
    pub name: &'static str,
    /// The `Content-Type` it is served with.
    pub content_type: &'static str,
    /// The file.
    pub bytes: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Every file the page loads.
pub const ASSETS: [Asset; 4] = [
    Asset {
        name: "react.production.min.js",
        content_type: JS,
        bytes: include_bytes!("../../assets/graphiql/react.production.min.js"),
    },
    Asset {
        name: "react-dom.production.min.js",
        content_type: JS,
        bytes: include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    },
    Asset { name: "graphiql.min.js", content_type: JS, bytes: include_bytes!("../../assets/graphiql/graphiql.min.js") },
    Asset {
        name: "graphiql.min.css",
        content_type: CSS,
        bytes: include_bytes!("../../assets/graphiql/graphiql.min.css"),
    },
];

/// The asset called `name`, if there is one.
pub fn asset(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.name == name)
}

/// The GraphiQL page for the API at `endpoint` (a path on this server), loading only the
/// assets above. The script at its end is the one async-graphql's page runs, without a CDN.
pub fn page(endpoint: &str, title: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="zh">
  <head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{title}</title>
    <style>
      body {{ height: 100%; margin: 0; width: 100%; overflow: hidden; }}
      #graphiql {{ height: 100vh; }}
    </style>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="{PREFIX}/graphiql.min.css">
    <script src="{PREFIX}/react.production.min.js"></script>
    <script src="{PREFIX}/react-dom.production.min.js"></script>
    <script src="{PREFIX}/graphiql.min.js"></script>
  </head>
  <body>
    <div id="graphiql">Loading...</div>
    <script>
      const url = new URL('{endpoint}', window.location.origin).toString();
      ReactDOM.createRoot(document.getElementById('graphiql')).render(
        React.createElement(GraphiQL, {{
          fetcher: GraphiQL.createFetcher({{ url }}),
          defaultEditorToolsVisibility: true,
        }})
      );
    </script>
  </body>
</html>
"#
    )
}

/// `GET /graphiql/<version>/<file>`: a file of the IDE, from the binary, cacheable for a year.
pub async fn serve(file: actix_web::web::Path<String>) -> actix_web::HttpResponse {
    match asset(&file) {
        Some(asset) => actix_web::HttpResponse::Ok()
            .content_type(asset.content_type)
            .insert_header((actix_web::http::header::CACHE_CONTROL, CACHE_CONTROL))
            .body(asset.bytes),
        None => actix_web::HttpResponse::NotFound().finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_loads_every_asset_and_nothing_else() {
        let page = page("/graphql", "lvzhi");
        for asset in ASSETS {
            assert!(page.contains(&format!("{PREFIX}/{}", asset.name)), "{}", asset.name);
        }
        assert!(!page.contains("http://") && !page.contains("https://"), "{page}");
    }
}
