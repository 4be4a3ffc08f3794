//! `POST /messages`: the composer before the page is live. Until the
//! WebAssembly has loaded (or when scripts are off) the composer is a plain
//! form, so a message sent early is not lost: the turn runs to its end
//! here, then the browser is sent to the conversation, where the reply is
//! stored. Once the page is live, the composer streams instead.

use std::pin::pin;

use app::api::{AppError, ChatEvent, checked_message};
use app::ssr::{AppState, CurrentSession};
use axum::Extension;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use futures::StreamExt;
use http::StatusCode;
use serde::Deserialize;

use crate::error_page;

#[derive(Deserialize)]
pub struct ComposerForm {
    #[serde(default)]
    text: String,
    /// A suggestion button's message, which is sent instead of the text.
    #[serde(default)]
    suggestion: Option<String>,
    /// The open conversation; empty or absent for a new one.
    #[serde(default)]
    conversation_id: Option<String>,
}

pub async fn send(
    State(state): State<AppState>,
    Extension(current): Extension<CurrentSession>,
    Form(form): Form<ComposerForm>,
) -> Response {
    let base = state.settings.app.path_prefix().to_owned();
    let session =
        match current {
            CurrentSession::SignedIn(session) => session,
            CurrentSession::SignedOut => return Redirect::to(&format!("{base}/")).into_response(),
            CurrentSession::Unknown => return not_sent(
                &base,
                &AppError::Unavailable(
                    "Custodian could not check your sign-in just now. Go back and send it again."
                        .into(),
                ),
            ),
        };
    let typed = form.suggestion.unwrap_or(form.text);
    let text = match checked_message(&typed) {
        Ok(text) => text,
        Err(error) => return not_sent(&base, &error),
    };
    let open = form.conversation_id.filter(|id| !id.is_empty());
    let events = match app::ssr::chat::reply(state, session, open, text).await {
        Ok(events) => events,
        Err(error) => return not_sent(&base, &error),
    };
    match conversation_of(events).await {
        Some(id) => Redirect::to(&format!("{base}/c/{id}")).into_response(),
        None => not_sent(&base, &AppError::Internal),
    }
}

/// Follows the turn to its end; the conversation it was stored in.
async fn conversation_of(events: impl futures::Stream<Item = ChatEvent>) -> Option<String> {
    let mut events = pin!(events);
    let mut conversation = None;
    while let Some(event) = events.next().await {
        if let ChatEvent::Started {
            conversation_id, ..
        } = event
        {
            conversation = Some(conversation_id);
        }
    }
    conversation
}

fn not_sent(base: &str, error: &AppError) -> Response {
    let status = match error {
        AppError::Invalid(_) => StatusCode::BAD_REQUEST,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::SignedOut => StatusCode::UNAUTHORIZED,
        AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    };
    error_page::page(
        base,
        status,
        "Your message was not sent",
        &error.to_string(),
    )
}
