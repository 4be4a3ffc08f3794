//! Fernet sealing for everything secret the store keeps (tokens, login
//! attempts). Sealing fails closed: a value that does not open under one of
//! the configured keys is an error, never plaintext.
//!
//! Locally the key lives in a file created once under the data directory
//! ([`key_file`]); in AWS it comes from a Secrets Manager secret
//! ([`secrets_manager`]). Both end in [`Sealer::from_keys`].

mod key_file;
mod reload;
pub mod secrets_manager;

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

use reload::KeyReload;

use fernet::{Fernet, MultiFernet};
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
}

pub struct Sealer {
    /// Replaced whole when the key set is reloaded.
    keys: RwLock<Arc<KeySet>>,
    /// Where the keys can be read again after a rotation elsewhere.
    reload: Option<Arc<KeyReload>>,
}

struct KeySet {
    fernets: MultiFernet,
    count: usize,
}

impl Clone for Sealer {
    fn clone(&self) -> Self {
        Self {
            keys: RwLock::new(self.key_set()),
            reload: self.reload.clone(),
        }
    }
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealer")
            .field("keys", &self.key_set().count)
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
            keys: RwLock::new(Arc::new(KeySet {
                count: fernets.len(),
                fernets: MultiFernet::new(fernets),
            })),
            reload: None,
        })
    }

    /// The same keys, read again from `reload` when a record needs a key
    /// this process does not have.
    fn reloading_from(self, reload: KeyReload) -> Sealer {
        Sealer {
            reload: Some(Arc::new(reload)),
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
        self.key_set().fernets.encrypt(plaintext)
    }

    pub fn unseal(&self, token: &str) -> Result<Vec<u8>, SealingError> {
        self.key_set()
            .fernets
            .decrypt(token.trim())
            .map_err(|_| SealingError::Unseal)
    }

    /// # Panics
    /// If `value` cannot be written as JSON (e.g. a map with non-string
    /// keys): a programming error, not a runtime condition.
    pub fn seal_json<T: Serialize>(&self, value: &T) -> String {
        let json = serde_json::to_vec(value).expect("sealed values are representable as JSON");
        self.seal(&json)
    }

    pub fn unseal_json<T: DeserializeOwned>(&self, token: &str) -> Result<T, SealingError> {
        let json = self.unseal(token)?;
        // serde_json's message could quote the plaintext; say only that it failed.
        serde_json::from_slice(&json).map_err(|_| SealingError::Shape)
    }
}

fn parse_key(key: &SecretString) -> Option<Fernet> {
    Fernet::new(key.expose_secret().trim())
}
