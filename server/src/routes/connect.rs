//! Connecting the administrator's Okta account for Token Vault through
//! Auth0's Connected Accounts flow (My Account API), and disconnecting it.
//!
//! Like sign-in, the flow's secrets (state, PKCE verifier, `auth_session`)
//! stay server-side in a sealed, single-use attempt (`PendingAttempts`,
//! shared with sign-in); the attempt is bound to the session that started it. Auth0 sends the browser back to the
//! same `/callback` as sign-in, with `connect_code` instead of `code`
//! (auth0-server-python: "distinguish … via the presence of the `code`
//! and `connect_code` parameter"), so no extra callback URL is needed.

use std::sync::Arc;

use app::ssr::{AppState, CurrentSession};
use axum::Extension;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use custodian_core::auth0::AttemptError;
use custodian_core::store::SessionRecord;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::auth::safe_return_path;
use super::connect_error::{ConnectError, ConnectFailure};

/// What the return needs from the start; sealed in the store.
#[derive(Serialize, Deserialize)]
struct PendingConnect {
    session_id: String,
    auth_session: String,
    pkce_verifier: String,
    return_to: String,
}

#[derive(Deserialize)]
pub struct ReturnForm {
    return_to: Option<String>,
}

/// `POST /connect/okta`: asks Auth0 for a connect ticket and sends the
/// browser to it.
pub async fn start(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentSession>,
    Form(form): Form<ReturnForm>,
) -> Result<Response, ConnectFailure> {
    let base = state.settings.app.path_prefix().to_owned();
    let (session, token) = signed_in(&state, current).await.map_err(|e| e.at(&base))?;
    let started = state
        .my_account
        .start(&token, &callback_url(&state))
        .await
        .map_err(|e| ConnectError::MyAccount(e).at(&base))?;
    let pending = PendingConnect {
        session_id: session.id.clone(),
        auth_session: started.auth_session.expose_secret().to_owned(),
        pkce_verifier: started.pkce_verifier.expose_secret().to_owned(),
        return_to: safe_return_path(form.return_to.as_deref()),
    };
    state
        .attempts
        .save(&attempt_key(started.state.expose_secret()), &pending)
        .await
        .map_err(|e| ConnectError::StoreUnavailable(e.to_string()).at(&base))?;
    tracing::info!("connecting Okta: sent to Auth0");
    Ok(Redirect::to(started.url.as_str()).into_response())
}

/// The parts of a `/callback` that may belong to a connect flow.
pub struct Returned<'a> {
    pub connect_code: Option<&'a str>,
    pub state: Option<&'a str>,
    pub error: Option<&'a str>,
}

/// Finishes a connect flow when the callback is one: it carries
/// `connect_code`, or an error for a connect attempt. `None` means the
/// callback is a sign-in's.
pub async fn returned(
    state: &AppState,
    session: Option<Arc<SessionRecord>>,
    back: Returned<'_>,
) -> Option<Response> {
    let base = state.settings.app.path_prefix().to_owned();
    let returned_state = back.state.unwrap_or_default();
    let (Some(code), None) = (back.connect_code, back.error) else {
        // An error for one of our attempts ends that attempt.
        let ended = back.error?;
        taken_attempt(state, returned_state).await.ok()?;
        return Some(
            ConnectError::Ended(ended.to_owned())
                .at(&base)
                .into_response(),
        );
    };
    let outcome = finish(state, session, code, returned_state).await;
    Some(match outcome {
        Ok(target) => Redirect::to(&target).into_response(),
        Err(error) => error.at(&base).into_response(),
    })
}

async fn finish(
    state: &AppState,
    session: Option<Arc<SessionRecord>>,
    connect_code: &str,
    returned_state: &str,
) -> Result<String, ConnectError> {
    let pending = taken_attempt(state, returned_state).await?;
    let session = session.ok_or(ConnectError::SignedOut)?;
    if session.id != pending.session_id {
        return Err(ConnectError::OtherSession);
    }
    let token = my_account_token(state, &session).await?;
    state
        .my_account
        .complete(
            &token,
            &SecretString::from(pending.auth_session),
            connect_code,
            &callback_url(state),
            &SecretString::from(pending.pkce_verifier),
        )
        .await
        .map_err(ConnectError::MyAccount)?;
    tracing::info!("Okta account connected");
    // The flag makes the chat ask the waiting question again.
    let separator = if pending.return_to.contains('?') {
        '&'
    } else {
        '?'
    };
    let (key, value) = app::api::CONNECTED_FLAG;
    Ok(format!(
        "{}{}{separator}{key}={value}",
        state.settings.app.path_prefix(),
        pending.return_to
    ))
}

/// `POST /connect/okta/disconnect`: disconnects every Okta account of the
/// user, then returns to the page.
pub async fn disconnect(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentSession>,
    Form(form): Form<ReturnForm>,
) -> Result<Response, ConnectFailure> {
    let base = state.settings.app.path_prefix().to_owned();
    let (_, token) = signed_in(&state, current).await.map_err(|e| e.at(&base))?;
    let removed = state
        .my_account
        .disconnect(&token)
        .await
        .map_err(|e| ConnectError::MyAccount(e).at(&base))?;
    tracing::info!(accounts = removed, "Okta account disconnected");
    let target = format!("{base}{}", safe_return_path(form.return_to.as_deref()));
    Ok(Redirect::to(&target).into_response())
}

/// The single-use attempt a returned `state` names, unsealed.
async fn taken_attempt(state: &AppState, returned: &str) -> Result<PendingConnect, ConnectError> {
    if returned.is_empty() {
        return Err(ConnectError::UnknownAttempt);
    }
    state
        .attempts
        .take(attempt_key(returned).expose_secret())
        .await
        .map_err(|error| match error {
            AttemptError::Unknown => ConnectError::UnknownAttempt,
            AttemptError::Unsealable => ConnectError::UnsealableAttempt,
            AttemptError::Store(error) => ConnectError::StoreUnavailable(error.to_string()),
        })
}

/// The signed-in session and a My Account token for it.
async fn signed_in(
    state: &AppState,
    current: CurrentSession,
) -> Result<(Arc<SessionRecord>, SecretString), ConnectError> {
    let session = match current {
        CurrentSession::SignedIn(session) => session,
        CurrentSession::SignedOut => return Err(ConnectError::SignedOut),
        CurrentSession::Unknown => {
            return Err(ConnectError::StoreUnavailable(
                "the session lookup failed".into(),
            ));
        }
    };
    let token = my_account_token(state, &session).await?;
    Ok((session, token))
}

async fn my_account_token(
    state: &AppState,
    session: &SessionRecord,
) -> Result<SecretString, ConnectError> {
    let tokens = state
        .sessions
        .unseal_tokens(session)
        .map_err(|_| ConnectError::SignedOut)?;
    state
        .my_account
        .access_token(tokens.refresh_token.as_ref())
        .await
        .map_err(ConnectError::MyAccount)
}

/// Connect attempts are kept like sign-in attempts (sealed, under the
/// state's digest, taken once), in their own key space, so a sign-in
/// `state` never finds one.
fn attempt_key(state: &str) -> SecretString {
    SecretString::from(format!("connect:{state}"))
}

fn callback_url(state: &AppState) -> url::Url {
    super::public_url(&state.settings, "/callback").expect("the base URL was checked at start-up")
}
