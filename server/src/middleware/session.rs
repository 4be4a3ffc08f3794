//! Resolves the session cookie once per request. A cookie that names no
//! live session (unknown, expired, tampered, undecryptable) means signed
//! out, and the stale cookie is cleared.

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
    let session = match &value {
        Some(value) => match state.sessions.resolve(value).await {
            Ok(session) => session,
            Err(error) => {
                // Fail closed: without the store nobody is signed in.
                tracing::error!(error = %error, "session lookup failed");
                None
            }
        },
        None => None,
    };
    let stale = value.is_some() && session.is_none();
    request
        .extensions_mut()
        .insert(CurrentSession(session.map(Arc::new)));
    let response = next.run(request).await;
    if stale && !response.headers().contains_key(http::header::SET_COOKIE) {
        (cookies::clear_session(&state.settings.app, jar), response).into_response()
    } else {
        response
    }
}
