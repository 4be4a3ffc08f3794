//! The provider's ID-token signing keys. Discovery fetches them once; a
//! token that names a key id Custodian does not hold makes it fetch the key
//! set again, so an Auth0 signing-key rotation reaches a running BFF without
//! a restart. Refetches are spaced out, so tokens with made-up key ids cannot
//! turn Custodian into a JWKS request amplifier.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use openidconnect::JsonWebKeySetUrl;
use openidconnect::core::CoreJsonWebKeySet;
use tokio::sync::Mutex;

/// At most one refetch in this interval.
const MIN_REFETCH_INTERVAL: Duration = Duration::from_secs(10);

pub(super) struct SigningKeys {
    current: RwLock<Arc<CoreJsonWebKeySet>>,
    last_refetch: Mutex<Option<Instant>>,
}

impl SigningKeys {
    pub(super) fn new(keys: CoreJsonWebKeySet) -> Self {
        Self {
            current: RwLock::new(Arc::new(keys)),
            last_refetch: Mutex::new(None),
        }
    }

    pub(super) fn current(&self) -> Arc<CoreJsonWebKeySet> {
        self.current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Fetches the key set again unless that was done moments ago; returns
    /// the set to verify with (the new one, or the current one when the
    /// refetch is not allowed yet or fails).
    pub(super) async fn refetch(
        &self,
        jwks_uri: &JsonWebKeySetUrl,
        http: &reqwest::Client,
    ) -> Arc<CoreJsonWebKeySet> {
        let mut last = self.last_refetch.lock().await;
        if last.is_some_and(|at| at.elapsed() < MIN_REFETCH_INTERVAL) {
            return self.current();
        }
        *last = Some(Instant::now());
        match CoreJsonWebKeySet::fetch_async(jwks_uri, http).await {
            Ok(keys) => {
                tracing::info!(
                    keys = keys.keys().len(),
                    "fetched the provider's signing keys"
                );
                let keys = Arc::new(keys);
                *self
                    .current
                    .write()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) = keys.clone();
                keys
            }
            Err(error) => {
                tracing::warn!(error = %error, "could not fetch the provider's signing keys");
                self.current()
            }
        }
    }
}
