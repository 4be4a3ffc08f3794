//! What can go wrong with the My Account API, in words for the user. Auth0
//! answers errors as `{type, title, detail, status}` (the SDKs'
//! `MyAccountApiError`); only the status and the short title are kept: the
//! detail may echo request values.

use reqwest::Response;
use serde::Deserialize;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MyAccountError {
    #[error("your session has no refresh token; sign out and sign in again")]
    NoRefreshToken,
    #[error("Auth0 could not be reached; try again in a moment")]
    Unreachable,
    /// The refresh-token exchange for the My Account audience was refused.
    #[error(
        "Auth0 did not let Custodian manage your connected accounts ({0}); the My Account API \
         may not be activated or allowed for Custodian"
    )]
    TokenRefused(String),
    #[error("Auth0 refused the request ({status} {title})")]
    Refused { status: u16, title: String },
    /// The connect request was unknown, used or expired at Auth0.
    #[error("the connection request has expired or was already used; start again")]
    Expired,
    #[error("Custodian could not read Auth0's answer")]
    Unreadable,
}

#[derive(Deserialize)]
struct Problem {
    title: Option<String>,
}

#[derive(Deserialize)]
struct OAuthError {
    error: String,
}

/// A refused My Account call.
pub async fn refused(response: Response) -> MyAccountError {
    let status = response.status();
    if status.is_server_error() {
        return MyAccountError::Unreachable;
    }
    if status == reqwest::StatusCode::NOT_FOUND {
        // "Invalid or expired session" at /complete; a missing account at DELETE.
        return MyAccountError::Expired;
    }
    let title = response
        .json::<Problem>()
        .await
        .ok()
        .and_then(|p| p.title)
        .unwrap_or_else(|| "no reason given".into());
    MyAccountError::Refused {
        status: status.as_u16(),
        title: printable(&title),
    }
}

/// A refused token request: the OAuth error code only.
pub async fn token_refused(response: Response) -> MyAccountError {
    if response.status().is_server_error() {
        return MyAccountError::Unreachable;
    }
    let code = response
        .json::<OAuthError>()
        .await
        .map(|e| e.error)
        .unwrap_or_else(|_| "no reason given".into());
    MyAccountError::TokenRefused(printable(&code))
}

fn printable(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ' ' | '-'))
        .take(64)
        .collect()
}
