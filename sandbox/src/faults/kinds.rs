//! The faults each stand-in can be told to produce.

use serde::{Deserialize, Serialize};

use crate::AgentException;

/// Defects the next ID token from the authorization-code grant can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdTokenFault {
    WrongIssuer,
    WrongAudience,
    WrongNonce,
    /// Signed by a different key that claims the published `kid`.
    BadSignature,
    /// Header `alg` is `none` and the signature is empty.
    AlgNone,
    /// `exp` lies in the past.
    Expired,
    /// `iat` lies ten years ahead, as from a provider with a broken clock.
    FutureIssueTime,
    /// `iat` lies thirty days back while `exp` is still ahead: a replay.
    StaleIssueTime,
    /// `azp` names another application.
    ForeignAuthorizedParty,
    /// `email_verified` is false.
    UnverifiedEmail,
    /// Signed with the published key but with PS256 instead of RS256.
    UnlistedAlgorithm,
    /// `email_verified` is an object: a claim Custodian uses, in a shape
    /// no client can read.
    MalformedClaim,
}

/// Failures of InvokeAgent calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum AgentFault {
    /// The stream's first and only frame is a `throttlingException`.
    Throttle,
    /// The reply starts as usual; after `after_frames` of its frames an
    /// exception frame of this kind ends the stream.
    StreamException {
        exception: AgentException,
        #[serde(default)]
        after_frames: usize,
    },
    /// The HTTP error response of this kind instead of a stream. Each SDK
    /// retry is a new request, so arm it `times` enough to exhaust them.
    HttpError { exception: AgentException },
    /// The reply starts as usual; after `after_frames` of its frames the
    /// stream goes quiet and stays open until the client leaves, as over a
    /// stalled connection.
    Stall {
        #[serde(default)]
        after_frames: usize,
    },
}

/// Failures of the Okta API (every `/okta/api/...` request).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum OktaFault {
    /// 429 with `X-Rate-Limit-Reset` this many seconds from the response.
    RateLimit { reset_in_seconds: u64 },
    /// 401, as for a token Okta no longer accepts.
    Unauthorized,
    /// 503.
    Down,
    /// The next password reset is carried out, but its answer comes after
    /// [`crate::faults::OKTA_SLOW_DELAY`], past Custodian's Okta timeout:
    /// the caller cannot know whether Okta acted. Other requests pass.
    SlowReset,
}

/// Failures of the Token Vault exchange on the IdP's token endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum TokenVaultFault {
    /// 403 `invalid_grant`: Auth0 refuses the refresh token (revoked, say).
    /// A user without a connected account is not a fault: disconnect them.
    Refuse,
    /// 503.
    Down,
}

/// Failures of the FGA API (`/fga/stores/...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum FgaFault {
    /// 503.
    Down,
    /// The answer comes after [`crate::faults::FGA_SLOW_DELAY`], beyond any
    /// sensible client timeout: the wait is the fault.
    Slow,
    /// 200 with a body that is not JSON.
    Garbage,
    /// 429 with `Retry-After` this many seconds and `X-RateLimit-*`.
    RateLimit { retry_after_seconds: u64 },
}

/// Failures of CIBA polls (the CIBA grant on the token endpoint).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum CibaFault {
    /// 503.
    Down,
    /// 429 `too_many_requests`, Auth0's rate limit, its window resetting
    /// this many seconds from the response.
    RateLimit { reset_in_seconds: u64 },
    /// 400 `invalid_request` with no description: what Auth0's SDKs read
    /// on the poll as "the user does not have push notifications"
    /// (auth0-ai-js `CIBAAuthorizerBase`); Auth0 documents no such answer.
    InvalidRequest,
}

/// Failures of the Management API (`/api/v2/...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum ManagementFault {
    /// 429 with `X-RateLimit-Reset` this many seconds from the response.
    RateLimit { reset_in_seconds: u64 },
    /// 503.
    Down,
}
