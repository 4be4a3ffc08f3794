//! Minting ID tokens shaped like Auth0's, optionally with a fault.
//!
//! Claims follow Auth0's "ID Token Structure" and "User Profile Structure"
//! for the `openid profile email` scopes: `aud` a single string, `sid`,
//! `nickname`, `picture`, `email_verified`, and `updated_at` as an ISO-8601
//! string with milliseconds (`"2026-11-30T10:08:02.554Z"`) — not the number
//! OpenID Connect Core §5.1 describes. The payload is written as JSON here,
//! rather than through a typed claims struct, so that the wire is exactly
//! Auth0's and not what a Rust library would choose to emit.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use openidconnect::IssuerUrl;
use serde_json::{Map, Value, json};

use super::jws::{PS256, RS256, encode, sign};
use super::keys::SigningKeys;
use super::users::DemoUser;
use crate::faults::IdTokenFault;
use crate::shared::secrets::random_token;

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
    let payload = Value::Object(claims(&subject, fault, Utc::now()));
    let (key, kid) = keys.current();
    match fault {
        Some(IdTokenFault::AlgNone) => Ok(format!(
            "{}.{}.",
            encode(&json!({ "alg": "none", "typ": "JWT", "kid": kid }))?,
            encode(&payload)?
        )),
        Some(IdTokenFault::BadSignature) => {
            sign(&payload, &keys.impostor(&kid).await?, &kid, RS256)
        }
        // Signed with the published key, but with an algorithm Auth0 uses
        // only when told to and Custodian does not accept by default.
        Some(IdTokenFault::UnlistedAlgorithm) => sign(&payload, &key, &kid, PS256),
        _ => sign(&payload, &key, &kid, RS256),
    }
}

fn claims(
    subject: &IdTokenSubject<'_>,
    fault: Option<IdTokenFault>,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let lifetime = Duration::seconds(TOKEN_LIFETIME_SECS);
    let issued = match fault {
        Some(IdTokenFault::Expired) => now - lifetime * 2,
        Some(IdTokenFault::FutureIssueTime) => now + Duration::days(3650),
        Some(IdTokenFault::StaleIssueTime) => now - Duration::days(30),
        _ => now,
    };
    let expires = match fault {
        Some(IdTokenFault::Expired) => now - lifetime,
        _ => now + lifetime,
    };
    let issuer = match fault {
        Some(IdTokenFault::WrongIssuer) => "https://wrong-issuer.invalid/".to_owned(),
        _ => subject.issuer.to_string(),
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
    let mut claims = json!({
        "nickname": user.email.split('@').next().unwrap_or(user.email),
        "name": user.name,
        "picture": format!("https://s.gravatar.com/avatar/{}?s=480&r=pg", user.sub.len()),
        "updated_at": user_updated_at(now),
        "email": user.email,
        "email_verified": fault != Some(IdTokenFault::UnverifiedEmail),
        "iss": issuer,
        "aud": audience,
        "sub": user.sub,
        "iat": issued.timestamp(),
        "exp": expires.timestamp(),
        "sid": sid(user),
        "auth_time": subject.auth_time.timestamp(),
    });
    let map = claims.as_object_mut().expect("a JSON object literal");
    if let Some(nonce) = nonce {
        map.insert("nonce".into(), nonce.into());
    }
    match fault {
        Some(IdTokenFault::ForeignAuthorizedParty) => {
            map.insert("azp".into(), "another-application".into());
        }
        Some(IdTokenFault::MalformedClaim) => {
            map.insert("email_verified".into(), json!({ "value": true }));
        }
        _ => {}
    }
    std::mem::take(map)
}

/// Auth0 updates the profile at each federated sign-in.
fn user_updated_at(now: DateTime<Utc>) -> String {
    (now - Duration::minutes(2)).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Auth0's session id: stable for a user's SSO session in the sandbox.
fn sid(user: &DemoUser) -> String {
    URL_SAFE_NO_PAD.encode(user.sub.as_bytes())
}
