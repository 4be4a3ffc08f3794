//! The Auth0 stand-in: an OpenID Provider with a login page, codes with PKCE,
//! refresh tokens, SSO and logout, Token Vault, CIBA and the approval page
//! that stands in for Guardian, and the Management API's user search by
//! email, served at the root of the sandbox.

mod audience;
mod authorize;
mod ciba;
mod discovery;
mod guardian;
mod id_token;
mod jws;
mod keys;
mod login;
mod logout;
mod management;
mod pages;
pub(crate) mod pkce;
mod sso;
mod store;
mod token;
pub mod token_vault;
mod userinfo;
pub mod users;

/// What an Okta admin's federated token is good for.
pub const OKTA_SCOPES: &[&str] = &["okta.users.read", "okta.groups.read", "okta.users.manage"];

use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::routing::{get, post};
use openidconnect::IssuerUrl;

use crate::config::SandboxConfig;
use crate::faults::Faults;
use keys::SigningKeys;
use store::Auth0Store;
use token_vault::VaultTokens;

/// The Auth0 tenant stand-in: its configuration, signing keys and records.
pub struct Auth0 {
    config: Arc<SandboxConfig>,
    /// `{public_url}/`, with the trailing slash Auth0 issuers have.
    issuer: IssuerUrl,
    keys: SigningKeys,
    store: Auth0Store,
    faults: Arc<Faults>,
    /// The Okta tokens the Token Vault exchange mints.
    vault: Arc<VaultTokens>,
    /// Cookies get `Secure` when the sandbox is served over https.
    secure_cookies: bool,
}

impl Auth0 {
    /// Generates the signing key: CPU-heavy, call it off the async runtime.
    pub fn new(
        config: Arc<SandboxConfig>,
        public_url: &str,
        faults: Arc<Faults>,
        vault: Arc<VaultTokens>,
    ) -> anyhow::Result<Self> {
        let issuer = IssuerUrl::new(format!("{}/", public_url.trim_end_matches('/')))
            .context("the public URL is not a valid issuer")?;
        Ok(Self {
            config,
            secure_cookies: issuer.url().scheme() == "https",
            issuer,
            keys: SigningKeys::generate()?,
            store: Auth0Store::default(),
            faults,
            vault,
        })
    }

    /// An endpoint URL relative to the issuer, e.g. `endpoint("authorize")`.
    pub(crate) fn endpoint(&self, path: &str) -> String {
        format!("{}{path}", self.issuer.as_str())
    }

    /// The My Account API's audience, `https://{domain}/me/`.
    pub(crate) fn my_account_audience(&self) -> String {
        self.endpoint("me/")
    }

    /// The Management API's audience, `https://{domain}/api/v2/`.
    pub(crate) fn management_audience(&self) -> String {
        self.endpoint("api/v2/")
    }

    /// The user and scopes behind a live access token for the My Account API.
    pub(crate) fn my_account_grant(
        &self,
        token: &str,
    ) -> Option<(&'static users::DemoUser, String)> {
        let grant = self.store.access_tokens.get(token)?;
        (grant.audience.as_deref() == Some(self.my_account_audience().as_str()))
            .then_some((grant.user, grant.scope))
    }

    pub(crate) fn config(&self) -> &SandboxConfig {
        &self.config
    }

    pub(crate) fn vault(&self) -> &VaultTokens {
        &self.vault
    }
}

pub fn router(auth0: Arc<Auth0>) -> Router {
    Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(discovery::openid_configuration),
        )
        .route("/.well-known/jwks.json", get(discovery::jwks))
        .route("/__sandbox/keys/rotate", post(discovery::rotate_keys))
        .route("/authorize", get(authorize::authorize))
        .route("/authorize/login", post(login::login))
        .route("/oauth/token", post(token::token))
        .route("/userinfo", get(userinfo::userinfo))
        .route("/api/v2/users-by-email", get(management::users_by_email))
        .route("/v2/logout", get(logout::logout))
        .route("/bc-authorize", post(ciba::bc_authorize::bc_authorize))
        .route("/__sandbox/ciba/requests", get(ciba::admin::list))
        .route(
            "/__sandbox/ciba/requests/{handle}/approve",
            post(ciba::admin::approve),
        )
        .route(
            "/__sandbox/ciba/requests/{handle}/deny",
            post(ciba::admin::deny),
        )
        .route(
            "/__sandbox/ciba/requests/{handle}/expire",
            post(ciba::admin::expire),
        )
        .route(guardian::PATH, get(guardian::show))
        .route("/guardian/sign-out", post(guardian::sign_out))
        .route("/guardian/enrol", post(guardian::enrol))
        .route(
            "/__sandbox/guardian/enrolments",
            post(guardian::enrolments::change),
        )
        .route("/guardian/{handle}/{decision}", post(guardian::decide))
        .with_state(auth0)
}
