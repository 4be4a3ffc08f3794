//! `POST /access/request`, `POST /access/drop` and `POST /access/end`: the
//! denial notice's "Request access" buttons, an approval card's "End access
//! now" and the session panel's "End now". Plain
//! form posts (they work before the page is live and add nothing to the
//! WebAssembly bundle); each ends back in the conversation, where the new
//! card or what went wrong is stored, so a reload shows the same.

use std::sync::Arc;
use std::time::Duration;

use app::api::AppError;
use app::ssr::{AppState, CurrentSession};
use axum::Extension;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use custodian_core::elevation::request_elevation;
use custodian_core::fga::Permission;
use custodian_core::store::{Message, Role, SessionRecord};
use custodian_core::time::now_unix;
use http::StatusCode;
use serde::Deserialize;

use crate::error_page;

#[derive(Deserialize)]
pub struct RequestForm {
    conversation_id: String,
    /// The FGA relation the denial named.
    relation: String,
    /// One of the offered durations, in seconds.
    seconds: u64,
}

#[derive(Deserialize)]
pub struct DropForm {
    conversation_id: String,
    /// The approval card of the access to end.
    id: String,
}

pub async fn request(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentSession>,
    Form(form): Form<RequestForm>,
) -> Response {
    let session = match signed_in(&state, current, &form.conversation_id).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let requested = request_elevation(
        &state.actions,
        &session,
        &form.relation,
        Duration::from_secs(form.seconds),
        &form.conversation_id,
    )
    .await;
    if let Err(error) = requested {
        // The relation is the form's: only a known one is repeated.
        let asked = Permission::grantable(&form.relation).map_or("unknown", |p| p.object());
        let email = &session.user.email;
        state
            .audit
            .record("elevation.refused", email, asked, "refused")
            .await;
        tell(&state, &session, &form.conversation_id, error.to_string()).await;
    }
    back_to(&state, &form.conversation_id)
}

pub async fn drop(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentSession>,
    Form(form): Form<DropForm>,
) -> Response {
    let session = match signed_in(&state, current, &form.conversation_id).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let dropped = state
        .step_ups
        .drop_elevation(&session.user.sub, &form.id)
        .await;
    let problem = match dropped {
        Ok(Some(Ok(_))) => None,
        Ok(None) => Some("That access has already ended.".to_owned()),
        Ok(Some(Err(reason))) => Some(format!("The access was not ended: {reason}. Try again.")),
        Err(error) => {
            tracing::error!(%error, "could not read an access grant to end it");
            Some("The access was not ended: Custodian's storage was unavailable. Try again.".into())
        }
    };
    if let Some(problem) = problem {
        tell(&state, &session, &form.conversation_id, problem).await;
    }
    back_to(&state, &form.conversation_id)
}

#[derive(Deserialize)]
pub struct EndForm {
    /// The relation of the time-limited grant to end.
    relation: String,
    /// The open conversation, if any: where the browser goes back to.
    #[serde(default)]
    conversation_id: String,
}

/// Ends a time-limited grant from the session panel, whichever request
/// gave it.
pub async fn end(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentSession>,
    Form(form): Form<EndForm>,
) -> Response {
    let base = state.settings.app.path_prefix().to_owned();
    let session = if form.conversation_id.is_empty() {
        session_of(&base, current).map_err(|response| *response)
    } else {
        signed_in(&state, current, &form.conversation_id).await
    };
    let session = match session {
        Ok(session) => session,
        Err(response) => return response,
    };
    let Some(permission) = Permission::grantable(&form.relation) else {
        return not_done(
            &base,
            &AppError::Invalid("There is no such access to end.".into()),
        );
    };
    let email = &session.user.email;
    match state.actions.fga.end_grant(email, permission).await {
        Ok(ended) => {
            let outcome = if ended { "ended" } else { "none" };
            state
                .audit
                .record("elevation.dropped", email, permission.object(), outcome)
                .await;
        }
        Err(error) => {
            let text = format!("The access was not ended: {error}. Try again.");
            return not_done(&base, &AppError::Unavailable(text));
        }
    }
    back_to(&state, &form.conversation_id)
}

/// The signed-in user, when the conversation is theirs; otherwise the page
/// that says why nothing was done.
async fn signed_in(
    state: &AppState,
    current: CurrentSession,
    conversation_id: &str,
) -> Result<Arc<SessionRecord>, Response> {
    let base = state.settings.app.path_prefix();
    let session = session_of(base, current).map_err(|response| *response)?;
    match state
        .store
        .get_conversation(&session.user.sub, conversation_id)
        .await
    {
        Ok(Some(_)) => Ok(session),
        Ok(None) => Err(not_done(base, &AppError::NotFound)),
        Err(error) => {
            tracing::error!(%error, "could not read a conversation for an access request");
            Err(not_done(
                base,
                &AppError::Unavailable("Custodian's storage was unavailable.".into()),
            ))
        }
    }
}

/// The signed-in user; otherwise the sign-in page, or the page that says
/// the sign-in could not be checked.
fn session_of(base: &str, current: CurrentSession) -> Result<Arc<SessionRecord>, Box<Response>> {
    match current {
        CurrentSession::SignedIn(session) => Ok(session),
        CurrentSession::SignedOut => {
            Err(Box::new(Redirect::to(&format!("{base}/")).into_response()))
        }
        CurrentSession::Unknown => Err(Box::new(not_done(
            base,
            &AppError::Unavailable("Custodian could not check your sign-in just now.".into()),
        ))),
    }
}

/// Adds what happened to the conversation, where the user looks for it.
async fn tell(state: &AppState, session: &SessionRecord, conversation_id: &str, text: String) {
    let message = Message {
        role: Role::Notice,
        text,
        at: now_unix(),
    };
    if let Err(error) = state
        .store
        .append_message(&session.user.sub, conversation_id, &message)
        .await
    {
        tracing::error!(%error, "could not add an access request's outcome to its conversation");
    }
}

/// Back to the conversation, or to a new chat when there is none.
fn back_to(state: &AppState, conversation_id: &str) -> Response {
    let base = state.settings.app.path_prefix();
    if conversation_id.is_empty() {
        return Redirect::to(&format!("{base}/")).into_response();
    }
    Redirect::to(&format!("{base}/c/{conversation_id}")).into_response()
}

fn not_done(base: &str, error: &AppError) -> Response {
    let status = match error {
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Invalid(_) => StatusCode::BAD_REQUEST,
        _ => StatusCode::SERVICE_UNAVAILABLE,
    };
    error_page::page(base, status, "Nothing was done", &error.to_string())
}
