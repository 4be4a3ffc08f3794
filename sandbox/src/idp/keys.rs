//! The IdP's RS256 signing key, generated fresh at every start.

use anyhow::{Context, anyhow};
use openidconnect::core::{CoreJsonWebKeySet, CoreRsaPrivateSigningKey};
use openidconnect::{JsonWebKeyId, PrivateSigningKey};
use rand::rngs::OsRng;
use rsa::RsaPrivateKey;
use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};

use crate::secrets::random_token;

const KEY_BITS: usize = 2048;

pub struct SigningKeys {
    key: CoreRsaPrivateSigningKey,
    kid: JsonWebKeyId,
    jwks: CoreJsonWebKeySet,
}

impl SigningKeys {
    /// Generates a key pair with a random `kid`. CPU-heavy: call it off the async runtime.
    pub fn generate() -> anyhow::Result<Self> {
        let kid = JsonWebKeyId::new(random_token());
        let key = generate_key(&kid)?;
        let jwks = CoreJsonWebKeySet::new(vec![key.as_verification_key()]);
        Ok(Self { key, kid, jwks })
    }

    pub fn key(&self) -> &CoreRsaPrivateSigningKey {
        &self.key
    }

    pub fn kid(&self) -> &JsonWebKeyId {
        &self.kid
    }

    /// The public half, as served at `/.well-known/jwks.json`.
    pub fn jwks(&self) -> &CoreJsonWebKeySet {
        &self.jwks
    }

    /// A different key that claims the published `kid`: its signatures must
    /// fail verification. Generated on a blocking thread.
    pub async fn impostor(&self) -> anyhow::Result<CoreRsaPrivateSigningKey> {
        let kid = self.kid.clone();
        tokio::task::spawn_blocking(move || generate_key(&kid))
            .await
            .context("generating the impostor key")?
    }
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
