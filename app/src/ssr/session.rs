//! The session the server's middleware resolved for this request.

use std::sync::Arc;

use custodian_core::store::SessionRecord;
use http::request::Parts;
use leptos::prelude::*;

use crate::api::AppError;

/// Put into every request's extensions by the server before routing, so a
/// page render and its server functions read the store once.
#[derive(Clone, Default)]
pub struct CurrentSession(pub Option<Arc<SessionRecord>>);

/// The signed-in session, if any.
pub async fn current_session() -> Result<Option<Arc<SessionRecord>>, AppError> {
    let parts = use_context::<Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from the context");
        AppError::Internal
    })?;
    Ok(parts
        .extensions
        .get::<CurrentSession>()
        .and_then(|current| current.0.clone()))
}

/// The signed-in session, or `SignedOut`.
pub async fn require_session() -> Result<Arc<SessionRecord>, AppError> {
    current_session().await?.ok_or(AppError::SignedOut)
}
