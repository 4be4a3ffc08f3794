//! The session the server's middleware resolved for this request.

use std::sync::Arc;

use custodian_core::store::SessionRecord;
use http::request::Parts;
use leptos::prelude::*;

use crate::api::{AppError, SessionSummary};

/// Put into every request's extensions by the server before routing, so a
/// page render and its server functions read the store once.
#[derive(Clone, Default)]
pub enum CurrentSession {
    SignedIn(Arc<SessionRecord>),
    #[default]
    SignedOut,
    /// The store could not be asked. The browser keeps its cookie, so the
    /// next request can succeed; this one is neither signed in nor out.
    Unknown,
}

impl CurrentSession {
    /// The session, when it is known to be live.
    pub fn signed_in(self) -> Option<Arc<SessionRecord>> {
        match self {
            Self::SignedIn(session) => Some(session),
            Self::SignedOut | Self::Unknown => None,
        }
    }
}

/// What the page and the chat say while the store cannot be asked.
const SESSION_UNKNOWN_MESSAGE: &str = "Custodian could not check your sign-in just now. You are still signed in: try again in a moment.";

/// The error for a request whose session the store could not check.
pub(super) fn unknown() -> AppError {
    AppError::Unavailable(SESSION_UNKNOWN_MESSAGE.into())
}

/// The signed-in session, if any; `Unavailable` when the store could not
/// say, so nothing treats a store failure as a sign-out.
pub async fn current_session() -> Result<Option<Arc<SessionRecord>>, AppError> {
    // Borrowed, not `use_context`: that would clone the request's headers
    // and extensions on every call.
    let current =
        with_context::<Parts, _>(|parts| parts.extensions.get::<CurrentSession>().cloned())
            .ok_or_else(|| {
                tracing::error!("request parts missing from the context");
                AppError::Internal
            })?;
    match current {
        Some(CurrentSession::SignedIn(session)) => Ok(Some(session)),
        Some(CurrentSession::Unknown) => Err(unknown()),
        Some(CurrentSession::SignedOut) | None => Ok(None),
    }
}

/// The signed-in session, or `SignedOut`.
pub async fn require_session() -> Result<Arc<SessionRecord>, AppError> {
    current_session().await?.ok_or(AppError::SignedOut)
}

/// How the session panel lists `session`; `current` when it is the one
/// asking.
pub fn session_summary(session: &SessionRecord, current: bool) -> SessionSummary {
    let device = if session.device.is_empty() {
        custodian_core::session::UNKNOWN_DEVICE.to_owned()
    } else {
        session.device.clone()
    };
    SessionSummary {
        handle: custodian_core::session::handle(session),
        device,
        signed_in_at: session.created_at,
        signed_in_label: super::utc_label(session.created_at),
        last_seen_at: session.last_seen_at,
        last_seen_label: super::utc_label(session.last_seen_at),
        current,
    }
}
