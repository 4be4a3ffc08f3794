//! Server-only parts of the app: shared state, the current session, and the
//! work behind the server functions.

pub mod chat;
mod markdown;
mod page_data;
mod session;
mod state;
mod step_up;

pub use page_data::{PageData, page_data_json, prefetched};
pub use session::{CurrentSession, current_session, require_session, session_summary};
pub use state::{AppState, Services, provide_request_context, state};
pub use step_up::{step_up_view, timeline};

use custodian_core::store::{Role, StoreError};

use crate::api::{AppError, MessageRole};

/// Store failures are reported without their internals.
pub fn store_error(error: StoreError) -> AppError {
    tracing::error!(error = %error, "store operation failed");
    AppError::Unavailable("Custodian's storage is unavailable right now. Try again.".into())
}

/// An instant for people: "2026-11-30 22:15 UTC". The server renders it so
/// page and hydration agree, whatever the browser's zone.
pub fn utc_label(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

pub fn role_view(role: &Role) -> MessageRole {
    match role {
        Role::User => MessageRole::User,
        Role::Assistant => MessageRole::Assistant,
        Role::Notice => MessageRole::Notice,
    }
}
