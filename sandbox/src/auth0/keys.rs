//! The IdP's RS256 signing keys, generated fresh at every start, with
//! rotation as Auth0 does it ("Signing Keys: rotate"): the new key signs
//! from then on and the previous one stays published, so tokens it signed
//! still verify.

use std::sync::{Arc, RwLock};

use anyhow::{Context, anyhow};
use openidconnect::core::{CoreJsonWebKeySet, CoreRsaPrivateSigningKey};
use openidconnect::{JsonWebKeyId, PrivateSigningKey};
use rand::rngs::OsRng;
use rsa::RsaPrivateKey;
use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};

use crate::shared::secrets::random_token;

const KEY_BITS: usize = 2048;

struct KeyPair {
    key: Arc<CoreRsaPrivateSigningKey>,
    kid: String,
}

/// The previous key is only published, never used again, so only its
/// public half is kept (in `jwks`).
struct Published {
    current: KeyPair,
    jwks: CoreJsonWebKeySet,
}

pub struct SigningKeys {
    published: RwLock<Published>,
}

impl SigningKeys {
    /// Generates a key pair with a random `kid`. CPU-heavy: call it off the async runtime.
    pub fn generate() -> anyhow::Result<Self> {
        let current = new_pair()?;
        let jwks = CoreJsonWebKeySet::new(vec![current.key.as_verification_key()]);
        Ok(Self {
            published: RwLock::new(Published { current, jwks }),
        })
    }

    /// The key that signs now, and its `kid`.
    pub fn current(&self) -> (Arc<CoreRsaPrivateSigningKey>, String) {
        let published = self.read();
        (published.current.key.clone(), published.current.kid.clone())
    }

    /// The public halves, as served at `/.well-known/jwks.json`.
    pub fn jwks(&self) -> CoreJsonWebKeySet {
        self.read().jwks.clone()
    }

    /// A new signing key; the current one stays published as the previous.
    /// Returns the new `kid`. Generated on a blocking thread.
    pub async fn rotate(&self) -> anyhow::Result<String> {
        let next = tokio::task::spawn_blocking(new_pair)
            .await
            .context("generating the next key")??;
        let kid = next.kid.clone();
        let mut published = self.published.write().unwrap_or_else(|p| p.into_inner());
        let previous = std::mem::replace(&mut published.current, next);
        published.jwks = CoreJsonWebKeySet::new(vec![
            published.current.key.as_verification_key(),
            previous.key.as_verification_key(),
        ]);
        Ok(kid)
    }

    /// A different key that claims the published `kid`: its signatures must
    /// fail verification. Generated on a blocking thread.
    pub async fn impostor(&self, kid: &str) -> anyhow::Result<CoreRsaPrivateSigningKey> {
        let kid = JsonWebKeyId::new(kid.to_owned());
        tokio::task::spawn_blocking(move || generate_key(&kid))
            .await
            .context("generating the impostor key")?
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Published> {
        self.published.read().unwrap_or_else(|p| p.into_inner())
    }
}

fn new_pair() -> anyhow::Result<KeyPair> {
    let kid = random_token();
    let key = generate_key(&JsonWebKeyId::new(kid.clone()))?;
    Ok(KeyPair {
        key: Arc::new(key),
        kid,
    })
}

fn generate_key(kid: &JsonWebKeyId) -> anyhow::Result<CoreRsaPrivateSigningKey> {
    let key = RsaPrivateKey::new(&mut OsRng, KEY_BITS).context("generating the RSA key")?;
    // openidconnect only imports keys from PEM.
    let pem = key
        .to_pkcs1_pem(LineEnding::LF)
        .context("encoding the RSA key")?;
    CoreRsaPrivateSigningKey::from_pem(&pem, Some(kid.clone()))
        .map_err(|err| anyhow!("importing the RSA key: {err}"))
}
