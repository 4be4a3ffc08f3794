//! Sign-in, its callback, and sign-out.

use app::ssr::{AppState, CurrentSession};
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use custodian_core::auth0::{ATTEMPT_SECONDS, AttemptError};
use custodian_core::limits::LimitError;
use custodian_core::time::now_unix;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use super::connect::Returned;
use super::sign_in_error::{SignInError, SignInFailure};
use crate::client_address::Client;
use crate::cookies;
use crate::device::Device;

/// What the callback needs from `/login`; sealed in the store.
#[derive(Serialize, Deserialize)]
struct PendingLogin {
    nonce: String,
    pkce_verifier: String,
    return_to: String,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    return_to: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    Client(client): Client,
    jar: CookieJar,
    Query(query): Query<LoginQuery>,
) -> Result<Response, SignInFailure> {
    match start_sign_in(&state, client, jar, query).await {
        Ok(response) => Ok(response),
        Err(failure) => Err(failure.audited(&state.audit).await),
    }
}

async fn start_sign_in(
    state: &AppState,
    client: custodian_core::limits::ClientAddress,
    jar: CookieJar,
    query: LoginQuery,
) -> Result<Response, SignInFailure> {
    let base = state.settings.app.path_prefix();
    // Before anything is sealed, stored or asked of Auth0.
    state
        .limits
        .admit_sign_in(state.store.as_ref(), client, now_unix())
        .await
        .map_err(|error| match error {
            LimitError::Refused(refusal) => SignInError::Throttled(refusal).at(base),
            LimitError::Store(error) => SignInError::StoreUnavailable(error.to_string()).at(base),
        })?;
    let return_to = safe_return_path(query.return_to.as_deref());
    let request = state
        .login
        .authorization_request()
        .await
        .map_err(|error| SignInError::ProviderUnavailable(error).at(base))?;
    let pending = PendingLogin {
        nonce: request.nonce.expose_secret().to_owned(),
        pkce_verifier: request.pkce_verifier.expose_secret().to_owned(),
        return_to,
    };
    state
        .attempts
        .save(&request.state, &pending)
        .await
        .map_err(|error| SignInError::StoreUnavailable(error.to_string()).at(base))?;
    let jar = cookies::set_login(
        &state.settings.app,
        jar,
        request.state.expose_secret().to_owned(),
        ATTEMPT_SECONDS,
    );
    Ok((jar, Redirect::to(request.url.as_str())).into_response())
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    /// Set when Auth0 returns from connecting an account instead.
    connect_code: Option<String>,
}

/// A sign-in's return, or a connect flow's (which leaves the login cookie).
pub async fn callback(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentSession>,
    jar: CookieJar,
    device: Device,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let back = Returned {
        connect_code: query.connect_code.as_deref(),
        state: query.state.as_deref(),
        error: query.error.as_deref(),
    };
    if let Some(response) = super::connect::returned(&state, current.signed_in(), back).await {
        return response;
    }
    sign_in_callback(state, jar, query, device)
        .await
        .into_response()
}

/// The login cookie is cleared whatever the outcome.
async fn sign_in_callback(
    state: AppState,
    jar: CookieJar,
    query: CallbackQuery,
    device: Device,
) -> (CookieJar, Result<Response, SignInFailure>) {
    let settings = &state.settings.app;
    let expected = cookies::login_value(settings, &jar);
    let jar = cookies::clear_login(settings, jar);
    let outcome = finish_sign_in(&state, &jar, query, expected, device).await;
    match outcome {
        Ok((session_value, return_to)) => {
            let jar = cookies::set_session(
                settings,
                jar,
                session_value.expose_secret().to_owned(),
                state.sessions.lifetimes().absolute_seconds,
            );
            let target = format!("{}{return_to}", settings.path_prefix());
            (jar, Ok(Redirect::to(&target).into_response()))
        }
        Err(error) => {
            let failure = error.at(settings.path_prefix());
            (jar, Err(failure.audited(&state.audit).await))
        }
    }
}

/// Checks the callback against this browser's attempt, verifies the sign-in
/// and creates the session; returns its cookie value and the return path.
async fn finish_sign_in(
    state: &AppState,
    jar: &CookieJar,
    query: CallbackQuery,
    expected: Option<String>,
    Device(device): Device,
) -> Result<(SecretString, String), SignInError> {
    if let Some(error) = query.error {
        return Err(SignInError::ProviderEnded(error));
    }
    let (Some(code), Some(returned_state), Some(expected)) = (query.code, query.state, expected)
    else {
        return Err(SignInError::IncompleteCallback);
    };
    if !bool::from(returned_state.as_bytes().ct_eq(expected.as_bytes())) {
        return Err(SignInError::StateMismatch);
    }
    let pending: PendingLogin = state
        .attempts
        .take(&returned_state)
        .await
        .map_err(|error| match error {
            AttemptError::Unknown => SignInError::UnknownAttempt,
            AttemptError::Unsealable => SignInError::UnsealableAttempt,
            AttemptError::Store(error) => SignInError::StoreUnavailable(error.to_string()),
        })?;
    let verified = state
        .login
        .finish(
            &code,
            &SecretString::from(pending.nonce),
            &SecretString::from(pending.pkce_verifier),
        )
        .await
        .map_err(SignInError::Login)?;

    // A new id at every sign-in; an older session in this browser ends.
    if let Some(previous) = cookies::session_value(&state.settings.app, jar) {
        let _ = state.sessions.destroy(&previous).await;
    }
    let session = state
        .sessions
        .create(verified, device)
        .await
        .map_err(|error| SignInError::StoreUnavailable(error.to_string()))?;
    tracing::info!(
        session = custodian_core::session::short(&session.record.id),
        "signed in"
    );
    state
        .audit
        .record(
            "auth.sign_in",
            &session.record.user.email,
            &state.settings.auth0.connection_name,
            "signed-in",
        )
        .await;
    Ok((session.cookie_value, pending.return_to))
}

pub async fn logout(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentSession>,
    jar: CookieJar,
) -> Response {
    let settings = &state.settings;
    if let Some(session) = current.signed_in() {
        state
            .audit
            .record(
                "auth.sign_out",
                &session.user.email,
                "custodian",
                "signed-out",
            )
            .await;
    }
    if let Some(value) = cookies::session_value(&settings.app, &jar)
        && let Err(error) = state.sessions.destroy(&value).await
    {
        tracing::error!(error = %error, "could not delete the session record");
    }
    let jar = cookies::clear_session(&settings.app, jar);
    tracing::info!("signed out");
    (jar, Redirect::to(&state.logout_url)).into_response()
}

/// Only same-origin relative paths: "/c/abc" yes; "//evil", "/\\evil",
/// "https://evil", "javascript:" no.
pub(super) fn safe_return_path(candidate: Option<&str>) -> String {
    match candidate {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && path.len() <= 512
                && !path.chars().any(|c| c.is_control() || c == '\\') =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_paths_stay_on_this_site() {
        assert_eq!(safe_return_path(Some("/c/abc?x=1")), "/c/abc?x=1");
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "",
            "/a\nb",
            "c/x",
        ] {
            assert_eq!(safe_return_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_return_path(None), "/");
    }
}
