//! Client-Initiated Backchannel Authentication: ask the administrator to
//! approve an action on their phone, then poll for the answer. Nothing here
//! waits for a human; each call is one short request.

use std::time::Duration;

use rand::Rng;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;

use super::approval_details::{ApprovalDetails, ApprovalDetailsError};
use crate::outbound::CallCounter;
use crate::settings::Auth0Settings;

const TIMEOUT: Duration = Duration::from_secs(5);
const GRANT_TYPE: &str = "urn:openid:params:grant-type:ciba";
/// Letters and digits that cannot be mistaken for one another.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CibaError {
    #[error("Auth0 is unreachable, so no approval request was sent")]
    Unreachable,
    #[error("Auth0 refused to send the approval request ({0})")]
    Refused(String),
    #[error("the approval message is not valid: {0}")]
    InvalidBindingMessage(&'static str),
    #[error("the approval request cannot show what is approved: {0}")]
    InvalidApprovalDetails(#[from] ApprovalDetailsError),
    /// The approver has no device enrolled for Guardian push; see
    /// [`no_enrolled_device`]. `confirmed` when Auth0's description says so,
    /// not only its error code.
    #[error("{}", not_enrolled_text(*confirmed))]
    NotEnrolled { confirmed: bool },
}

/// A started request. `auth_req_id` is a bearer secret: keep it sealed.
pub struct CibaRequest {
    pub auth_req_id: SecretString,
    pub expires_in: i64,
    pub interval: i64,
}

/// One poll's answer.
#[derive(Debug)]
pub enum CibaPoll {
    Pending,
    SlowDown,
    Approved {
        id_token: SecretString,
    },
    Denied,
    Expired,
    /// The request is unknown or was already used (`invalid_grant`): final.
    Invalid,
    /// Auth0 did not answer (network error, 5xx); the request is still
    /// valid, poll again later.
    Unreachable,
    /// Auth0's rate limit (a 429 other than `slow_down`): poll again later,
    /// not before `retry_after_seconds` when Auth0 said.
    RateLimited {
        retry_after_seconds: Option<i64>,
    },
    /// An answer that is neither a token nor an error code CIBA defines:
    /// no verdict on the request, so poll again later. `answer` is safe to
    /// show (a filtered error code or Custodian's own words).
    Unrecognised {
        answer: String,
    },
    /// The approver has no device to approve on: final.
    NotEnrolled {
        confirmed: bool,
    },
}

pub struct CibaClient {
    http: reqwest::Client,
    settings: Auth0Settings,
    calls: CallCounter,
}

#[derive(Deserialize)]
struct StartResponse {
    auth_req_id: String,
    expires_in: i64,
    interval: Option<i64>,
}

#[derive(Deserialize)]
struct TokenResponse {
    id_token: Option<String>,
}

#[derive(Deserialize)]
struct ErrorResponse {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// An OAuth refusal. The code is a fixed vocabulary, safe to show; the
/// description is the vendor's free text, only ever matched, never shown.
struct Refusal {
    code: String,
    description: String,
}

/// A fresh binding code like `K7F-2QX`, shown both in the chat and on the
/// phone so the administrator can tell the requests apart.
pub fn binding_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let mut pick = || CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char;
    let first: String = (0..3).map(|_| pick()).collect();
    let second: String = (0..3).map(|_| pick()).collect();
    format!("{first}-{second}")
}

/// The message the phone shows. Only Custodian's own words and the code:
/// user-supplied text never goes in.
pub fn binding_message(code: &str) -> Result<String, CibaError> {
    checked_message(format!("Custodian password reset, code {code}"))
}

/// The message an approver's phone shows for an access request.
pub fn access_binding_message(code: &str) -> Result<String, CibaError> {
    checked_message(format!("Custodian access request, code {code}"))
}

fn checked_message(message: String) -> Result<String, CibaError> {
    validate_binding_message(&message)?;
    Ok(message)
}

/// Auth0's rules: at most 64 characters of `A-Za-z0-9 +-_.,:#`.
pub fn validate_binding_message(message: &str) -> Result<(), CibaError> {
    if message.is_empty() || message.chars().count() > 64 {
        return Err(CibaError::InvalidBindingMessage(
            "it must be 1 to 64 characters",
        ));
    }
    if !message
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " +-_.,:#".contains(c))
    {
        return Err(CibaError::InvalidBindingMessage(
            "it may only contain letters, digits, spaces and + - _ . , : #",
        ));
    }
    Ok(())
}

impl CibaClient {
    pub fn new(settings: &Auth0Settings, calls: CallCounter) -> Self {
        if settings.audience.is_none() {
            tracing::warn!(
                "auth0.audience is not set: approval requests show the phone only their binding \
                 message, since Auth0 checks authorization_details types against an API"
            );
        }
        Self {
            http: crate::outbound::client(TIMEOUT),
            settings: settings.clone(),
            calls,
        }
    }

    /// Where approvers enrol a phone, if the settings name a page.
    pub fn enrolment_url(&self) -> Option<&url::Url> {
        self.settings.guardian_enrollment_url.as_ref()
    }

    fn endpoint(&self, path: &str) -> url::Url {
        self.settings
            .issuer()
            .join(path)
            .expect("the issuer is a base URL")
    }

    /// Sends the approval request to the user `sub`'s phone, with `details`
    /// for it to show when an API audience is configured.
    pub async fn start(
        &self,
        sub: &str,
        binding_message: &str,
        requested_expiry: u32,
        details: &ApprovalDetails,
    ) -> Result<CibaRequest, CibaError> {
        validate_binding_message(binding_message)?;
        let login_hint = json!({
            "format": "iss_sub",
            "iss": self.settings.issuer().as_str(),
            "sub": sub,
        })
        .to_string();
        let requested_expiry = requested_expiry.min(300).to_string();
        let mut form = vec![
            ("client_id", self.settings.client_id.as_str()),
            ("client_secret", self.settings.client_secret.expose_secret()),
            ("scope", "openid"),
            ("login_hint", &login_hint),
            ("binding_message", binding_message),
            ("requested_expiry", &requested_expiry),
        ];
        form.extend(rich_authorization(
            self.settings.audience.as_deref(),
            details,
        ));
        self.calls.record();
        let response = self
            .http
            .post(self.endpoint("bc-authorize"))
            .form(&form)
            .send()
            .await
            .map_err(|_| CibaError::Unreachable)?;
        if response.status().is_server_error() {
            return Err(CibaError::Unreachable);
        }
        if !response.status().is_success() {
            let refusal = refusal(response).await;
            if let Some(confirmed) = no_enrolled_device(&refusal) {
                return Err(CibaError::NotEnrolled { confirmed });
            }
            return Err(CibaError::Refused(refusal.code));
        }
        let body: StartResponse = response.json().await.map_err(|_| CibaError::Unreachable)?;
        Ok(CibaRequest {
            auth_req_id: SecretString::from(body.auth_req_id),
            expires_in: body.expires_in,
            interval: body.interval.unwrap_or(5).max(1),
        })
    }

    /// Asks once whether the request was answered.
    pub async fn poll(&self, auth_req_id: &SecretString) -> CibaPoll {
        self.calls.record();
        let response = self
            .http
            .post(self.endpoint("oauth/token"))
            .form(&[
                ("grant_type", GRANT_TYPE),
                ("auth_req_id", auth_req_id.expose_secret()),
                ("client_id", self.settings.client_id.as_str()),
                ("client_secret", self.settings.client_secret.expose_secret()),
            ])
            .send()
            .await;
        let Ok(response) = response else {
            return CibaPoll::Unreachable;
        };
        let status = response.status();
        if status.is_server_error() {
            return CibaPoll::Unreachable;
        }
        if status.is_success() {
            return match response.json::<TokenResponse>().await {
                Ok(TokenResponse {
                    id_token: Some(id_token),
                }) => CibaPoll::Approved {
                    id_token: SecretString::from(id_token),
                },
                _ => CibaPoll::Unrecognised {
                    answer: "a token response without a readable ID token".into(),
                },
            };
        }
        let retry_after_seconds = rate_limit_wait(response.headers());
        let refusal = refusal(response).await;
        if let Some(confirmed) = no_enrolled_device(&refusal) {
            return CibaPoll::NotEnrolled { confirmed };
        }
        poll_answer(status, refusal.code, retry_after_seconds)
    }
}

/// The `audience` and `authorization_details` fields, or none. Auth0 checks
/// each object's `type` against the types registered on the API the request
/// names ("Configure Rich Authorization Requests (RAR)"; "User Authorization
/// with CIBA", limitations), so without an audience there is nothing to
/// register them on and the details stay home.
fn rich_authorization<'a>(
    audience: Option<&'a str>,
    details: &'a ApprovalDetails,
) -> Vec<(&'static str, &'a str)> {
    match audience {
        Some(audience) => vec![
            ("audience", audience),
            ("authorization_details", details.as_str()),
        ],
        None => Vec::new(),
    }
}

/// A refused poll by its error code (CIBA Core §11, RFC 6749 §5.2). Only
/// the codes that settle the request end it; a rate limit or a code CIBA
/// does not define leaves it to be asked again.
fn poll_answer(
    status: reqwest::StatusCode,
    code: String,
    retry_after_seconds: Option<i64>,
) -> CibaPoll {
    match code.as_str() {
        "authorization_pending" => CibaPoll::Pending,
        "slow_down" => CibaPoll::SlowDown,
        "access_denied" => CibaPoll::Denied,
        "expired_token" => CibaPoll::Expired,
        "invalid_grant" => CibaPoll::Invalid,
        _ if status == reqwest::StatusCode::TOO_MANY_REQUESTS => CibaPoll::RateLimited {
            retry_after_seconds,
        },
        _ => CibaPoll::Unrecognised { answer: code },
    }
}

/// Seconds Auth0 asks a rate-limited client to wait: `Retry-After`, or
/// else `X-RateLimit-Reset` (Unix seconds, Auth0's rate-limit headers).
fn rate_limit_wait(headers: &reqwest::header::HeaderMap) -> Option<i64> {
    let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<i64>().ok();
    let wait = number("retry-after")
        .or_else(|| number("x-ratelimit-reset").map(|reset| reset - crate::time::now_unix()))?;
    Some(wait.max(0))
}

async fn refusal(response: reqwest::Response) -> Refusal {
    let (code, description) = match response.json::<ErrorResponse>().await {
        Ok(body) => (body.error, body.error_description.unwrap_or_default()),
        Err(_) => ("no reason given".into(), String::new()),
    };
    Refusal {
        code: code
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ' ')
            .take(40)
            .collect(),
        description: description.to_lowercase(),
    }
}

/// Whether a refusal means the approver has no device enrolled for
/// Guardian push, and if so whether the description confirms it.
///
/// Auth0 documents that the authorizing user must be enrolled ("User
/// Authentication with CIBA", prerequisites) but not how `/bc-authorize` or
/// the poll answer when they are not. Auth0's own SDKs read `invalid_request`
/// as exactly this (auth0-ai-js `CIBAAuthorizerBase`, auth0-ai-python
/// `UserDoesNotHavePushNotificationsInterrupt`, on both calls). Custodian
/// checks its own parameters before sending, so a remaining
/// `invalid_request` is most likely this; a description that speaks of
/// enrolment or push makes it certain, whatever the code.
fn no_enrolled_device(refusal: &Refusal) -> Option<bool> {
    let about_enrolment = ["enrol", "enroll"]
        .iter()
        .any(|word| refusal.description.contains(word))
        && [
            "push",
            "guardian",
            "mfa",
            "device",
            "factor",
            "authenticator",
        ]
        .iter()
        .any(|word| refusal.description.contains(word));
    let about_push = refusal.description.contains("push notification");
    if about_enrolment || (refusal.code == "invalid_request" && about_push) {
        return Some(true);
    }
    (refusal.code == "invalid_request").then_some(false)
}

fn not_enrolled_text(confirmed: bool) -> &'static str {
    if confirmed {
        "Auth0 could not send the approval request: your account has no phone enrolled for Auth0 Guardian push notifications"
    } else {
        "Auth0 refused to send the approval request (invalid_request), most likely because your account has no phone enrolled for Auth0 Guardian push notifications"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_fresh_and_readable() {
        let a = binding_code();
        assert_eq!(a.len(), 7);
        assert_eq!(&a[3..4], "-");
        assert!(
            a.chars()
                .filter(|c| *c != '-')
                .all(|c| CODE_ALPHABET.contains(&(c as u8)))
        );
        assert_ne!(binding_code(), binding_code());
    }

    fn refused(code: &str, description: &str) -> Refusal {
        Refusal {
            code: code.into(),
            description: description.to_lowercase(),
        }
    }

    #[test]
    fn a_missing_push_enrolment_is_recognised_by_code_and_description() {
        let cases = [
            (
                "invalid_request",
                "User does not have push notifications enabled",
                Some(true),
            ),
            ("invalid_request", "", Some(false)),
            (
                "invalid_request",
                "binding_message is too long",
                Some(false),
            ),
            (
                "access_denied",
                "The user is not enrolled in Guardian MFA",
                Some(true),
            ),
            ("access_denied", "The user denied the request", None),
            ("authorization_pending", "", None),
            ("unauthorized_client", "Grant type not allowed", None),
            ("expired_token", "enrolment of the request expired", None),
        ];
        for (code, description, expected) in cases {
            assert_eq!(
                no_enrolled_device(&refused(code, description)),
                expected,
                "{code}: {description}"
            );
        }
    }

    #[test]
    fn only_settling_codes_end_a_request() {
        use reqwest::StatusCode;
        let answer = |status, code: &str| poll_answer(status, code.into(), Some(3));
        let bad = StatusCode::BAD_REQUEST;
        assert!(matches!(answer(bad, "access_denied"), CibaPoll::Denied));
        assert!(matches!(answer(bad, "expired_token"), CibaPoll::Expired));
        assert!(matches!(
            answer(StatusCode::FORBIDDEN, "invalid_grant"),
            CibaPoll::Invalid
        ));
        assert!(matches!(
            answer(StatusCode::TOO_MANY_REQUESTS, "slow_down"),
            CibaPoll::SlowDown
        ));
        assert!(matches!(
            answer(StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            CibaPoll::RateLimited {
                retry_after_seconds: Some(3)
            }
        ));
        let CibaPoll::Unrecognised { answer } = answer(StatusCode::UNAUTHORIZED, "invalid_client")
        else {
            panic!("an unknown code is no verdict");
        };
        assert_eq!(answer, "invalid_client");
    }

    #[test]
    fn rate_limit_waits_come_from_retry_after_or_the_reset_time() {
        use reqwest::header::{HeaderMap, HeaderValue};
        let mut headers = HeaderMap::new();
        assert_eq!(rate_limit_wait(&headers), None);
        let reset = crate::time::now_unix() + 30;
        headers.insert("x-ratelimit-reset", HeaderValue::from(reset));
        let wait = rate_limit_wait(&headers).unwrap();
        assert!((29..=30).contains(&wait), "{wait}");
        headers.insert("retry-after", HeaderValue::from_static("4"));
        assert_eq!(rate_limit_wait(&headers), Some(4));
        headers.insert("retry-after", HeaderValue::from_static("-4"));
        assert_eq!(rate_limit_wait(&headers), Some(0));
    }

    #[test]
    fn details_go_out_only_with_the_api_audience_they_are_registered_on() {
        use crate::auth0::approval_details::PasswordReset;
        let details = ApprovalDetails::password_reset(&PasswordReset {
            target: "bob@example.com",
            requester: "admin@example.com",
            binding_code: "K7F-2QX",
        })
        .unwrap();
        assert!(rich_authorization(None, &details).is_empty());
        assert_eq!(
            rich_authorization(Some("https://custodian.example/api"), &details),
            [
                ("audience", "https://custodian.example/api"),
                ("authorization_details", details.as_str()),
            ]
        );
    }

    #[test]
    fn binding_messages_follow_auth0_rules() {
        let message = binding_message(&binding_code()).unwrap();
        assert!(message.len() <= 64);
        assert!(validate_binding_message("Reset for bob@example.com?").is_err());
        assert!(validate_binding_message(&"a".repeat(65)).is_err());
        assert!(validate_binding_message("").is_err());
        assert!(validate_binding_message("<script>").is_err());
        assert!(validate_binding_message("Custodian: ok #1, a+b_c.d-e").is_ok());
    }
}
