//! Every way a sign-in can fail, and the one place that logs it and picks
//! the page the browser sees. Pages say what happened and whose fault it
//! is; details go to the log only, and never a token.

use axum::response::{IntoResponse, Response};
use custodian_core::auth0::LoginError;
use custodian_core::limits::Refusal;
use http::{HeaderValue, StatusCode};

use crate::error_page;

#[derive(Debug)]
pub enum SignInError {
    /// `/login` could not reach the sign-in service.
    ProviderUnavailable(LoginError),
    /// Too many sign-ins started from this client's address lately.
    Throttled(Refusal),
    StoreUnavailable(String),
    /// The provider sent the browser back with `error=…`.
    ProviderEnded(String),
    IncompleteCallback,
    StateMismatch,
    UnknownAttempt,
    UnsealableAttempt,
    Login(LoginError),
}

/// The error together with the path Custodian is served under, which the
/// page's links need.
pub struct SignInFailure {
    pub base: String,
    pub error: SignInError,
}

impl SignInFailure {
    /// Records the failed sign-in in the audit log (a throttled one was
    /// recorded by the limit). Who tried is unknown until a sign-in
    /// succeeds.
    pub async fn audited(self, audit: &custodian_core::audit::AuditLog) -> Self {
        if let Some(reason) = self.error.audit_reason() {
            audit
                .record("auth.sign_in", "unknown", "custodian", reason)
                .await;
        }
        self
    }
}

impl SignInError {
    pub fn at(self, base: &str) -> SignInFailure {
        SignInFailure {
            base: base.to_owned(),
            error: self,
        }
    }

    fn log(&self) {
        match self {
            Self::ProviderUnavailable(error) => {
                tracing::warn!(error = %error, "could not start a sign-in")
            }
            Self::Throttled(refusal) => {
                tracing::info!(retry_after = refusal.retry_after, "sign-in start throttled")
            }
            Self::StoreUnavailable(error) => {
                tracing::error!(error = %error, "the store failed during sign-in")
            }
            Self::ProviderEnded(code) => {
                tracing::info!(error = %code, "the identity provider ended the sign-in")
            }
            Self::IncompleteCallback => tracing::info!("incomplete sign-in callback"),
            Self::StateMismatch => {
                tracing::warn!("sign-in callback state does not match this browser's attempt")
            }
            Self::UnknownAttempt => {
                tracing::warn!("sign-in callback for an unknown, used or expired attempt")
            }
            Self::UnsealableAttempt => tracing::warn!("sign-in attempt failed to unseal"),
            Self::Login(LoginError::Unreadable) => {
                tracing::error!("sign-in failed: the token response could not be read")
            }
            Self::Login(error) => tracing::warn!(error = %error, "sign-in refused"),
        }
    }

    /// The short reason the audit trail records; never a token or code.
    /// A throttled start is recorded where the limit refused it.
    fn audit_reason(&self) -> Option<&'static str> {
        Some(match self {
            Self::Throttled(_) => return None,
            Self::ProviderUnavailable(_) => "provider-unavailable",
            Self::StoreUnavailable(_) => "store-unavailable",
            Self::ProviderEnded(_) => "ended-by-provider",
            Self::IncompleteCallback => "incomplete-callback",
            Self::StateMismatch => "state-mismatch",
            Self::UnknownAttempt => "unknown-attempt",
            Self::UnsealableAttempt => "unsealable-attempt",
            Self::Login(LoginError::Unreachable) => "provider-unreachable",
            Self::Login(LoginError::Unreadable) => "unreadable-token-response",
            Self::Login(_) => "id-token-refused",
        })
    }

    fn page(&self) -> (StatusCode, &'static str, String) {
        const FAILED: &str = "Sign-in failed";
        const STORE: &str = "Custodian's storage is unavailable right now. Try again in a moment.";
        match self {
            Self::ProviderUnavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Sign-in is unavailable",
                "The sign-in service could not be reached. Try again in a moment.".into(),
            ),
            Self::Throttled(refusal) => (
                StatusCode::TOO_MANY_REQUESTS,
                "Too many sign-ins",
                refusal.message.clone(),
            ),
            Self::StoreUnavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, FAILED, STORE.into()),
            Self::ProviderEnded(_) => (
                StatusCode::UNAUTHORIZED,
                FAILED,
                "The sign-in was cancelled or refused by the identity provider.".into(),
            ),
            Self::IncompleteCallback => (
                StatusCode::BAD_REQUEST,
                FAILED,
                "This sign-in link is incomplete or was opened in another browser. Start again."
                    .into(),
            ),
            Self::StateMismatch => (
                StatusCode::BAD_REQUEST,
                FAILED,
                "This sign-in link does not belong to this browser's sign-in. Start again.".into(),
            ),
            Self::UnknownAttempt => (
                StatusCode::BAD_REQUEST,
                FAILED,
                "This sign-in link was already used or has expired. Start again.".into(),
            ),
            Self::UnsealableAttempt => (
                StatusCode::BAD_REQUEST,
                FAILED,
                "This sign-in attempt could not be verified. Start again.".into(),
            ),
            Self::Login(error) => login_page(error),
        }
    }
}

fn login_page(error: &LoginError) -> (StatusCode, &'static str, String) {
    match error {
        LoginError::Unreachable => (
            StatusCode::BAD_GATEWAY,
            "Sign-in failed",
            "The sign-in service could not be reached to finish the sign-in. Try again in a moment."
                .into(),
        ),
        LoginError::Unreadable => (
            StatusCode::BAD_GATEWAY,
            "Sign-in failed",
            "Custodian could not read the sign-in service's answer. This is a fault in \
             Custodian, not in your account; it has been logged for the operators."
                .into(),
        ),
        refused => (
            StatusCode::UNAUTHORIZED,
            "Sign-in failed",
            format!("Custodian refused the sign-in because {refused}."),
        ),
    }
}

impl IntoResponse for SignInFailure {
    fn into_response(self) -> Response {
        self.error.log();
        let (status, title, message) = self.error.page();
        let mut response = error_page::page(&self.base, status, title, &message);
        // RFC 9110 §10.2.3: seconds after which the client may try again.
        if let SignInError::Throttled(refusal) = &self.error {
            response.headers_mut().insert(
                http::header::RETRY_AFTER,
                HeaderValue::from(refusal.retry_after),
            );
        }
        response
    }
}
