//! Every way connecting (or disconnecting) Okta can fail, logged once and
//! shown as a page that says what happened in plain words; never a token,
//! ticket or code.

use axum::response::{IntoResponse, Response};
use custodian_core::auth0::MyAccountError;
use http::StatusCode;

use crate::error_page;

const TITLE: &str = "Okta was not connected";

#[derive(Debug)]
pub enum ConnectError {
    SignedOut,
    StoreUnavailable(String),
    /// Auth0 (or the user) ended the flow with `error=…`.
    Ended(String),
    UnknownAttempt,
    UnsealableAttempt,
    /// The browser came back signed in as someone else, or not at all.
    OtherSession,
    MyAccount(MyAccountError),
}

/// The error with the path Custodian is served under, for the page's links.
pub struct ConnectFailure {
    pub base: String,
    pub error: ConnectError,
}

impl ConnectError {
    pub fn at(self, base: &str) -> ConnectFailure {
        ConnectFailure {
            base: base.to_owned(),
            error: self,
        }
    }

    fn log(&self) {
        match self {
            Self::StoreUnavailable(error) => {
                tracing::error!(error = %error, "the store failed while connecting Okta")
            }
            Self::MyAccount(MyAccountError::Unreadable) => {
                tracing::error!("connecting Okta: Auth0's answer could not be read")
            }
            Self::Ended(code) => {
                tracing::info!(error = %code, "connecting Okta was ended at Auth0")
            }
            other => tracing::warn!(error = ?other, "connecting Okta failed"),
        }
    }

    fn page(&self) -> (StatusCode, String) {
        match self {
            Self::SignedOut => (
                StatusCode::UNAUTHORIZED,
                "You are signed out. Sign in, then connect your Okta account from the chat.".into(),
            ),
            Self::StoreUnavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Custodian's storage is unavailable right now. Try again in a moment.".into(),
            ),
            Self::Ended(_) => (
                StatusCode::UNAUTHORIZED,
                "Connecting your Okta account was cancelled or refused. Nothing was changed; \
                 you can try again from the chat."
                    .into(),
            ),
            Self::UnknownAttempt | Self::UnsealableAttempt => (
                StatusCode::BAD_REQUEST,
                "This link was already used or has expired. Start again from the chat.".into(),
            ),
            Self::OtherSession => (
                StatusCode::BAD_REQUEST,
                "This link belongs to another sign-in. Start again from the chat.".into(),
            ),
            Self::MyAccount(MyAccountError::Unreachable) => (
                StatusCode::BAD_GATEWAY,
                "Auth0 could not be reached. Try again in a moment.".into(),
            ),
            Self::MyAccount(error) => (
                StatusCode::BAD_GATEWAY,
                format!("Your Okta account could not be connected: {error}."),
            ),
        }
    }
}

impl IntoResponse for ConnectFailure {
    fn into_response(self) -> Response {
        self.error.log();
        let (status, message) = self.error.page();
        error_page::page(&self.base, status, TITLE, &message)
    }
}
