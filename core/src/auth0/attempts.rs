//! What a browser redirect flow (the sign-in, or any later one) keeps
//! while the browser is away at Auth0: sealed, stored under the digest of
//! the flow's `state`, readable once, and only for a limited time.

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::ids::store_key;
use crate::sealing::Sealer;
use crate::store::{LoginAttempt, Store, StoreError};
use crate::time::now_unix;

/// A flow must come back within this time.
pub const ATTEMPT_SECONDS: i64 = 600;

#[derive(Debug, thiserror::Error)]
pub enum AttemptError {
    /// None stored under this `state`, or it expired or was used.
    #[error("no such attempt")]
    Unknown,
    /// Stored, but it does not open with the current key.
    #[error("the attempt could not be unsealed")]
    Unsealable,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Clone)]
pub struct PendingAttempts {
    store: Arc<dyn Store>,
    sealer: Arc<Sealer>,
}

impl PendingAttempts {
    pub fn new(store: Arc<dyn Store>, sealer: Arc<Sealer>) -> Self {
        Self { store, sealer }
    }

    /// Keeps `pending` for the flow whose `state` is given.
    pub async fn save<T: Serialize>(
        &self,
        state: &SecretString,
        pending: &T,
    ) -> Result<(), StoreError> {
        let attempt = LoginAttempt {
            id: store_key(state.expose_secret()),
            sealed: self.sealer.seal_json(pending),
            expires_at: now_unix() + ATTEMPT_SECONDS,
        };
        self.store.put_login_attempt(&attempt).await
    }

    /// What was kept for `state`, removed so it cannot be used again.
    pub async fn take<T: DeserializeOwned>(&self, state: &str) -> Result<T, AttemptError> {
        let attempt = self
            .store
            .take_login_attempt(&store_key(state), now_unix())
            .await?
            .ok_or(AttemptError::Unknown)?;
        self.sealer
            .unseal_json(&attempt.sealed)
            .map_err(|_| AttemptError::Unsealable)
    }
}
