//! The Okta access tokens that Token Vault's federated-connection exchange
//! mints: the IdP issues them and the Okta stand-in accepts nothing else.
//! Tokens are only minted for users with a connected account.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::auth0::users::DemoUser;
use crate::my_account::ConnectedAccounts;
use crate::shared::ttl_map::TtlMap;

/// Whose Okta token it is.
#[derive(Clone)]
pub struct VaultGrant {
    pub user: &'static DemoUser,
}

pub struct VaultTokens {
    tokens: TtlMap<VaultGrant>,
    /// Exchange requests received (after client authentication).
    exchanges: AtomicU64,
    /// Whose external accounts are connected, and where.
    pub accounts: ConnectedAccounts,
}

impl VaultTokens {
    /// Demo users marked connected start connected at `connection`.
    pub fn new(connection: &str, scopes: &[&str]) -> Self {
        Self {
            tokens: TtlMap::default(),
            exchanges: AtomicU64::new(0),
            accounts: ConnectedAccounts::seeded(connection, scopes),
        }
    }

    pub fn mint(&self, user: &'static DemoUser, lifetime: Duration) -> String {
        self.tokens.insert(VaultGrant { user }, lifetime)
    }

    /// The grant behind a live token; expired and unknown tokens are `None`.
    pub fn get(&self, token: &str) -> Option<VaultGrant> {
        self.tokens.get(token)
    }

    /// Ends the user's minted tokens once their account is disconnected.
    /// Inferred, not documented: Auth0 deletes the stored tokenset; that the
    /// tokens already handed out stop working is the sandbox's choice, so a
    /// cached token cannot outlive the connection in tests.
    pub fn revoke_user(&self, user: &DemoUser) {
        self.tokens.retain(|grant| grant.user.sub != user.sub);
    }

    pub fn record_exchange(&self) {
        self.exchanges.fetch_add(1, Ordering::Relaxed);
    }
}

/// `GET /__sandbox/token-vault/exchanges` → `{"count": n}`.
pub fn router(tokens: Arc<VaultTokens>) -> Router {
    Router::new()
        .route("/__sandbox/token-vault/exchanges", get(exchanges))
        .with_state(tokens)
}

async fn exchanges(State(tokens): State<Arc<VaultTokens>>) -> Json<Value> {
    Json(json!({ "count": tokens.exchanges.load(Ordering::Relaxed) }))
}
