//! The HTTP surface, and the only place that knows actix-web: GraphQL over HTTP at `/graphql`
//! ([`graphql`]: POST, and GET for queries and the GraphiQL IDE), subscriptions at
//! `/graphql/ws` ([`ws`]), the Excel downloads under `/exports` ([`exports`]), and `/health`,
//! `/ready` and `/metrics` ([`probes`]). A request's account comes from its bearer token
//! ([`bearer`], the one parser for the header and the WebSocket's `connection_init`).

pub mod bearer;
pub mod exports;
pub mod graphiql;
pub mod graphql;
pub mod probes;
pub mod ws;

use actix_web::{
    App, HttpResponse, HttpServer,
    http::{StatusCode, header},
    web,
};
use sea_orm::DatabaseConnection;

use crate::{
    config::{ApiConfig, ServerConfig},
    error::code,
    metrics::Metrics,
    schema::{self, AppSchema},
    share::PoolShare,
};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The GraphQL schema of the HTTP endpoint (shape limits checked by `execute`).
    pub schema: AppSchema,
    /// The same schema for WebSocket connections, with the shape limits as an extension; it
    /// shares the subscription events and the sign-in throttle with `schema`.
    pub ws_schema: AppSchema,
    /// The workbooks of one-time passwords waiting for download, shared with both schemas.
    pub handouts: crate::account::handout::Handouts,
    /// The database pool.
    pub db: DatabaseConnection,
    /// The broker both schemas publish subscription events through; WebSockets listen on it for
    /// the end of their sessions.
    pub events: crate::events::Broker,
    /// Request limits.
    pub limits: ApiConfig,
    /// Prometheus metrics.
    pub metrics: Metrics,
    /// Each request's share of the pool for its aggregates.
    pub share: PoolShare,
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
        let handouts = crate::account::handout::Handouts::default();
        Self {
            schema: schema::build_for_http(db.clone(), &limits, events.clone(), throttle.clone(), handouts.clone()),
            ws_schema: schema::build_for_ws(db.clone(), &limits, events.clone(), throttle, handouts.clone()),
            share: PoolShare::of_pool(limits.max_request_connections, crate::db::pool_size(&db)),
            handouts,
            db,
            events,
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
                    .route(web::post().to(graphql::post))
                    .route(web::get().to(graphql::get))
                    .default_service(web::to(|| async {
                        HttpResponse::MethodNotAllowed().insert_header((header::ALLOW, "GET, POST")).finish()
                    })),
            )
            .route("/graphql/ws", web::get().to(ws::subscriptions))
            .route(&format!("{}/{{file}}", graphiql::PREFIX), web::get().to(graphiql::serve))
            .route("/exports/roster.xlsx", web::get().to(exports::roster))
            .route("/exports/attendance.xlsx", web::get().to(exports::attendance))
            .route("/exports/accounts.xlsx", web::get().to(exports::accounts))
            .route("/exports/assessments.xlsx", web::get().to(exports::assessments))
            .route("/exports/duty-file.xlsx", web::get().to(exports::duty_file_workbook))
            .route("/exports/duty-file.html", web::get().to(exports::duty_file_page))
            .route("/health", web::get().to(probes::health))
            .route("/ready", web::get().to(probes::ready))
            .route("/metrics", web::get().to(probes::metrics));
    }
}

/// Serves the API until SIGINT or SIGTERM, then finishes the requests in flight.
pub async fn run(config: &ServerConfig, mut db: DatabaseConnection) -> std::io::Result<()> {
    let metrics = Metrics::default();
    metrics.count_statements(&mut db);
    let auto_close = config.api.attendance.auto_close_days;
    if auto_close > 0 {
        tokio::spawn(crate::activity::service::keep_closing(db.clone(), auto_close));
    }
    let mut state = AppState::for_server(db, config);
    state.metrics = metrics;
    tracing::info!(bind = %config.bind, "lvzhi listening; GraphiQL at http://{}/graphql", config.bind);
    HttpServer::new(move || App::new().configure(routes(state.clone())))
        .bind(config.bind)?
        .shutdown_timeout(10)
        .run()
        .await
}

/// The address of the client behind `req`: the peer's, or the one a trusted proxy names.
fn client_addr(req: &actix_web::HttpRequest, limits: &ApiConfig) -> crate::context::ClientAddr {
    let forwarded = req.headers().get_all(crate::proxy::FORWARDED_FOR).filter_map(|v| v.to_str().ok());
    crate::context::ClientAddr(crate::proxy::client_addr(
        req.peer_addr().map(|a| a.ip()),
        forwarded,
        &limits.trusted_proxies,
    ))
}

/// A JSON error answer outside GraphQL execution: `status`, and one error with `code`.
fn error_body(status: u16, code: &str, message: &str) -> HttpResponse {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    HttpResponse::build(status).content_type("application/json").body(body.to_string())
}

/// A short random id that ties a response to its log lines.
fn request_id() -> String {
    let mut bytes = [0u8; 8];
    // Without randomness the id is only less unique; the request itself is unaffected.
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn with_request_id(mut response: HttpResponse, id: &str) -> HttpResponse {
    if let Ok(value) = header::HeaderValue::from_str(id) {
        response.headers_mut().insert(header::HeaderName::from_static("x-request-id"), value);
    }
    response
}

/// The masked answer to a request that failed inside the server (a panic, a response that could
/// not be serialised): "internal server error" with `extensions.requestId`, in the body and the
/// `x-request-id` header alike, so that the detail can be found in the server log.
fn internal_error(id: &str) -> HttpResponse {
    let body = serde_json::json!({ "errors": [{
        "message": "internal server error",
        "extensions": { "code": code::INTERNAL_SERVER_ERROR, "requestId": id },
    }] });
    let response =
        HttpResponse::build(StatusCode::INTERNAL_SERVER_ERROR).content_type("application/json").body(body.to_string());
    with_request_id(response, id)
}
