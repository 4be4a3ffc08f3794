//! The part of Auth0's Management API v2 Custodian uses: finding a user's
//! Auth0 id from their email (`GET /api/v2/users-by-email`), with the
//! client-credentials JWTs that call it.
//!
//! The API's identifier (the token `audience`) is the tenant's base URL with
//! `/api/v2/`, trailing slash included: `https://{domain}/api/v2/`
//! (https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens).

pub mod access_token;
mod error;
mod users_by_email;

pub use users_by_email::users_by_email;

/// The scopes the sandbox application's client grant on the Management API
/// allows: it may read users and nothing else.
pub const GRANTED_SCOPES: &[&str] = &["read:users"];

/// Management API tokens live 24 hours by default (Auth0, "Management API
/// Access Tokens": "A Management API token is valid for 24 hours").
pub const TOKEN_LIFETIME_SECS: i64 = 86_400;
