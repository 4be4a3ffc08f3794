//! The page's forms change state (answer, enrol, sign out), so only the page
//! itself may send them: a cross-site post is refused before any handler runs.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;

use super::refused;
use crate::web::same_origin::is_same_origin;

/// Proof that the request came from the Guardian page's own origin.
pub struct FromThisPage;

impl<S: Send + Sync> FromRequestParts<S> for FromThisPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        if is_same_origin(&parts.headers) {
            return Ok(Self);
        }
        tracing::info!(path = parts.uri.path(), "cross-site Guardian form refused");
        Err(refused(
            StatusCode::FORBIDDEN,
            "This form may only be sent from the approval page.",
        ))
    }
}
