//! Sign-in, its callback, and sign-out.

use app::ssr::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use custodian_core::ids::store_key;
use custodian_core::store::LoginAttempt;
use custodian_core::time::now_unix;
use http::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::cookies;
use crate::error_page;

/// A sign-in must finish within this time.
const LOGIN_ATTEMPT_SECONDS: i64 = 600;

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
    jar: CookieJar,
    Query(query): Query<LoginQuery>,
) -> Response {
    let return_to = safe_return_path(query.return_to.as_deref());
    let request = match state.login.authorization_request().await {
        Ok(request) => request,
        Err(error) => {
            tracing::warn!(error = %error, "could not start a sign-in");
            return error_page::page(
                state.settings.app.path_prefix(),
                StatusCode::SERVICE_UNAVAILABLE,
                "Sign-in is unavailable",
                "The sign-in service could not be reached. Try again in a moment.",
            );
        }
    };
    let attempt = LoginAttempt {
        id: store_key(request.state.expose_secret()),
        sealed: state.sealer.seal_json(&PendingLogin {
            nonce: request.nonce.expose_secret().to_owned(),
            pkce_verifier: request.pkce_verifier.expose_secret().to_owned(),
            return_to,
        }),
        expires_at: now_unix() + LOGIN_ATTEMPT_SECONDS,
    };
    if let Err(error) = state.store.put_login_attempt(&attempt).await {
        tracing::error!(error = %error, "could not store the sign-in attempt");
        return error_page::page(
            state.settings.app.path_prefix(),
            StatusCode::SERVICE_UNAVAILABLE,
            "Sign-in is unavailable",
            "Custodian's storage is unavailable right now. Try again in a moment.",
        );
    }
    let jar = cookies::set_login(
        &state.settings.app,
        jar,
        request.state.expose_secret().to_owned(),
        LOGIN_ATTEMPT_SECONDS,
    );
    (jar, Redirect::to(request.url.as_str())).into_response()
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

pub async fn callback(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let settings = &state.settings.app;
    let expected = cookies::login_value(settings, &jar);
    let jar = cookies::clear_login(settings, jar);
    let base = settings.path_prefix();
    let refuse = |jar: CookieJar, status: StatusCode, message: &str| {
        (
            jar,
            error_page::page(base, status, "Sign-in failed", message),
        )
            .into_response()
    };

    if let Some(error) = query.error {
        tracing::info!(error = %error, "the identity provider ended the sign-in");
        return refuse(
            jar,
            StatusCode::UNAUTHORIZED,
            "The sign-in was cancelled or refused by the identity provider.",
        );
    }
    let (Some(code), Some(returned_state), Some(expected)) = (query.code, query.state, expected)
    else {
        return refuse(
            jar,
            StatusCode::BAD_REQUEST,
            "This sign-in link is incomplete or was opened in another browser. Start again.",
        );
    };
    if !constant_time_eq(returned_state.as_bytes(), expected.as_bytes()) {
        tracing::warn!("sign-in callback state does not match this browser's attempt");
        return refuse(
            jar,
            StatusCode::BAD_REQUEST,
            "This sign-in link does not belong to this browser's sign-in. Start again.",
        );
    }
    let attempt = match state
        .store
        .take_login_attempt(&store_key(&returned_state), now_unix())
        .await
    {
        Ok(Some(attempt)) => attempt,
        Ok(None) => {
            tracing::warn!("sign-in callback for an unknown, used or expired attempt");
            return refuse(
                jar,
                StatusCode::BAD_REQUEST,
                "This sign-in link was already used or has expired. Start again.",
            );
        }
        Err(error) => {
            tracing::error!(error = %error, "could not read the sign-in attempt");
            return refuse(
                jar,
                StatusCode::SERVICE_UNAVAILABLE,
                "Custodian's storage is unavailable right now. Try again in a moment.",
            );
        }
    };
    let Ok(pending) = state.sealer.unseal_json::<PendingLogin>(&attempt.sealed) else {
        tracing::warn!("sign-in attempt failed to unseal");
        return refuse(
            jar,
            StatusCode::BAD_REQUEST,
            "This sign-in attempt could not be verified. Start again.",
        );
    };

    let verified = match state
        .login
        .finish(
            &code,
            &SecretString::from(pending.nonce),
            &SecretString::from(pending.pkce_verifier),
        )
        .await
    {
        Ok(verified) => verified,
        Err(error) => {
            tracing::warn!(error = %error, "sign-in refused");
            return refuse(
                jar,
                StatusCode::UNAUTHORIZED,
                &format!("Custodian refused the sign-in because {error}."),
            );
        }
    };

    // A new id at every sign-in; an older session in this browser ends.
    if let Some(previous) = cookies::session_value(settings, &jar) {
        let _ = state.sessions.destroy(&previous).await;
    }
    let created = state
        .sessions
        .create(
            verified.user,
            verified.issuer,
            verified.scopes,
            &verified.tokens,
            verified.access_token_expires_at,
        )
        .await;
    match created {
        Ok(session) => {
            tracing::info!(
                session = custodian_core::session::short(&session.record.id),
                "signed in"
            );
            let jar = cookies::set_session(
                settings,
                jar,
                session.cookie_value.expose_secret().to_owned(),
                state.sessions.lifetimes().absolute_seconds,
            );
            (jar, Redirect::to(&format!("{base}{}", pending.return_to))).into_response()
        }
        Err(error) => {
            tracing::error!(error = %error, "could not store the session");
            refuse(
                jar,
                StatusCode::SERVICE_UNAVAILABLE,
                "Custodian's storage is unavailable right now. Try again in a moment.",
            )
        }
    }
}

pub async fn logout(State(state): State<AppState>, jar: CookieJar) -> Response {
    let settings = &state.settings;
    if let Some(value) = cookies::session_value(&settings.app, &jar)
        && let Err(error) = state.sessions.destroy(&value).await
    {
        tracing::error!(error = %error, "could not delete the session record");
    }
    let jar = cookies::clear_session(&settings.app, jar);
    let mut logout = settings
        .auth0
        .issuer()
        .join("v2/logout")
        .expect("issuer is a base URL");
    let return_to = crate::routes::public_url(settings, "/")
        .map(|u| u.to_string())
        .unwrap_or_default();
    logout
        .query_pairs_mut()
        .append_pair("client_id", &settings.auth0.client_id)
        .append_pair("returnTo", &return_to);
    tracing::info!("signed out");
    (jar, Redirect::to(logout.as_str())).into_response()
}

/// Only same-origin relative paths: "/c/abc" yes; "//evil", "/\\evil",
/// "https://evil", "javascript:" no.
fn safe_return_path(candidate: Option<&str>) -> String {
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

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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

    #[test]
    fn equal_states_compare_equal() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
