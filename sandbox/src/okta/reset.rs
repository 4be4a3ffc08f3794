//! `POST /okta/api/v1/users/{id}/lifecycle/reset_password?sendEmail=`, the
//! record of every reset, and the page a reset link opens.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::Okta;
use super::directory::find_user;
use super::error::OktaError;
use super::guard::Caller;
use super::status::UserStatus;
use crate::shared::ttl_map::TtlMap;
use crate::web::html::{escape, html, page};

/// Okta's reset links are valid for an hour by default.
const RESET_LINK_TTL: Duration = Duration::from_secs(3600);

/// One reset, as tests read it from `GET /__sandbox/okta/resets`.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResetRecord {
    pub login: String,
    pub send_email: bool,
    /// RFC 3339.
    pub at: String,
}

#[derive(Default)]
pub struct Resets {
    log: Mutex<Vec<ResetRecord>>,
    /// Live reset links → the login they reset.
    links: TtlMap<&'static str>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResetParams {
    send_email: Option<String>,
}

/// Okta answers `{}` when it emails the link and `{resetPasswordUrl}` when
/// `sendEmail=false`; suspended and deactivated users are refused with 403
/// E0000038; a reset moves the user to RECOVERY (UserCred, "Reset a
/// password").
pub async fn reset_password(
    State(okta): State<Arc<Okta>>,
    caller: Caller,
    Path(id): Path<String>,
    params: Result<Query<ResetParams>, QueryRejection>,
) -> Result<Json<Value>, OktaError> {
    let user = find_user(&id).ok_or_else(|| OktaError::user_not_found(&id))?;
    // Okta's default is to send the email.
    let send_email = match params.ok().and_then(|Query(p)| p.send_email).as_deref() {
        None | Some("true") => true,
        Some("false") => false,
        Some(_) => {
            return Err(OktaError::validation(
                "sendEmail: The value must be true or false",
            ));
        }
    };
    let status = okta.lifecycle.current(user).status;
    if !status.allows_password_reset() {
        tracing::info!(login = user.login, ?status, "Okta password reset refused");
        return Err(OktaError::not_allowed_in_status());
    }
    okta.lifecycle.set(user, UserStatus::Recovery);
    okta.resets
        .log
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(ResetRecord {
            login: user.login.to_owned(),
            send_email,
            at: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
        });
    tracing::info!(
        by = caller.user.email,
        login = user.login,
        send_email,
        "Okta password reset"
    );
    if send_email {
        return Ok(Json(json!({})));
    }
    let link = okta.resets.links.insert(user.login, RESET_LINK_TTL);
    Ok(Json(json!({
        "resetPasswordUrl": format!("{}/okta/reset/{link}", okta.public_url),
    })))
}

/// `GET /__sandbox/okta/resets`
pub async fn list(State(okta): State<Arc<Okta>>) -> Json<Vec<ResetRecord>> {
    Json(
        okta.resets
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone(),
    )
}

/// `GET /okta/reset/{link}`: where a reset link leads. There is no real
/// password to choose in the sandbox, so the page says what would happen.
pub async fn reset_page(State(okta): State<Arc<Okta>>, Path(link): Path<String>) -> Response {
    match okta.resets.links.get(&link) {
        Some(login) => {
            let title = "Choose a new password";
            let body = format!(
                "<h1>{title}</h1>\n<p>This is the sandbox's stand-in for Okta's password reset page \
                 for <strong>{}</strong>. In a real Okta org the user would choose a new password here.</p>",
                escape(login)
            );
            html(StatusCode::OK, page(title, &body))
        }
        None => {
            let title = "Reset link not valid";
            let body = format!(
                "<h1>{title}</h1>\n<p role=\"status\">This reset link has expired or never existed.</p>"
            );
            html(StatusCode::NOT_FOUND, page(title, &body))
        }
    }
}
