//! Minting RS256 ID tokens (OpenID Connect Core §2), optionally with a fault.

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey,
};
use openidconnect::{
    Audience, EmptyAdditionalClaims, EndUserEmail, EndUserName, IssuerUrl, Nonce, StandardClaims,
    SubjectIdentifier,
};
use serde_json::json;

use super::keys::SigningKeys;
use super::users::DemoUser;
use crate::faults::IdTokenFault;
use crate::secrets::random_token;

/// ID tokens and access tokens live for an hour, like Auth0's defaults.
pub const TOKEN_LIFETIME_SECS: i64 = 3600;

/// Who the token is about and for whom it is minted.
pub struct IdTokenSubject<'a> {
    pub issuer: &'a IssuerUrl,
    pub client_id: &'a str,
    pub user: &'static DemoUser,
    /// Echoed from `/authorize`; refreshed tokens carry none.
    pub nonce: Option<&'a str>,
    pub auth_time: DateTime<Utc>,
}

/// Returns the compact JWS, carrying `fault`'s defect when one is given.
pub async fn mint(
    keys: &SigningKeys,
    subject: IdTokenSubject<'_>,
    fault: Option<IdTokenFault>,
) -> anyhow::Result<String> {
    let claims = claims(&subject, fault, Utc::now());
    match fault {
        Some(IdTokenFault::AlgNone) => unsigned(&claims, keys),
        Some(IdTokenFault::BadSignature) => sign(claims, &keys.impostor().await?),
        _ => sign(claims, keys.key()),
    }
}

fn claims(
    subject: &IdTokenSubject<'_>,
    fault: Option<IdTokenFault>,
    now: DateTime<Utc>,
) -> CoreIdTokenClaims {
    let lifetime = Duration::seconds(TOKEN_LIFETIME_SECS);
    let (issued, expires) = match fault {
        Some(IdTokenFault::Expired) => (now - lifetime * 2, now - lifetime),
        _ => (now, now + lifetime),
    };
    let issuer = match fault {
        Some(IdTokenFault::WrongIssuer) => {
            IssuerUrl::new("https://wrong-issuer.invalid/".to_owned()).expect("a valid URL")
        }
        _ => subject.issuer.clone(),
    };
    let audience = match fault {
        Some(IdTokenFault::WrongAudience) => format!("not-{}", subject.client_id),
        _ => subject.client_id.to_owned(),
    };
    let nonce = match fault {
        Some(IdTokenFault::WrongNonce) => Some(random_token()),
        _ => subject.nonce.map(str::to_owned),
    };
    let user = subject.user;
    let standard = StandardClaims::new(SubjectIdentifier::new(user.sub.to_owned()))
        .set_email(Some(EndUserEmail::new(user.email.to_owned())))
        .set_email_verified(Some(true))
        .set_name(Some(EndUserName::new(user.name.to_owned()).into()));
    CoreIdTokenClaims::new(
        issuer,
        vec![Audience::new(audience)],
        expires,
        issued,
        standard,
        EmptyAdditionalClaims {},
    )
    .set_nonce(nonce.map(Nonce::new))
    .set_auth_time(Some(subject.auth_time))
}

fn sign(claims: CoreIdTokenClaims, key: &CoreRsaPrivateSigningKey) -> anyhow::Result<String> {
    let token = CoreIdToken::new(
        claims,
        key,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .context("signing the ID token")?;
    Ok(token.to_string())
}

/// An "unsecured JWS" (RFC 7515 appendix A.5): header alg `none`, empty signature.
fn unsigned(claims: &CoreIdTokenClaims, keys: &SigningKeys) -> anyhow::Result<String> {
    let header = json!({ "alg": "none", "kid": keys.kid() });
    let header = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header)?);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims)?);
    Ok(format!("{header}.{payload}."))
}
