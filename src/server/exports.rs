//! The downloads: `GET /exports/roster.xlsx`, `GET /exports/attendance.xlsx`,
//! `GET /exports/assessments.xlsx` (a run's appraisal workbook), a member's duty file
//! (`GET /exports/duty-file.xlsx`, `GET /exports/duty-file.html`, printable), and
//! `GET /exports/accounts.xlsx?id=…`, the one-time passwords `createMemberAccounts` made (for
//! the session that made them, for a few minutes). Access is checked before the parameters are
//! read, so a caller who may not download is refused whatever the query string says; every
//! request is authorised by its own bearer token's live session.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, http::header, web};

use super::{AppState, bearer, error_body, internal_error, request_id};
use crate::{
    analytics::duty_file::{self, Download},
    assessment::export as appraisal,
    auth::{Actor, policy},
    error::{AppError, AppResult, status},
    export::service::{self as export, Export},
    relay::{Kind, decode_id},
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

/// A global ID parameter of a download route (a plain row number is taken too); required.
fn id_param(params: &HashMap<String, String>, name: &str, kind: Kind) -> AppResult<i64> {
    let value = params
        .get(name)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| AppError::bad_field(name, format!("`{name}` is required")))?;
    match value.parse::<i64>() {
        Ok(row) => Ok(row),
        Err(_) => decode_id(kind, &async_graphql::ID(value.to_owned()), name),
    }
}

/// A required year parameter.
fn year_param(params: &HashMap<String, String>) -> AppResult<i32> {
    number_param(params, "year").and_then(|year| year.ok_or_else(|| AppError::bad_field("year", "`year` is required")))
}

/// `GET /exports/assessments.xlsx?run=ID`: the appraisal workbook of a run (what `lvzhi export
/// assessments` writes), for the roles that read every result.
pub async fn assessments(
    req: HttpRequest,
    params: web::Query<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let actor = bearer::of_request(&req, &state.db).await;
    let outcome = async {
        policy::read_assessments(&actor)?;
        let run = id_param(&params, "run", Kind::AssessmentRun)?;
        let book = appraisal::workbook(&state.db, &actor, run).await?;
        Ok(Export { bytes: book.bytes, rows: book.rows, file_name: format!("assessments-{}-run{run}.xlsx", book.year) })
    };
    workbook_response(outcome.await)
}

/// The member and year of a duty-file request, after checking the caller is signed in.
fn duty_file_params(actor: &Actor, params: &HashMap<String, String>) -> AppResult<(i64, i32)> {
    policy::own_account(actor)?;
    Ok((id_param(params, "member", Kind::Member)?, year_param(params)?))
}

/// `GET /exports/duty-file.xlsx?member=ID&year=Y`: a member's duty file (履职档案) of a year as
/// a workbook, for the roles that read the member's duty records.
pub async fn duty_file_workbook(
    req: HttpRequest,
    params: web::Query<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let actor = bearer::of_request(&req, &state.db).await;
    let outcome = async {
        let (member, year) = duty_file_params(&actor, &params)?;
        let file = duty_file::workbook(&state.db, &actor, member, year).await?;
        Ok(Export { bytes: file.bytes, rows: 0, file_name: file.file_name })
    };
    workbook_response(outcome.await)
}

/// `GET /exports/duty-file.html?member=ID&year=Y`: the same duty file as a printable page (HTML
/// with print styles; the browser prints it or saves it as PDF).
pub async fn duty_file_page(
    req: HttpRequest,
    params: web::Query<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let actor = bearer::of_request(&req, &state.db).await;
    let outcome: AppResult<Download> = async {
        let (member, year) = duty_file_params(&actor, &params)?;
        duty_file::page(&state.db, &actor, member, year).await
    }
    .await;
    match outcome {
        Ok(page) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{}\"", page.file_name)))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'"))
            .body(page.bytes),
        Err(err) => app_error_response(&err),
    }
}
