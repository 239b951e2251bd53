//! The HTTP surface, and the only file that knows actix-web: GraphQL over HTTP at `/graphql`
//! (POST, and GET for queries and the GraphiQL IDE), `/health` and `/ready`.

use std::{collections::HashMap, time::Instant};

use actix_web::{
    App, HttpRequest, HttpResponse, HttpServer,
    http::{StatusCode, header},
    web,
};
use async_graphql::{
    http::GraphiQLSource,
    parser::{parse_query, types::OperationType},
};
use sea_orm::DatabaseConnection;

use crate::{
    auth::{self, Actor},
    config::ServerConfig,
    loader::Loaders,
    schema::{self, AppSchema},
};

/// The largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The GraphQL schema.
    pub schema: AppSchema,
    /// The database pool.
    pub db: DatabaseConnection,
}

impl AppState {
    /// The state serving `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { schema: schema::build(db.clone()), db }
    }
}

/// Registers every route; used by [`run`] and by the tests' in-process server alike.
pub fn routes(state: AppState) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(web::Data::new(state))
            .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
            .service(
                web::resource("/graphql")
                    .route(web::post().to(graphql_post))
                    .route(web::get().to(graphql_get))
                    .default_service(web::to(|| async {
                        HttpResponse::MethodNotAllowed().insert_header((header::ALLOW, "GET, POST")).finish()
                    })),
            )
            .route("/health", web::get().to(health))
            .route("/ready", web::get().to(ready));
    }
}

/// Serves the API until SIGINT or SIGTERM, then finishes the requests in flight.
pub async fn run(config: &ServerConfig, db: DatabaseConnection) -> std::io::Result<()> {
    let state = AppState::new(db);
    tracing::info!(bind = %config.bind, "lvzhi listening; GraphiQL at http://{}/graphql", config.bind);
    HttpServer::new(move || App::new().configure(routes(state.clone())))
        .bind(config.bind)?
        .shutdown_timeout(10)
        .run()
        .await
}

async fn health() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

async fn ready(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Err(err) => {
            tracing::warn!(%err, "database not ready");
            HttpResponse::ServiceUnavailable().content_type("text/plain").body("database unavailable")
        }
    }
}

/// The media type of GraphQL responses per the GraphQL-over-HTTP spec.
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

fn accepts(req: &HttpRequest, media: &str) -> bool {
    req.headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| part.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case(media)))
}

fn error_body(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    HttpResponse::build(status).content_type("application/json").body(body.to_string())
}

async fn actor_of(req: &HttpRequest, db: &DatabaseConnection) -> Actor {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let Some(token) = token else { return Actor::Anonymous };
    match auth::service::authenticate(db, token).await {
        Ok(Some(session)) => Actor::Account(session),
        Ok(None) => Actor::Anonymous,
        Err(err) => {
            tracing::error!(error = %err.message(), "token lookup failed");
            Actor::Anonymous
        }
    }
}

async fn execute(req: &HttpRequest, state: &AppState, request: async_graphql::Request) -> HttpResponse {
    let started = Instant::now();
    let operation = request.operation_name.clone().unwrap_or_default();
    let actor = actor_of(req, &state.db).await;
    let request = request.data(actor).data(Loaders::new(&state.db));
    let response = state.schema.execute(request).await;

    // A request error (unparsable or invalid document, bad variables) never reached execution:
    // no data, and errors without a path.
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let modern = accepts(req, GRAPHQL_RESPONSE);
    let status = if request_error && modern { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    tracing::info!(
        operation,
        ms = started.elapsed().as_millis() as u64,
        errors = response.errors.len(),
        status = status.as_u16(),
        "graphql request"
    );
    let body = match serde_json::to_vec(&response) {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(%err, "response serialisation failed");
            return error_body(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_SERVER_ERROR", "internal server error");
        }
    };
    let media = if modern { GRAPHQL_RESPONSE } else { "application/json" };
    HttpResponse::build(status).content_type(format!("{media}; charset=utf-8")).body(body)
}

async fn graphql_post(req: HttpRequest, body: web::Bytes, state: web::Data<AppState>) -> HttpResponse {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("application/json") {
        return error_body(StatusCode::UNSUPPORTED_MEDIA_TYPE, "BAD_REQUEST", "send the request as application/json");
    }
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => {
            return error_body(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "the body must be a JSON object with a string `query`, and optional `variables` and `operationName`",
            );
        }
    };
    execute(&req, &state, request).await
}

async fn graphql_get(
    req: HttpRequest,
    params: web::Query<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let Some(query) = params.get("query") else {
        if accepts(&req, "text/html") {
            let page = GraphiQLSource::build().endpoint("/graphql").title("lvzhi 履职").finish();
            return HttpResponse::Ok().content_type("text/html; charset=utf-8").body(page);
        }
        return error_body(StatusCode::BAD_REQUEST, "BAD_REQUEST", "a GET request needs a `query` parameter");
    };
    let operation_name = params.get("operationName").filter(|s| !s.is_empty()).cloned();
    // Mutations change state and must not ride on GET (spec: 405).
    if let Ok(doc) = parse_query(query) {
        let is_mutation = doc.operations.iter().any(|(name, op)| {
            let chosen = match (&operation_name, name) {
                (Some(wanted), Some(name)) => wanted == name.as_str(),
                (None, _) => true,
                (Some(_), None) => false,
            };
            chosen && op.node.ty == OperationType::Mutation
        });
        if is_mutation {
            return HttpResponse::MethodNotAllowed()
                .insert_header((header::ALLOW, "POST"))
                .content_type("application/json")
                .body(r#"{"errors":[{"message":"mutations must be sent with POST","extensions":{"code":"BAD_REQUEST"}}]}"#);
        }
    }
    let mut request = async_graphql::Request::new(query.clone());
    request.operation_name = operation_name;
    if let Some(vars) = params.get("variables").filter(|s| !s.is_empty()) {
        match serde_json::from_str::<async_graphql::Variables>(vars) {
            Ok(v) => request.variables = v,
            Err(_) => return error_body(StatusCode::BAD_REQUEST, "BAD_REQUEST", "`variables` must be a JSON object"),
        }
    }
    execute(&req, &state, request).await
}
