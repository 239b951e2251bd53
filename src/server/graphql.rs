//! GraphQL over HTTP at `/graphql`: POST (JSON or multipart with files) and GET (queries, and
//! the GraphiQL IDE), and the execution every request shares: the actor from the bearer token,
//! the shape limits, the time limit, masked internal errors, metrics and the log line.

use std::{
    collections::HashMap,
    panic::AssertUnwindSafe,
    time::{Duration, Instant},
};

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use async_graphql::parser::{
    parse_query,
    types::{DocumentOperations, ExecutableDocument, OperationType},
};
use futures_util::FutureExt;
use tracing::Instrument;

use super::{AppState, bearer, error_body, internal_error, request_id, with_request_id};
use crate::{
    error::{code, status},
    loader::Loaders,
    schema,
};

/// The media type of GraphQL responses per the GraphQL-over-HTTP spec.
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

fn accepts(req: &HttpRequest, media: &str) -> bool {
    req.headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| part.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case(media)))
}

/// The name of a document's only operation, for logs and metrics ("" when unnamed or several).
fn document_operation_name(document: &ExecutableDocument) -> String {
    match &document.operations {
        DocumentOperations::Multiple(ops) if ops.len() == 1 => {
            ops.keys().next().map(|name| name.to_string()).unwrap_or_default()
        }
        _ => String::new(),
    }
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

/// Gives every error a code, and internal errors the request id instead of their detail.
pub(super) fn finish_errors(response: &mut async_graphql::Response, id: &str) {
    for error in &mut response.errors {
        let ext = error.extensions.get_or_insert_with(Default::default);
        if ext.get("code").is_none() {
            // Errors raised by the GraphQL engine itself (unknown fields, wrong argument types,
            // limits) are about the request the client wrote.
            ext.set("code", code::BAD_USER_INPUT);
        }
        if matches!(ext.get("code"), Some(async_graphql::Value::String(c)) if c == code::INTERNAL_SERVER_ERROR) {
            ext.set("requestId", id);
        }
    }
}

/// The body of a request that never executed: its errors (and extensions), no `data`.
#[derive(serde::Serialize)]
struct Unexecuted<'a> {
    #[serde(skip_serializing_if = "no_extensions")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
    errors: &'a [async_graphql::ServerError],
}

fn no_extensions(extensions: &&std::collections::BTreeMap<String, async_graphql::Value>) -> bool {
    extensions.is_empty()
}

async fn execute(req: &HttpRequest, state: &AppState, request: async_graphql::Request) -> HttpResponse {
    let started = Instant::now();
    let id = request_id();
    let span = tracing::info_span!("request", id = %id);
    let actor = bearer::of_request(req, &state.db).instrument(span.clone()).await;
    let addr = super::client_addr(req, &state.limits);
    let mut request = request.data(actor).data(Loaders::new(&state.db)).data(addr).data(state.share.for_request());
    // The document is parsed once, here: its shape is checked rather than by a schema extension
    // (see `schema::build_for_http`), its operation named for logs and metrics, a copy kept to
    // order the response by, and the parsed document itself used for execution.
    let named = request.operation_name.clone();
    let (operation, refused, requested) = match request.parsed_query() {
        Ok(document) => (
            named.clone().unwrap_or_else(|| document_operation_name(document)),
            crate::limits::check(document, schema::shape_limits(&state.limits)).err(),
            Some((document.clone(), named)),
        ),
        Err(error) => (named.unwrap_or_default(), Some(error), None),
    };
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
            let response = error_body(status::TIMEOUT, code::TIMEOUT, "the request took too long and was stopped");
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
    // The request line: at INFO when the answer carries errors (the id a masked error points
    // to), otherwise at DEBUG, so that a busy server's log costs nothing unless asked for.
    if response.errors.is_empty() {
        tracing::debug!(parent: &span, operation, ms = started.elapsed().as_millis() as u64, status = status.as_u16(), "graphql request");
    } else {
        tracing::info!(
            parent: &span,
            operation,
            ms = started.elapsed().as_millis() as u64,
            errors = response.errors.len(),
            status = status.as_u16(),
            "graphql request"
        );
    }
    // A request that never executed has no `data` entry at all (GraphQL over HTTP). Serialised
    // straight to bytes, not through an intermediate JSON value.
    let body = if request_error {
        serde_json::to_vec(&Unexecuted { extensions: &response.extensions, errors: &response.errors })
    } else {
        serde_json::to_vec(&response)
    };
    let body = match body {
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

/// `POST /graphql`: one GraphQL request as JSON, or as a multipart request with files.
pub async fn post(
    req: HttpRequest,
    body: Result<web::Bytes, actix_web::Error>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let body = match body {
        Ok(body) => body,
        Err(err) if err.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error_body(
                status::PAYLOAD_TOO_LARGE,
                code::PAYLOAD_TOO_LARGE,
                &format!("the request body is larger than {} bytes", state.limits.max_body_bytes),
            );
        }
        Err(err) => {
            tracing::info!(%err, "unreadable request body");
            return error_body(status::BAD_REQUEST, code::BAD_REQUEST, "the request body could not be read");
        }
    };
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if media.eq_ignore_ascii_case("multipart/form-data") {
        return graphql_multipart(&req, content_type, &body, &state).await;
    }
    if !media.eq_ignore_ascii_case("application/json") {
        return error_body(
            status::UNSUPPORTED_MEDIA_TYPE,
            code::BAD_REQUEST,
            "send the request as application/json (or as multipart/form-data to upload a file)",
        );
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return error_body(
            status::BAD_REQUEST,
            code::BAD_REQUEST,
            "batched requests are not accepted: send one operation per request",
        );
    }
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => {
            return error_body(
                status::BAD_REQUEST,
                code::BAD_REQUEST,
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
            status::BAD_REQUEST,
            code::BAD_REQUEST,
            "batched requests are not accepted: send one operation per request",
        ),
        Err(err) => {
            tracing::info!(%err, "unreadable multipart request");
            error_body(
                status::BAD_REQUEST,
                code::BAD_REQUEST,
                "the multipart body must hold an `operations` part (the JSON request), a `map` part and the files it maps",
            )
        }
    }
}

/// Most files one multipart request may carry.
const MAX_UPLOAD_FILES: usize = 4;

/// `GET /graphql`: a query in the query string, or the GraphiQL IDE for a browser.
pub async fn get(
    req: HttpRequest,
    params: web::Query<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let Some(query) = params.get("query") else {
        if accepts(&req, "text/html") {
            let page = super::graphiql::page("/graphql", "lvzhi 履职");
            return HttpResponse::Ok().content_type("text/html; charset=utf-8").body(page);
        }
        return error_body(status::BAD_REQUEST, code::BAD_REQUEST, "a GET request needs a `query` parameter");
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
            let mut response = error_body(
                StatusCode::METHOD_NOT_ALLOWED.as_u16(),
                code::BAD_REQUEST,
                "mutations must be sent with POST",
            );
            response.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("POST"));
            return response;
        }
    }
    let mut request = async_graphql::Request::new(query.clone());
    request.operation_name = operation_name;
    if let Some(vars) = params.get("variables").filter(|s| !s.is_empty()) {
        match serde_json::from_str::<async_graphql::Variables>(vars) {
            Ok(v) => request.variables = v,
            Err(_) => return error_body(status::BAD_REQUEST, code::BAD_REQUEST, "`variables` must be a JSON object"),
        }
    }
    execute(&req, &state, request).await
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
