//! `GET /audit`: the audit log for auditors, filtered and paged; `GET
//! /audit/rows`, the first page's rows for the page's live updates; `GET
//! /audit/export?format=csv|json`, every matching entry as a download.
//! Every request asks FGA whether the reader is an `auditor` of the log.

mod filter;
mod page;

use app::CspNonce;
use app::ssr::{AppState, CurrentSession};
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use custodian_core::audit::{AuditReadError, to_csv, to_json};
use custodian_core::store::{AuditPage, AuditQuery, SessionRecord};
use custodian_core::time::{now_unix, now_unix_ms};
use http::{HeaderValue, StatusCode, header};
use serde::Deserialize;
use std::sync::Arc;

use filter::AuditParams;
use page::Body;

/// Entries on one page.
const PAGE_SIZE: u32 = 50;

pub async fn page(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentSession>,
    Extension(CspNonce(nonce)): Extension<CspNonce>,
    Query(params): Query<AuditParams>,
) -> Response {
    let base = state.settings.app.path_prefix();
    let reader = match reader(&state, current, &params) {
        Ok(reader) => reader,
        Err(response) => return *response,
    };
    let query = match query(&params) {
        Ok(query) => query,
        Err(problem) => {
            let html = page::render(base, &nonce, &params, Body::Problem(&problem));
            return (StatusCode::BAD_REQUEST, Html(html)).into_response();
        }
    };
    match read(&state, &reader, &query).await {
        Ok(page) => {
            let live = query.before.is_none();
            Html(page::render(
                base,
                &nonce,
                &params,
                Body::Entries { page: &page, live },
            ))
            .into_response()
        }
        Err(refused) => refused.into_page(base, &nonce, &params),
    }
}

/// The first page's rows alone, as the live script swaps them in.
pub async fn rows(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentSession>,
    Query(mut params): Query<AuditParams>,
) -> Response {
    params.before.clear();
    let Some(reader) = current.signed_in() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let Ok(query) = query(&params) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    match read(&state, &reader, &query).await {
        Ok(page) => Html(page::rows(&page.entries)).into_response(),
        Err(refused) => refused.status.into_response(),
    }
}

#[derive(Deserialize)]
pub struct Format {
    #[serde(default)]
    format: String,
}

pub async fn export(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentSession>,
    Query(format): Query<Format>,
    Query(params): Query<AuditParams>,
) -> Response {
    let base = state.settings.app.path_prefix();
    let reader = match reader(&state, current, &params) {
        Ok(reader) => reader,
        Err(response) => return *response,
    };
    let (render, content_type, extension): (fn(&[_]) -> String, _, _) = match format.format.as_str()
    {
        "csv" => (to_csv, "text/csv; charset=utf-8", "csv"),
        "json" => (to_json, "application/json", "json"),
        _ => return problem(base, StatusCode::BAD_REQUEST, "Format: choose csv or json."),
    };
    let filter = match params.filter() {
        Ok(filter) => filter,
        Err(message) => return problem(base, StatusCode::BAD_REQUEST, &message),
    };
    let exported = state
        .audit
        .export(&state.actions.fga, &reader.user.email, &filter, now_unix())
        .await;
    match exported {
        Ok(entries) => download(render(&entries), content_type, extension),
        Err(error) => Refused::from(error).into_problem(base),
    }
}

/// The signed-in reader, or the response for someone who is not.
fn reader(
    state: &AppState,
    current: CurrentSession,
    params: &AuditParams,
) -> Result<Arc<SessionRecord>, Box<Response>> {
    match current {
        CurrentSession::SignedIn(session) => Ok(session),
        CurrentSession::SignedOut => {
            let back = format!("/audit?{}", params.query_string());
            let login = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("returnTo", &back)
                .finish();
            let base = state.settings.app.path_prefix();
            Err(Box::new(
                Redirect::to(&format!("{base}/login?{login}")).into_response(),
            ))
        }
        CurrentSession::Unknown => Err(Box::new(problem(
            state.settings.app.path_prefix(),
            StatusCode::SERVICE_UNAVAILABLE,
            "Custodian could not check your sign-in just now. Reload the page in a moment.",
        ))),
    }
}

fn query(params: &AuditParams) -> Result<AuditQuery, String> {
    Ok(AuditQuery {
        filter: params.filter()?,
        limit: PAGE_SIZE,
        before: params.cursor()?,
        now: now_unix(),
    })
}

async fn read(
    state: &AppState,
    reader: &SessionRecord,
    query: &AuditQuery,
) -> Result<AuditPage, Refused> {
    state
        .audit
        .read(&state.actions.fga, &reader.user.email, query)
        .await
        .map_err(Refused::from)
}

/// A read that did not happen: the status and the reader's explanation.
struct Refused {
    status: StatusCode,
    message: String,
}

impl From<AuditReadError> for Refused {
    fn from(error: AuditReadError) -> Self {
        let status = match &error {
            AuditReadError::NotPermitted => StatusCode::FORBIDDEN,
            AuditReadError::TooMany => StatusCode::UNPROCESSABLE_ENTITY,
            AuditReadError::PermissionUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            AuditReadError::Store(store) => {
                tracing::error!(error = %store, "the audit log could not be read");
                StatusCode::SERVICE_UNAVAILABLE
            }
        };
        Self {
            status,
            message: error.to_string(),
        }
    }
}

impl Refused {
    fn into_page(self, base: &str, nonce: &str, params: &AuditParams) -> Response {
        if self.status == StatusCode::FORBIDDEN {
            return (self.status, Html(page::refused(base, &self.message))).into_response();
        }
        let html = page::render(base, nonce, params, Body::Problem(&self.message));
        (self.status, Html(html)).into_response()
    }

    fn into_problem(self, base: &str) -> Response {
        problem(base, self.status, &self.message)
    }
}

fn problem(base: &str, status: StatusCode, message: &str) -> Response {
    (status, Html(page::refused(base, message))).into_response()
}

/// An attachment named for the moment it was made.
fn download(body: String, content_type: &'static str, extension: &str) -> Response {
    let stamp = custodian_core::audit::time_utc(now_unix_ms()).replace([':', '.'], "-");
    let disposition = format!("attachment; filename=\"custodian-audit-{stamp}.{extension}\"");
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
