//! The Excel downloads: `GET /exports/roster.xlsx`, `GET /exports/attendance.xlsx`, and
//! `GET /exports/accounts.xlsx?id=…`, the one-time passwords `createMemberAccounts` made (for
//! the session that made them, for a few minutes). The services check access before they read
//! the parameters, so a caller who may not export is refused whatever the query string says.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, http::header, web};

use super::{AppState, bearer, error_body, internal_error, request_id};
use crate::{
    error::{AppError, AppResult, status},
    export::service::{self as export, Export},
};

/// The media type of .xlsx workbooks.
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An application error as an HTTP response; an internal one is masked, with a request id.
fn app_error_response(err: &AppError) -> HttpResponse {
    if let AppError::Internal(detail) = err {
        let id = request_id();
        tracing::error!(id, %detail, "export failed");
        return internal_error(&id);
    }
    let status = err.http_status();
    let mut response = error_body(status, err.code(), &err.message());
    if status == status::UNAUTHENTICATED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    }
    response
}

fn workbook_response(outcome: AppResult<Export>) -> HttpResponse {
    match outcome {
        Ok(export) => HttpResponse::Ok()
            .content_type(XLSX)
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", export.file_name)))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(export.bytes),
        Err(err) => app_error_response(&err),
    }
}

/// A number parameter of a download route; absent is `None`.
fn number_param(params: &HashMap<String, String>, name: &str) -> AppResult<Option<i32>> {
    match params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| AppError::bad_field(name, format!("`{name}` must be a number"))),
    }
}

/// `GET /exports/roster.xlsx?term=N`: the roster of term number N (default: the current term).
pub async fn roster(
    req: HttpRequest,
    params: web::Query<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let actor = bearer::of_request(&req, &state.db).await;
    let term = number_param(&params, "term");
    workbook_response(export::roster_given(&state.db, &actor, term).await)
}

/// `GET /exports/attendance.xlsx?year=Y`: the attendance table of year Y.
pub async fn attendance(
    req: HttpRequest,
    params: web::Query<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let actor = bearer::of_request(&req, &state.db).await;
    let year = number_param(&params, "year")
        .and_then(|year| year.ok_or_else(|| AppError::bad_field("year", "`year` is required")));
    workbook_response(export::attendance_given(&state.db, &actor, year).await)
}

/// `GET /exports/accounts.xlsx?id=ID`: the workbook of one-time passwords that
/// `createMemberAccounts` kept under ID, for the session that made it until it expires;
/// NOT_FOUND otherwise. The id is never logged.
pub async fn accounts(
    req: HttpRequest,
    params: web::Query<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let actor = bearer::of_request(&req, &state.db).await;
    let id = params.get("id").map(String::as_str).unwrap_or_default();
    let outcome = state.handouts.fetch(&actor, id).map(|bytes| Export {
        rows: 0,
        bytes,
        file_name: "member-accounts.xlsx".to_owned(),
    });
    workbook_response(outcome)
}
