//! Where the signed-in user is signed in: their live sessions, and
//! signing out the others.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;
use super::json::BrowserJson;

/// One of the user's sessions as the session panel lists it. `handle`
/// names it for `sign_out_session`; it is not the session's id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub handle: String,
    pub device: String,
    /// Unix seconds, and the same instants for people (UTC).
    pub signed_in_at: i64,
    pub signed_in_label: String,
    pub last_seen_at: i64,
    pub last_seen_label: String,
    /// The session this page belongs to.
    pub current: bool,
}

/// The user's live sessions, this one first, then most recently seen.
#[server(prefix = "/api", endpoint = "list_sessions", output = BrowserJson)]
pub async fn list_sessions() -> Result<Vec<SessionSummary>, AppError> {
    let current = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    let sessions = state
        .sessions
        .of_user(&current)
        .await
        .map_err(crate::ssr::store_error)?;
    let mut summaries: Vec<SessionSummary> = sessions
        .iter()
        .map(|session| crate::ssr::session_summary(session, session.id == current.id))
        .collect();
    summaries.sort_by_key(|summary| !summary.current);
    Ok(summaries)
}

/// Ends every other session of the user; returns how many ended.
#[server(prefix = "/api", endpoint = "sign_out_other_sessions", output = BrowserJson)]
pub async fn sign_out_other_sessions() -> Result<usize, AppError> {
    let current = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    state
        .sessions
        .end_others(&current, &state.audit)
        .await
        .map_err(crate::ssr::store_error)
}

/// Ends one other session of the user, named by its handle. One that has
/// ended already is not an error: the list was only out of date.
#[server(prefix = "/api", endpoint = "sign_out_session", output = BrowserJson)]
pub async fn sign_out_session(handle: String) -> Result<(), AppError> {
    let current = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    state
        .sessions
        .end_by_handle(&current, &handle, &state.audit)
        .await
        .map_err(crate::ssr::store_error)?;
    Ok(())
}
