//! Compact JWS (RFC 7515) with the tenant's signing keys: ID tokens and the
//! JWT access tokens of Auth0's own APIs are signed here, and those access
//! tokens are checked here when they come back.

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openidconnect::core::{CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey};
use openidconnect::{JsonWebKey, PrivateSigningKey};
use serde_json::{Map, Value, json};

use super::keys::SigningKeys;

pub const RS256: CoreJwsSigningAlgorithm = CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256;
pub const PS256: CoreJwsSigningAlgorithm = CoreJwsSigningAlgorithm::RsaSsaPssSha256;

/// Signs `payload` with the key that signs now, with RS256 (Auth0's default).
pub fn sign_current(keys: &SigningKeys, payload: &Value) -> anyhow::Result<String> {
    let (key, kid) = keys.current();
    sign(payload, &key, &kid, RS256)
}

/// The compact serialization of `payload` signed by `key` with `alg`, its
/// header naming `kid`.
pub fn sign(
    payload: &Value,
    key: &CoreRsaPrivateSigningKey,
    kid: &str,
    alg: CoreJwsSigningAlgorithm,
) -> anyhow::Result<String> {
    let alg_name = serde_json::to_value(&alg)?;
    let header = json!({ "alg": alg_name, "typ": "JWT", "kid": kid });
    let signing_input = format!("{}.{}", encode(&header)?, encode(payload)?);
    let signature = key
        .sign(&alg, signing_input.as_bytes())
        .map_err(|err| anyhow::anyhow!("signing the JWT: {err}"))?;
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature)
    ))
}

/// One part of a compact JWS: base64url JSON without padding.
pub fn encode(value: &Value) -> anyhow::Result<String> {
    Ok(URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).context("encoding a JWT part")?))
}

/// The claims of a token that one of the published keys signed with RS256,
/// or `None`. Only the signature is checked here: what the claims must say
/// is up to the API the token is presented to.
pub fn verify(keys: &SigningKeys, token: &str) -> Option<Map<String, Value>> {
    let (signing_input, signature) = token.rsplit_once('.')?;
    let (header, payload) = signing_input.split_once('.')?;
    if payload.contains('.') {
        return None;
    }
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    // The algorithm is fixed rather than taken from the header, so that
    // `none` or another algorithm cannot be smuggled in.
    if header["alg"] != "RS256" {
        return None;
    }
    let kid = header["kid"].as_str()?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    let jwks = keys.jwks();
    let key = jwks
        .keys()
        .iter()
        .find(|key| key.key_id().is_some_and(|id| id.as_str() == kid))?;
    key.verify_signature(&RS256, signing_input.as_bytes(), &signature)
        .ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}
