//! Resolves the session cookie once per request. A cookie that names no
//! live session (unknown, expired, tampered, undecryptable) means signed
//! out, and the stale cookie is cleared; a store that cannot answer leaves
//! the cookie alone.

use std::sync::Arc;

use app::ssr::{AppState, CurrentSession};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;

use crate::cookies;

pub async fn resolve(
    State(state): State<AppState>,
    jar: CookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    let value = cookies::session_value(&state.settings.app, &jar);
    let current = match &value {
        Some(value) => match state.sessions.resolve(value).await {
            Ok(Some(session)) => CurrentSession::SignedIn(Arc::new(session)),
            Ok(None) => CurrentSession::SignedOut,
            Err(error) => {
                // Fail closed for this request, but keep the cookie: a
                // passing store problem must not sign anyone out for good.
                tracing::error!(error = %error, "session lookup failed");
                CurrentSession::Unknown
            }
        },
        None => CurrentSession::SignedOut,
    };
    // Only a definite "no such session" makes the cookie stale.
    let stale = value.is_some() && matches!(current, CurrentSession::SignedOut);
    request.extensions_mut().insert(current);
    let response = next.run(request).await;
    if stale && !response.headers().contains_key(http::header::SET_COOKIE) {
        (cookies::clear_session(&state.settings.app, jar), response).into_response()
    } else {
        response
    }
}
