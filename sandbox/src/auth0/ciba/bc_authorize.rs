//! `POST /bc-authorize`: starts a CIBA request for a demo user, as Auth0
//! does for a Guardian push (CIBA Core §7), with the `audience` and
//! `authorization_details` of "User Authorization with CIBA".

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{Value, json};

use super::NewRequest;
use super::authorization_details;
use crate::auth0::Auth0;
use crate::auth0::audience;
use crate::auth0::token::client_auth;
use crate::auth0::token::error::OAuthError;
use crate::auth0::users::{DemoUser, by_sub};

/// Auth0's limit on `requested_expiry`, and its default.
const MAX_EXPIRY_SECONDS: u64 = 300;
const MAX_BINDING_MESSAGE_CHARS: usize = 64;

#[derive(Deserialize)]
pub struct BcAuthorizeForm {
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
    login_hint: Option<String>,
    binding_message: Option<String>,
    requested_expiry: Option<String>,
    audience: Option<String>,
    authorization_details: Option<String>,
}

pub async fn bc_authorize(
    State(auth0): State<Arc<Auth0>>,
    headers: HeaderMap,
    form: Result<Form<BcAuthorizeForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return OAuthError::invalid_request("Expected an application/x-www-form-urlencoded body.")
            .into_response();
    };
    match start(&auth0, &headers, &form) {
        Ok(body) => ([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response(),
        Err(err) => {
            tracing::info!(error = err.error(), "backchannel authorization refused");
            err.into_response()
        }
    }
}

fn start(auth0: &Auth0, headers: &HeaderMap, form: &BcAuthorizeForm) -> Result<Value, OAuthError> {
    client_auth::authenticate(
        &auth0.config,
        headers,
        form.client_id.as_deref(),
        form.client_secret.as_deref(),
    )?;
    let scope = form.scope.as_deref().unwrap_or_default();
    if !scope.split_whitespace().any(|s| s == "openid") {
        return Err(OAuthError::invalid_scope("scope must include openid."));
    }
    let user = login_hint_user(auth0, form.login_hint.as_deref())?;
    if !auth0.store.guardian.is_enrolled(user.sub) {
        // Auth0 does not document this answer. `invalid_request` is the code
        // Auth0's own SDKs read as "the user has no push notifications"
        // (auth0-ai-js CIBAAuthorizerBase.start, auth0-ai-python
        // AsyncAuthorizerBase._start); the description is the stand-in's own.
        return Err(OAuthError::invalid_request(
            "The user is not enrolled in push notifications (no Guardian device).",
        ));
    }
    let binding_message = form
        .binding_message
        .as_deref()
        .ok_or_else(|| OAuthError::invalid_request("binding_message is required."))?;
    if !valid_binding_message(binding_message) {
        return Err(OAuthError::bad_request(
            "invalid_binding_message",
            "binding_message must be 1 to 64 characters of A-Za-z0-9 +-_.,:#",
        ));
    }
    let expires_in = match form.requested_expiry.as_deref() {
        None => MAX_EXPIRY_SECONDS,
        Some(value) => value
            .parse::<u64>()
            .ok()
            .filter(|s| (1..=MAX_EXPIRY_SECONDS).contains(s))
            .ok_or_else(|| {
                OAuthError::invalid_request("requested_expiry must be 1 to 300 seconds.")
            })?,
    };
    let api = audience::resolve(&auth0.config, form.audience.as_deref())
        .map_err(|unknown| OAuthError::access_denied(unknown.description()))?;
    let details = authorization_details::accept(form.authorization_details.as_deref(), api)?;
    let interval = auth0.config.ciba_interval.as_secs().max(1);
    let auth_req_id = auth0.store.ciba.start(NewRequest {
        client_id: &auth0.config.client_id,
        user,
        binding_message,
        audience: api.map(|api| api.identifier.as_str()),
        authorization_details: details,
        expires_in: Duration::from_secs(expires_in),
        interval: Duration::from_secs(interval),
    });
    tracing::info!(
        sub = user.sub,
        expires_in,
        rich = api.is_some(),
        "backchannel authorization started"
    );
    Ok(json!({
        "auth_req_id": auth_req_id,
        "expires_in": expires_in,
        "interval": interval,
    }))
}

/// `{"format": "iss_sub", "iss": <this issuer>, "sub": <a demo user>}`.
fn login_hint_user(
    auth0: &Auth0,
    login_hint: Option<&str>,
) -> Result<&'static DemoUser, OAuthError> {
    let hint: Value = login_hint
        .and_then(|hint| serde_json::from_str(hint).ok())
        .ok_or_else(|| {
            OAuthError::invalid_request("login_hint must be a JSON iss_sub identifier.")
        })?;
    if hint["format"] != "iss_sub" {
        return Err(OAuthError::invalid_request(
            "login_hint format must be iss_sub.",
        ));
    }
    let issuer = auth0.issuer.as_str().trim_end_matches('/');
    let same_issuer = hint["iss"]
        .as_str()
        .is_some_and(|iss| iss.trim_end_matches('/') == issuer);
    if !same_issuer {
        return Err(OAuthError::invalid_request(
            "login_hint iss is not this issuer.",
        ));
    }
    hint["sub"]
        .as_str()
        .and_then(by_sub)
        .ok_or_else(|| OAuthError::bad_request("unknown_user_id", "Unknown user."))
}

/// Auth0's rule for what a phone may show.
fn valid_binding_message(message: &str) -> bool {
    let length = message.chars().count();
    (1..=MAX_BINDING_MESSAGE_CHARS).contains(&length)
        && message
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " +-_.,:#".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding_messages_follow_auth0_rules() {
        assert!(valid_binding_message(
            "Custodian password reset, code K7F-2QX"
        ));
        assert!(valid_binding_message("a+b_c.d-e:f#1"));
        assert!(!valid_binding_message(""));
        assert!(!valid_binding_message(&"a".repeat(65)));
        assert!(!valid_binding_message("reset bob@example.com"));
        assert!(!valid_binding_message("<script>"));
        assert!(!valid_binding_message("café"));
    }
}
