//! The AWS stand-ins accept only SigV4-signed requests, as AWS does. The
//! SDK always signs; the signature itself is not checked here.

use axum::http::{HeaderMap, header};

/// Whether the request carries a SigV4 `Authorization` header.
pub fn is_signed(headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("AWS4-HMAC-SHA256"))
}
