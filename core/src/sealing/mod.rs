//! Fernet sealing for everything secret the store keeps (tokens, login
//! attempts). Sealing fails closed: a value that does not open under one of
//! the configured keys is an error, never plaintext.
//!
//! Locally the key lives in a file created once under the data directory
//! ([`key_file`]); in AWS it comes from a Secrets Manager secret
//! ([`secrets_manager`]). Both end in [`Sealer::from_keys`].
//!
//! What must not outlive a moment (a chat turn's capability) is opened with
//! [`Sealer::unseal_fresh`], which also checks the Fernet token's own
//! timestamp.

mod key_file;
mod reload;
pub mod secrets_manager;

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

use reload::KeyReload;

use fernet::Fernet;
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Debug, thiserror::Error)]
pub enum SealingError {
    /// Names which key (`current`, `previous[0]`, …) without showing it.
    #[error("the {0} sealing key is not a Fernet key (url-safe base64 of 32 bytes)")]
    InvalidKey(String),
    #[error("sealing key file {}: {problem}", path.display())]
    KeyFile { path: PathBuf, problem: String },
    /// Names the secret and the field at fault, never a value.
    #[error("sealing key secret {secret_id}: {problem}")]
    Secret { secret_id: String, problem: String },
    #[error("a sealed value did not open: wrong key, tampered, or not sealed")]
    Unseal,
    #[error("an unsealed value does not have the expected shape")]
    Shape,
    /// It opens, but was sealed longer ago than it may be used.
    #[error("a sealed value is older than it may be")]
    Stale,
}

pub struct Sealer {
    /// Replaced whole when the key set is reloaded.
    keys: RwLock<Arc<KeySet>>,
    /// Where the keys can be read again after a rotation elsewhere.
    reload: Option<KeyReload>,
}

/// Seals with the first key; opens with any of them.
struct KeySet {
    fernets: Vec<Fernet>,
}

impl KeySet {
    /// The plaintext under the first key that opens the token, and, with
    /// `ttl_seconds`, only if it was sealed no longer ago than that.
    fn open(&self, token: &str, ttl_seconds: Option<u64>) -> Option<Vec<u8>> {
        let token = token.trim();
        self.fernets.iter().find_map(|key| {
            match ttl_seconds {
                Some(ttl) => key.decrypt_with_ttl(token, ttl),
                None => key.decrypt(token),
            }
            .ok()
        })
    }
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealer")
            .field("keys", &self.key_set().fernets.len())
            .finish_non_exhaustive()
    }
}

impl Sealer {
    /// Seals with `current`; opens with `current` or any of `previous`, so
    /// records sealed before a key rotation stay readable.
    pub fn from_keys(
        current: &SecretString,
        previous: &[SecretString],
    ) -> Result<Sealer, SealingError> {
        let mut fernets = Vec::with_capacity(1 + previous.len());
        fernets.push(parse_key(current).ok_or_else(|| SealingError::InvalidKey("current".into()))?);
        for (i, key) in previous.iter().enumerate() {
            fernets.push(
                parse_key(key).ok_or_else(|| SealingError::InvalidKey(format!("previous[{i}]")))?,
            );
        }
        Ok(Sealer {
            keys: RwLock::new(Arc::new(KeySet { fernets })),
            reload: None,
        })
    }

    /// The same keys, read again from `reload` when a record needs a key
    /// this process does not have.
    fn reloading_from(self, reload: KeyReload) -> Sealer {
        Sealer {
            reload: Some(reload),
            ..self
        }
    }

    /// Reads the key set again after a record failed to open: another
    /// instance may have rotated the key since this one started. At most
    /// once per [`reload::INTERVAL`], however many records fail; true when
    /// a key set was read (the caller tries once more).
    pub async fn reload_keys(&self) -> bool {
        let Some(reload) = &self.reload else {
            return false;
        };
        match reload.read_if_due().await {
            Some(fresh) => {
                *self.keys.write().unwrap_or_else(PoisonError::into_inner) = fresh.key_set();
                true
            }
            None => false,
        }
    }

    fn key_set(&self) -> Arc<KeySet> {
        self.keys
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn generate_key() -> SecretString {
        SecretString::from(Fernet::generate_key())
    }

    /// Returns a Fernet token (url-safe base64 text).
    pub fn seal(&self, plaintext: &[u8]) -> String {
        self.key_set().fernets[0].encrypt(plaintext)
    }

    pub fn unseal(&self, token: &str) -> Result<Vec<u8>, SealingError> {
        self.key_set().open(token, None).ok_or(SealingError::Unseal)
    }

    /// Like [`Sealer::unseal`], and also refuses a value sealed more than
    /// `ttl_seconds` ago by the token's own timestamp (`Stale`: it would
    /// open, but is too old).
    pub fn unseal_fresh(&self, token: &str, ttl_seconds: u64) -> Result<Vec<u8>, SealingError> {
        let keys = self.key_set();
        if let Some(plaintext) = keys.open(token, Some(ttl_seconds)) {
            return Ok(plaintext);
        }
        Err(match keys.open(token, None) {
            Some(_) => SealingError::Stale,
            None => SealingError::Unseal,
        })
    }

    /// # Panics
    /// If `value` cannot be written as JSON (e.g. a map with non-string
    /// keys): a programming error, not a runtime condition.
    pub fn seal_json<T: Serialize>(&self, value: &T) -> String {
        let json = serde_json::to_vec(value).expect("sealed values are representable as JSON");
        self.seal(&json)
    }

    pub fn unseal_json<T: DeserializeOwned>(&self, token: &str) -> Result<T, SealingError> {
        from_json(&self.unseal(token)?)
    }

    /// [`Sealer::unseal_fresh`], read as JSON.
    pub fn unseal_json_fresh<T: DeserializeOwned>(
        &self,
        token: &str,
        ttl_seconds: u64,
    ) -> Result<T, SealingError> {
        from_json(&self.unseal_fresh(token, ttl_seconds)?)
    }
}

/// serde_json's message could quote the plaintext; say only that it failed.
fn from_json<T: DeserializeOwned>(json: &[u8]) -> Result<T, SealingError> {
    serde_json::from_slice(json).map_err(|_| SealingError::Shape)
}

fn parse_key(key: &SecretString) -> Option<Fernet> {
    Fernet::new(key.expose_secret().trim())
}
