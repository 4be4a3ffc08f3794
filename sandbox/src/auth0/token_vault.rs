//! The Okta access tokens that Token Vault's federated-connection exchange
//! mints: the IdP issues them and the Okta stand-in accepts nothing else.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::auth0::users::DemoUser;
use crate::shared::ttl_map::TtlMap;

/// Whose Okta token it is.
#[derive(Clone)]
pub struct VaultGrant {
    pub user: &'static DemoUser,
}

#[derive(Default)]
pub struct VaultTokens {
    tokens: TtlMap<VaultGrant>,
    /// Exchange requests received (after client authentication).
    exchanges: AtomicU64,
}

impl VaultTokens {
    pub fn mint(&self, user: &'static DemoUser, lifetime: Duration) -> String {
        self.tokens.insert(VaultGrant { user }, lifetime)
    }

    /// The grant behind a live token; expired and unknown tokens are `None`.
    pub fn get(&self, token: &str) -> Option<VaultGrant> {
        self.tokens.get(token)
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
