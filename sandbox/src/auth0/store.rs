//! The IdP's server-side records: pending logins, codes, tokens, SSO
//! sessions and CIBA requests.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::ciba::CibaRequests;
use super::guardian::GuardianEnrolments;
use super::users::DemoUser;
use crate::shared::ttl_map::TtlMap;

/// How long the login page may stay open before the request must restart.
pub const PENDING_LOGIN_TTL: Duration = Duration::from_secs(15 * 60);
/// Authorization codes are short-lived and single-use.
pub const CODE_TTL: Duration = Duration::from_secs(60);
pub const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(3600);
pub const REFRESH_TOKEN_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
pub const SSO_SESSION_TTL: Duration = Duration::from_secs(12 * 3600);

/// A validated `/authorize` request waiting for the user to sign in.
#[derive(Clone)]
pub struct PendingLogin {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: String,
}

/// What a sign-in on the login page completes.
#[derive(Clone)]
pub enum LoginRequest {
    /// An OAuth authorization request: back to the client with a code.
    Authorize(PendingLogin),
    /// Signing in to the approval page: back to it, signed in.
    Guardian,
}

/// What an authorization code is bound to.
pub struct CodeGrant {
    pub login: PendingLogin,
    pub user: &'static DemoUser,
    pub auth_time: DateTime<Utc>,
}

#[derive(Clone)]
pub struct AccessGrant {
    pub user: &'static DemoUser,
    /// The API the token is for; `None` for the sign-in's own token.
    pub audience: Option<String>,
    pub scope: String,
}

#[derive(Clone)]
pub struct RefreshGrant {
    pub client_id: String,
    pub user: &'static DemoUser,
    pub scope: String,
    pub auth_time: DateTime<Utc>,
}

/// The IdP's own login session, behind the `sandbox_idp_sso` cookie.
#[derive(Clone)]
pub struct SsoSession {
    pub user: &'static DemoUser,
    pub auth_time: DateTime<Utc>,
}

#[derive(Default)]
pub struct Auth0Store {
    pub pending_logins: TtlMap<LoginRequest>,
    pub codes: TtlMap<CodeGrant>,
    pub access_tokens: TtlMap<AccessGrant>,
    pub refresh_tokens: TtlMap<RefreshGrant>,
    pub sso_sessions: TtlMap<SsoSession>,
    pub ciba: CibaRequests,
    pub guardian: GuardianEnrolments,
}
