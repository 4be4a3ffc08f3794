//! What can go wrong talking to Okta, in words an administrator can act on,
//! and how Okta's error object (`{errorCode, errorSummary, errorCauses}`,
//! Okta API "Error response") maps onto it.

use reqwest::StatusCode;
use serde::Deserialize;

/// Longest `errorSummary` text passed on from Okta.
const MAX_SUMMARY: usize = 300;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OktaError {
    #[error("Okta has no user {0}")]
    NoSuchUser(String),
    #[error("Okta did not accept your access token")]
    Unauthorized,
    #[error("Okta refused: your Okta account lacks the permission for this")]
    Forbidden,
    /// E0000038: the user's lifecycle status forbids the operation.
    #[error("{}", not_allowed_text(.login, .status.as_deref()))]
    NotAllowedInStatus {
        login: String,
        /// Okta's status name (e.g. `SUSPENDED`), when it could be read.
        status: Option<String>,
    },
    /// A 400 (or other refusal) with Okta's own summary of why.
    #[error("Okta refused the request: {0}")]
    Rejected(String),
    #[error("Okta is rate-limiting, try again in {0} s")]
    RateLimited(i64),
    #[error("Okta is unreachable right now")]
    Unavailable,
    /// The request went out but no answer came (a timeout, a connection
    /// cut mid-answer): Okta may or may not have acted on it.
    #[error("Okta did not answer in time")]
    NoAnswer,
    /// Okta answered something Custodian could not read: our failure to
    /// report, not Okta's refusal.
    #[error("Custodian could not read Okta's answer")]
    Unreadable,
    #[error("Okta listed more groups for {0} than Custodian reads (over {1})")]
    TooManyGroups(String, usize),
    /// No usable Okta token could be had from Token Vault.
    #[error("{0}")]
    TokenUnavailable(String),
    /// Token Vault holds no Okta tokens for the administrator: their Okta
    /// account is not connected (the My Account API's Connected Accounts).
    #[error("your Okta account is not connected to Custodian yet")]
    NotConnected,
}

fn not_allowed_text(login: &str, status: Option<&str>) -> String {
    let (state, remedy) = match status {
        Some("SUSPENDED") => (
            "is suspended",
            "; an Okta administrator must unsuspend it first",
        ),
        Some("DEPROVISIONED") => (
            "is deactivated",
            "; an Okta administrator must reactivate it first",
        ),
        Some("STAGED" | "PROVISIONED") => ("is not activated yet", ""),
        Some("LOCKED_OUT") => ("is locked out", ""),
        _ => ("is in a status that does not allow it", ""),
    };
    format!("Okta does not allow this for {login}: the account {state}{remedy}")
}

/// Okta's error object; every field is optional so that an unexpected body
/// still yields the status-based error.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub error_code: Option<String>,
    pub error_summary: Option<String>,
    #[serde(default)]
    pub error_causes: Vec<ErrorCause>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorCause {
    pub error_summary: Option<String>,
}

/// The error for a non-success, non-429 answer about `login`. `secret` is
/// the token the request carried: any summary that echoes it is dropped.
pub fn classify(status: StatusCode, body: &ErrorBody, login: &str, secret: &str) -> OktaError {
    match (status, body.error_code.as_deref()) {
        (StatusCode::NOT_FOUND, _) => OktaError::NoSuchUser(login.to_owned()),
        (StatusCode::UNAUTHORIZED, _) => OktaError::Unauthorized,
        (StatusCode::FORBIDDEN, Some("E0000038")) => OktaError::NotAllowedInStatus {
            login: login.to_owned(),
            status: None,
        },
        (StatusCode::FORBIDDEN, _) => OktaError::Forbidden,
        (status, _) if status.is_client_error() => match summary(body, secret) {
            Some(text) => OktaError::Rejected(text),
            None => OktaError::Rejected(format!("HTTP {}", status.as_u16())),
        },
        _ => OktaError::Unavailable,
    }
}

/// `errorSummary` and each cause's, joined, printable and bounded.
fn summary(body: &ErrorBody, secret: &str) -> Option<String> {
    let causes = body
        .error_causes
        .iter()
        .filter_map(|c| c.error_summary.as_deref());
    let parts: Vec<&str> = body
        .error_summary
        .as_deref()
        .into_iter()
        .chain(causes)
        .collect();
    let text: String = parts
        .join(": ")
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_SUMMARY)
        .collect();
    let text = text.trim().to_owned();
    (!text.is_empty() && (secret.is_empty() || !text.contains(secret))).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: &str) -> ErrorBody {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn okta_error_objects_become_readable_errors() {
        let validation = body(
            r#"{"errorCode":"E0000001","errorSummary":"Api validation failed: parameters",
               "errorLink":"E0000001","errorId":"oae1","errorCauses":[{"errorSummary":"limit: bad"}]}"#,
        );
        assert_eq!(
            classify(
                StatusCode::BAD_REQUEST,
                &validation,
                "bob@example.com",
                "tok"
            ),
            OktaError::Rejected("Api validation failed: parameters: limit: bad".into())
        );
        let status =
            body(r#"{"errorCode":"E0000038","errorSummary":"not allowed","errorCauses":[]}"#);
        let error = classify(StatusCode::FORBIDDEN, &status, "sam@example.com", "tok");
        assert_eq!(
            error,
            OktaError::NotAllowedInStatus {
                login: "sam@example.com".into(),
                status: None
            }
        );
        let forbidden = body(r#"{"errorCode":"E0000006"}"#);
        assert_eq!(
            classify(StatusCode::FORBIDDEN, &forbidden, "x", "tok"),
            OktaError::Forbidden
        );
        assert_eq!(
            classify(StatusCode::BAD_GATEWAY, &ErrorBody::default(), "x", "tok"),
            OktaError::Unavailable
        );
    }

    #[test]
    fn a_summary_that_echoes_the_token_is_dropped() {
        let echo = body(r#"{"errorCode":"E0000001","errorSummary":"bad token s3cret-value"}"#);
        let error = classify(StatusCode::BAD_REQUEST, &echo, "x", "s3cret-value");
        assert_eq!(error, OktaError::Rejected("HTTP 400".into()));
    }

    #[test]
    fn statuses_are_said_in_plain_words() {
        let text = |status: Option<&str>| {
            OktaError::NotAllowedInStatus {
                login: "sam@example.com".into(),
                status: status.map(str::to_owned),
            }
            .to_string()
        };
        assert_eq!(
            text(Some("SUSPENDED")),
            "Okta does not allow this for sam@example.com: the account is suspended; \
             an Okta administrator must unsuspend it first"
        );
        assert!(text(Some("DEPROVISIONED")).contains("is deactivated"));
        assert!(text(None).contains("does not allow it"));
    }
}
