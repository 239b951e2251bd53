//! The HTTP surface, and the only file that knows actix-web: GraphQL over HTTP at `/graphql`
//! (POST, and GET for queries and the GraphiQL IDE), `/health` and `/ready`, and the Excel
//! downloads under `/exports`.

use std::{
    collections::HashMap,
    panic::AssertUnwindSafe,
    time::{Duration, Instant},
};

use actix_web::{
    App, HttpRequest, HttpResponse, HttpServer,
    http::{StatusCode, header},
    web,
};
use async_graphql::parser::{parse_query, types::OperationType};
use futures_util::FutureExt;
use sea_orm::DatabaseConnection;
use tracing::Instrument;

use crate::{
    account,
    auth::Actor,
    config::{ApiConfig, ServerConfig},
    context::ClientAddr,
    loader::Loaders,
    metrics::Metrics,
    schema::{self, AppSchema},
};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The GraphQL schema of the HTTP endpoint (shape limits checked by `execute`).
    pub schema: AppSchema,
    /// The same schema for WebSocket connections, with the shape limits as an extension; it
    /// shares the subscription events and the sign-in throttle with `schema`.
    pub ws_schema: AppSchema,
    /// The database pool.
    pub db: DatabaseConnection,
    /// Request limits.
    pub limits: ApiConfig,
    /// Prometheus metrics.
    pub metrics: Metrics,
}

impl AppState {
    /// The state serving `db` with the default limits.
    pub fn new(db: DatabaseConnection) -> Self {
        Self::with_config(db, ApiConfig::default())
    }

    /// The state a server started with `config` serves: its limits, and in production mode no
    /// introspection and no field suggestions.
    pub fn for_server(db: DatabaseConnection, config: &ServerConfig) -> Self {
        let mut limits = config.api.clone();
        limits.introspection = !config.production;
        Self::with_config(db, limits)
    }

    /// The state serving `db` with `limits`.
    pub fn with_config(db: DatabaseConnection, limits: ApiConfig) -> Self {
        let (events, throttle) = (crate::events::Broker::new(), crate::account::throttle::LoginThrottle::default());
        Self {
            schema: schema::build_for_http(db.clone(), &limits, events.clone(), throttle.clone()),
            ws_schema: schema::build_for_ws(db.clone(), &limits, events, throttle),
            db,
            limits,
            metrics: Metrics::default(),
        }
    }
}

/// Registers every route; used by [`run`] and by the tests' in-process server alike.
pub fn routes(state: AppState) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        let max_body = state.limits.max_body_bytes;
        cfg.app_data(web::Data::new(state))
            .app_data(web::PayloadConfig::new(max_body))
            .service(
                web::resource("/graphql")
                    .route(web::post().to(graphql_post))
                    .route(web::get().to(graphql_get))
                    .default_service(web::to(|| async {
                        HttpResponse::MethodNotAllowed().insert_header((header::ALLOW, "GET, POST")).finish()
                    })),
            )
            .route("/graphql/ws", web::get().to(graphql_ws))
            .route(&format!("{}/{{file}}", crate::graphiql::PREFIX), web::get().to(graphiql_asset))
            .route("/exports/roster.xlsx", web::get().to(export_roster))
            .route("/exports/attendance.xlsx", web::get().to(export_attendance))
            .route("/health", web::get().to(health))
            .route("/ready", web::get().to(ready))
            .route("/metrics", web::get().to(metrics));
    }
}

/// Serves the API until SIGINT or SIGTERM, then finishes the requests in flight.
pub async fn run(config: &ServerConfig, mut db: DatabaseConnection) -> std::io::Result<()> {
    let metrics = Metrics::default();
    metrics.count_statements(&mut db);
    let mut state = AppState::for_server(db, config);
    state.metrics = metrics;
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

async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(state.metrics.render(&state.db))
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
    match account::service::authenticate(db, token).await {
        Ok(Some(session)) => Actor::Account(session),
        Ok(None) => Actor::Anonymous,
        Err(err) => {
            tracing::error!(error = %err.message(), "token lookup failed");
            Actor::Anonymous
        }
    }
}

/// A short random id that ties a response to its log lines.
fn request_id() -> String {
    let mut bytes = [0u8; 8];
    // Without randomness the id is only less unique; the request itself is unaffected.
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The name of a document's only operation, for logs and metrics ("" when unnamed or several).
fn document_operation_name(query: &str) -> String {
    match parse_query(query).map(|doc| doc.operations) {
        Ok(async_graphql::parser::types::DocumentOperations::Multiple(ops)) if ops.len() == 1 => {
            ops.keys().next().map(|name| name.to_string()).unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// The masked answer to a request that failed inside the server (a panic, a response that could
/// not be serialised): "internal server error" with `extensions.requestId`, in the body and the
/// `x-request-id` header alike, so that the detail can be found in the server log.
fn internal_error(id: &str) -> HttpResponse {
    let body = serde_json::json!({ "errors": [{
        "message": "internal server error",
        "extensions": { "code": "INTERNAL_SERVER_ERROR", "requestId": id },
    }] });
    let response =
        HttpResponse::build(StatusCode::INTERNAL_SERVER_ERROR).content_type("application/json").body(body.to_string());
    with_request_id(response, id)
}

/// How running a request ended, when it did not simply answer.
enum Stopped {
    /// A resolver panicked.
    Panicked,
    /// The request took longer than the limit.
    TimedOut,
}

/// Runs `request` to its end, within `limit`, catching a panic so that it answers masked
/// instead of dropping the connection.
async fn guarded<F: std::future::Future>(request: F, limit: Duration) -> Result<F::Output, Stopped> {
    match tokio::time::timeout(limit, AssertUnwindSafe(request).catch_unwind()).await {
        Ok(Ok(output)) => Ok(output),
        Ok(Err(_)) => Err(Stopped::Panicked),
        Err(_) => Err(Stopped::TimedOut),
    }
}

fn with_request_id(mut response: HttpResponse, id: &str) -> HttpResponse {
    if let Ok(value) = header::HeaderValue::from_str(id) {
        response.headers_mut().insert(header::HeaderName::from_static("x-request-id"), value);
    }
    response
}

/// Gives every error a code, and internal errors the request id instead of their detail.
fn finish_errors(response: &mut async_graphql::Response, id: &str) {
    for error in &mut response.errors {
        let ext = error.extensions.get_or_insert_with(Default::default);
        if ext.get("code").is_none() {
            // Errors raised by the GraphQL engine itself (unknown fields, wrong argument types,
            // limits) are about the request the client wrote.
            ext.set("code", "BAD_USER_INPUT");
        }
        if matches!(ext.get("code"), Some(async_graphql::Value::String(c)) if c == "INTERNAL_SERVER_ERROR") {
            ext.set("requestId", id);
        }
    }
}

async fn execute(req: &HttpRequest, state: &AppState, request: async_graphql::Request) -> HttpResponse {
    let started = Instant::now();
    let id = request_id();
    let span = tracing::info_span!("request", id = %id);
    let operation = request.operation_name.clone().unwrap_or_else(|| document_operation_name(&request.query));
    let actor = actor_of(req, &state.db).instrument(span.clone()).await;
    let forwarded = req.headers().get_all(crate::proxy::FORWARDED_FOR).filter_map(|v| v.to_str().ok());
    let addr = ClientAddr(crate::proxy::client_addr(
        req.peer_addr().map(|a| a.ip()),
        forwarded,
        &state.limits.trusted_proxies,
    ));
    let mut request = request.data(actor).data(Loaders::new(&state.db)).data(addr);
    // The document's shape is checked here rather than by a schema extension (see
    // `schema::build_for_http`); the parsed document is kept for execution.
    let refused = match request.parsed_query() {
        Ok(document) => crate::limits::check(document, schema::shape_limits(&state.limits)).err(),
        Err(error) => Some(error),
    };
    let requested = request.parsed_query().ok().cloned().map(|doc| (doc, request.operation_name.clone()));
    let limit = Duration::from_secs(state.limits.request_timeout);
    let executed = match refused {
        Some(error) => Ok(async_graphql::Response::from_errors(vec![error])),
        None => guarded(state.schema.execute(request).instrument(span.clone()), limit).await,
    };
    let mut response = match executed {
        Ok(response) => response,
        Err(Stopped::Panicked) => {
            tracing::error!(parent: &span, operation, "a resolver panicked");
            return internal_error(&id);
        }
        Err(Stopped::TimedOut) => {
            tracing::warn!(parent: &span, operation, "request timed out");
            let response =
                error_body(StatusCode::SERVICE_UNAVAILABLE, "TIMEOUT", "the request took too long and was stopped");
            return with_request_id(response, &id);
        }
    };
    finish_errors(&mut response, &id);
    if let Some((document, name)) = &requested {
        crate::response_order::reorder(document, name.as_deref(), &mut response.data);
    }

    // A request error (unparsable or invalid document, bad variables) never reached execution:
    // no data, and errors without a path.
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let modern = accepts(req, GRAPHQL_RESPONSE);
    let status = if request_error && modern { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let codes = response.errors.iter().filter_map(|e| match e.extensions.as_ref()?.get("code") {
        Some(async_graphql::Value::String(code)) => Some(code.clone()),
        _ => None,
    });
    state.metrics.request(&operation, status.as_u16(), started.elapsed().as_secs_f64(), codes);
    tracing::info!(
        parent: &span,
        operation,
        ms = started.elapsed().as_millis() as u64,
        errors = response.errors.len(),
        status = status.as_u16(),
        "graphql request"
    );
    // A request that never executed has no `data` entry at all (GraphQL over HTTP).
    let body = match serde_json::to_value(&response).and_then(|mut value| {
        if request_error && let Some(object) = value.as_object_mut() {
            object.shift_remove("data");
        }
        serde_json::to_vec(&value)
    }) {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(parent: &span, %err, "response serialisation failed");
            return internal_error(&id);
        }
    };
    let media = if modern { GRAPHQL_RESPONSE } else { "application/json" };
    HttpResponse::build(status)
        .content_type(format!("{media}; charset=utf-8"))
        .insert_header(("x-request-id", id))
        .body(body)
}

async fn graphql_post(
    req: HttpRequest,
    body: Result<web::Bytes, actix_web::Error>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let body = match body {
        Ok(body) => body,
        Err(err) if err.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error_body(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                &format!("the request body is larger than {} bytes", state.limits.max_body_bytes),
            );
        }
        Err(err) => {
            tracing::info!(%err, "unreadable request body");
            return error_body(StatusCode::BAD_REQUEST, "BAD_REQUEST", "the request body could not be read");
        }
    };
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if media.eq_ignore_ascii_case("multipart/form-data") {
        return graphql_multipart(&req, content_type, &body, &state).await;
    }
    if !media.eq_ignore_ascii_case("application/json") {
        return error_body(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_REQUEST",
            "send the request as application/json (or as multipart/form-data to upload a file)",
        );
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return error_body(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "batched requests are not accepted: send one operation per request",
        );
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

/// A GraphQL multipart request (<https://github.com/jaydenseric/graphql-multipart-request-spec>):
/// an `operations` part (the JSON request, `null` where a file goes), a `map` part, and the
/// files. The whole body is within `--max-body-bytes` already.
async fn graphql_multipart(req: &HttpRequest, content_type: &str, body: &[u8], state: &AppState) -> HttpResponse {
    let options = async_graphql::http::MultipartOptions::default()
        .max_num_files(MAX_UPLOAD_FILES)
        .max_file_size(state.limits.max_body_bytes);
    match async_graphql::http::receive_body(Some(content_type), body, options).await {
        Ok(request) => execute(req, state, request).await,
        Err(async_graphql::ParseRequestError::UnsupportedBatch) => error_body(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "batched requests are not accepted: send one operation per request",
        ),
        Err(err) => {
            tracing::info!(%err, "unreadable multipart request");
            error_body(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "the multipart body must hold an `operations` part (the JSON request), a `map` part and the files it maps",
            )
        }
    }
}

/// Most files one multipart request may carry.
const MAX_UPLOAD_FILES: usize = 4;

/// The media type of .xlsx workbooks.
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An application error as an HTTP response (for the download routes).
fn app_error_response(err: &crate::error::AppError) -> HttpResponse {
    use crate::error::AppError;
    let status = match err {
        AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound { .. } => StatusCode::NOT_FOUND,
        AppError::BadInput { .. } => StatusCode::BAD_REQUEST,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Internal(detail) => {
            let id = request_id();
            tracing::error!(id, %detail, "export failed");
            return internal_error(&id);
        }
    };
    let mut response = error_body(status, err.code(), &err.message());
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    }
    response
}

fn workbook_response(outcome: crate::error::AppResult<crate::export::service::Export>) -> HttpResponse {
    match outcome {
        Ok(export) => HttpResponse::Ok()
            .content_type(XLSX)
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", export.file_name)))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(export.bytes),
        Err(err) => app_error_response(&err),
    }
}

/// A number parameter of a download route; absent is `None`, anything but a number is an
/// error message.
fn number_param(params: &HashMap<String, String>, name: &str) -> Result<Option<i32>, String> {
    match params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| format!("`{name}` must be a number")),
    }
}

/// `GET /exports/roster.xlsx?term=N`: the roster of term number N (default: the current term).
async fn export_roster(
    req: HttpRequest,
    params: web::Query<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let actor = actor_of(&req, &state.db).await;
    if let Err(err) = crate::auth::policy::export_records(&actor) {
        return app_error_response(&err);
    }
    let term = match number_param(&params, "term") {
        Ok(term) => term,
        Err(message) => return error_body(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &message),
    };
    workbook_response(crate::export::service::roster(&state.db, &actor, term).await)
}

/// `GET /exports/attendance.xlsx?year=Y`: the attendance table of year Y.
async fn export_attendance(
    req: HttpRequest,
    params: web::Query<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let actor = actor_of(&req, &state.db).await;
    if let Err(err) = crate::auth::policy::export_records(&actor) {
        return app_error_response(&err);
    }
    let year = match number_param(&params, "year") {
        Ok(Some(year)) => year,
        Ok(None) => return error_body(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", "`year` is required"),
        Err(message) => return error_body(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &message),
    };
    workbook_response(crate::export::service::attendance(&state.db, &actor, year).await)
}

/// A file of the GraphiQL IDE, from the binary.
async fn graphiql_asset(file: web::Path<String>) -> HttpResponse {
    match crate::graphiql::asset(&file) {
        Some(asset) => HttpResponse::Ok()
            .content_type(asset.content_type)
            .insert_header((header::CACHE_CONTROL, crate::graphiql::CACHE_CONTROL))
            .body(asset.bytes),
        None => HttpResponse::NotFound().finish(),
    }
}

async fn graphql_get(
    req: HttpRequest,
    params: web::Query<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let Some(query) = params.get("query") else {
        if accepts(&req, "text/html") {
            let page = crate::graphiql::page("/graphql", "lvzhi 履职");
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

/// The token in a graphql-transport-ws `connection_init` payload: `{"Authorization": "Bearer …"}`
/// (any case), or a bare `{"token": "…"}`.
fn token_of(payload: &serde_json::Value) -> Option<String> {
    let object = payload.as_object()?;
    let field = |name: &str| object.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str());
    if let Some(value) = field("authorization") {
        let (scheme, token) = value.split_once(' ')?;
        return scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned());
    }
    field("token").map(|t| t.trim().to_owned())
}

/// Subscriptions over WebSocket (graphql-transport-ws). The connection authenticates once, in
/// its `connection_init` payload; each subscription then checks the actor's role.
async fn graphql_ws(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> actix_web::Result<HttpResponse> {
    let db = state.db.clone();
    async_graphql_actix_web::GraphQLSubscription::new(state.ws_schema.clone())
        .on_connection_init(move |init| async move {
            let actor = match token_of(&init) {
                Some(token) => match account::service::authenticate(&db, &token).await {
                    Ok(Some(session)) => Actor::Account(session),
                    Ok(None) => Actor::Anonymous,
                    Err(err) => {
                        tracing::error!(error = %err.message(), "token lookup failed");
                        Actor::Anonymous
                    }
                },
                None => Actor::Anonymous,
            };
            let mut data = async_graphql::Data::default();
            data.insert(actor);
            data.insert(Loaders::new(&db));
            Ok(data)
        })
        .start(&req, payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn a_panicking_request_answers_the_masked_internal_error_with_its_request_id_in_the_body() {
        let stopped = guarded(async { panic!("a resolver bug with SELECT secrets") }, Duration::from_secs(5)).await;
        let Err(Stopped::Panicked) = stopped else { panic!("a panic must be caught and reported as one") };

        let response = internal_error("0123456789abcdef");

        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers().get("x-request-id").and_then(|v| v.to_str().ok()), Some("0123456789abcdef"));
        let body = actix_web::body::to_bytes(response.into_body()).await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({ "errors": [{ "message": "internal server error",
                "extensions": { "code": "INTERNAL_SERVER_ERROR", "requestId": "0123456789abcdef" } }] })
        );
    }

    #[actix_web::test]
    async fn a_request_slower_than_the_limit_is_stopped() {
        let stopped = guarded(std::future::pending::<()>(), Duration::from_millis(1)).await;

        assert!(matches!(stopped, Err(Stopped::TimedOut)));
    }
}
