//! Management API access tokens: RS256 JWTs from the client-credentials
//! grant, with the claims Auth0 puts in them (`iss`, `sub` =
//! `{client_id}@clients`, `aud`, `iat`, `exp`, `scope`, `gty` =
//! `client-credentials`, `azp`; "Get Management API Access Tokens for
//! Production", https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens/get-management-api-access-tokens-for-production),
//! and their check when one is presented to the API.

use axum::http::HeaderMap;
use chrono::Utc;
use serde_json::{Map, Value, json};

use super::TOKEN_LIFETIME_SECS;
use super::error::ManagementError;
use crate::auth0::Auth0;
use crate::auth0::jws;
use crate::auth0::userinfo::bearer_token;

/// A signed Management API token for `client_id` carrying `scope`.
pub fn mint(auth0: &Auth0, client_id: &str, scope: &str) -> anyhow::Result<String> {
    let now = Utc::now().timestamp();
    let claims = json!({
        "iss": auth0.issuer.as_str(),
        "sub": format!("{client_id}@clients"),
        "aud": auth0.management_audience(),
        "iat": now,
        "exp": now + TOKEN_LIFETIME_SECS,
        "scope": scope,
        "gty": "client-credentials",
        "azp": client_id,
    });
    jws::sign_current(&auth0.keys, &claims)
}

/// Lets the request through when its bearer token is a live Management API
/// token of this tenant carrying `scope`.
pub fn authorize(auth0: &Auth0, headers: &HeaderMap, scope: &str) -> Result<(), ManagementError> {
    let claims = bearer_token(headers)
        .and_then(|token| jws::verify(&auth0.keys, token))
        .ok_or_else(ManagementError::invalid_token)?;
    let expected = Expected {
        issuer: auth0.issuer.as_str(),
        audience: &auth0.management_audience(),
        now: Utc::now().timestamp(),
    };
    require_scope(expected.check(&claims)?, scope)
}

/// A valid token without the endpoint's scope is a 403, not a 401.
fn require_scope(granted: &str, scope: &str) -> Result<(), ManagementError> {
    if granted.split_whitespace().any(|s| s == scope) {
        Ok(())
    } else {
        Err(ManagementError::insufficient_scope(scope))
    }
}

/// What a signed token's claims must say to be accepted.
struct Expected<'a> {
    issuer: &'a str,
    audience: &'a str,
    now: i64,
}

impl Expected<'_> {
    /// The token's `scope`, when it was issued here, for this API, and has
    /// not expired. Any failure is the same 401: Auth0 does not say which.
    fn check<'c>(&self, claims: &'c Map<String, Value>) -> Result<&'c str, ManagementError> {
        let issuer_ok = claims.get("iss").and_then(Value::as_str) == Some(self.issuer);
        // `aud` may be a string or an array (RFC 7519 §4.1.3).
        let audience_ok = match claims.get("aud") {
            Some(Value::String(aud)) => aud == self.audience,
            Some(Value::Array(auds)) => auds.iter().any(|aud| aud == self.audience),
            _ => false,
        };
        let live = claims
            .get("exp")
            .and_then(Value::as_i64)
            .is_some_and(|exp| exp > self.now);
        if issuer_ok && audience_ok && live {
            Ok(claims.get("scope").and_then(Value::as_str).unwrap_or(""))
        } else {
            Err(ManagementError::invalid_token())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUER: &str = "https://tenant.example/";
    const AUDIENCE: &str = "https://tenant.example/api/v2/";

    fn expected() -> Expected<'static> {
        Expected {
            issuer: ISSUER,
            audience: AUDIENCE,
            now: 1_000,
        }
    }

    fn claims(changes: Value) -> Map<String, Value> {
        let mut claims = json!({
            "iss": ISSUER, "aud": AUDIENCE, "exp": 2_000, "scope": "read:users",
        });
        claims
            .as_object_mut()
            .unwrap()
            .extend(changes.as_object().unwrap().clone());
        claims.as_object().unwrap().clone()
    }

    #[test]
    fn a_live_token_for_this_api_gives_its_scope() {
        assert_eq!(expected().check(&claims(json!({}))).unwrap(), "read:users");
        let listed = claims(json!({ "aud": ["https://other.example/", AUDIENCE] }));
        assert_eq!(expected().check(&listed).unwrap(), "read:users");
        let scopeless = claims(json!({ "scope": null }));
        assert_eq!(expected().check(&scopeless).unwrap(), "");
    }

    #[test]
    fn other_issuers_audiences_and_expired_tokens_are_invalid() {
        for changes in [
            json!({ "iss": "https://other.example/" }),
            json!({ "aud": "https://custodian.example/api" }),
            json!({ "aud": null }),
            json!({ "exp": 1_000 }),
            json!({ "exp": "2000" }),
        ] {
            let err = expected().check(&claims(changes.clone())).unwrap_err();
            assert_eq!(err.status().as_u16(), 401, "{changes}");
        }
    }

    #[test]
    fn the_endpoint_scope_must_be_granted() {
        assert!(require_scope("read:users update:users", "read:users").is_ok());
        let err = require_scope("read:user read:users_app_metadata", "read:users").unwrap_err();
        assert_eq!(err.status().as_u16(), 403);
        assert!(require_scope("", "read:users").is_err());
    }
}
