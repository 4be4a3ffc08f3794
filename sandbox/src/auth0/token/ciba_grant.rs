//! The CIBA grant (`urn:openid:params:grant-type:ciba`, CIBA Core §10.1):
//! the client polls with its `auth_req_id` until the user answers.

use super::TokenForm;
use super::error::OAuthError;
use super::response::{Grant, TokenResponse, issue};
use crate::auth0::Auth0;
use crate::auth0::ciba::PollOutcome;
use crate::faults::CibaFault;

pub const GRANT_TYPE: &str = "urn:openid:params:grant-type:ciba";

pub async fn exchange(auth0: &Auth0, form: &TokenForm) -> Result<TokenResponse, OAuthError> {
    match auth0.faults.take_ciba() {
        Some(CibaFault::Down) => return Err(OAuthError::temporarily_unavailable()),
        Some(CibaFault::RateLimit { reset_in_seconds }) => {
            return Err(OAuthError::too_many_requests(
                i64::try_from(reset_in_seconds).unwrap_or(i64::MAX),
            ));
        }
        Some(CibaFault::InvalidRequest) => {
            return Err(OAuthError::bad_request("invalid_request", ""));
        }
        None => {}
    }
    let auth_req_id = form
        .auth_req_id
        .as_deref()
        .ok_or_else(|| OAuthError::invalid_request("auth_req_id is required."))?;
    match auth0.store.ciba.poll(auth_req_id, &auth0.config.client_id) {
        // Wording from Auth0's "Back-Channel Login flow - Status Check".
        PollOutcome::Pending => Err(OAuthError::bad_request(
            "authorization_pending",
            "The end-user authorization is pending",
        )),
        PollOutcome::SlowDown { interval_seconds } => Err(OAuthError::slow_down(interval_seconds)),
        PollOutcome::Denied => Err(OAuthError::bad_request(
            "access_denied",
            "The end-user denied the authorization request or it has been expired",
        )),
        // CIBA Core §11's code for a request past its expiry; Auth0 folds
        // expiry into access_denied's description but clients must take both.
        PollOutcome::Expired => Err(OAuthError::bad_request(
            "expired_token",
            "The authorization request has expired.",
        )),
        PollOutcome::Invalid => Err(OAuthError::invalid_grant(
            "Unknown or already used auth_req_id.",
        )),
        PollOutcome::Approved(approval) => {
            tracing::info!(sub = approval.by.sub, "CIBA approval collected");
            let mut tokens = issue(
                auth0,
                Grant {
                    user: approval.by,
                    scope: "openid",
                    nonce: None,
                    auth_time: approval.at,
                    id_token_fault: None,
                    audience: approval.audience.as_deref(),
                },
            )
            .await?;
            // Auth0 returns the granted details with the tokens ("User
            // Authorization with CIBA", step 9).
            tokens.authorization_details = approval.authorization_details;
            Ok(tokens)
        }
    }
}
