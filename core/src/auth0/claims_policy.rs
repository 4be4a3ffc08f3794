//! The checks of OpenID Connect Core 3.1.3.7 that the `openidconnect`
//! crate leaves to the client (steps 4, 5 and 10), and the email rule that
//! makes a token usable as an FGA subject.

use chrono::{DateTime, Duration, Utc};
use openidconnect::ClientId;
use openidconnect::core::CoreIdTokenClaims;

/// How far a provider's clock may run ahead of ours.
const CLOCK_SKEW: Duration = Duration::seconds(60);
/// A token fresh from the token endpoint was issued moments ago; one issued
/// longer ago than this is a replay or a broken provider clock.
const MAX_AGE: Duration = Duration::minutes(10);

/// Why the claims are unacceptable, worded for the sign-in page.
#[derive(Debug, PartialEq, Eq)]
pub enum PolicyViolation {
    IssuedInFuture,
    IssuedLongAgo,
    ForeignAuthorizedParty,
    MissingAuthorizedParty,
}

impl PolicyViolation {
    pub fn reason(&self) -> &'static str {
        match self {
            Self::IssuedInFuture => "it claims to be issued in the future",
            Self::IssuedLongAgo => "it was issued too long ago",
            Self::ForeignAuthorizedParty => "it was issued to another application",
            Self::MissingAuthorizedParty => "it names several audiences but no authorized party",
        }
    }
}

/// `iat` within [now − 10 min − skew, now + skew]; `azp`, when present or
/// when `aud` has several values, equal to our client id.
pub fn check(
    claims: &CoreIdTokenClaims,
    client_id: &ClientId,
    now: DateTime<Utc>,
) -> Result<(), PolicyViolation> {
    check_issue_time(claims.issue_time(), now)?;
    match claims.authorized_party() {
        Some(party) if party.as_str() != client_id.as_str() => {
            Err(PolicyViolation::ForeignAuthorizedParty)
        }
        None if claims.audiences().len() > 1 => Err(PolicyViolation::MissingAuthorizedParty),
        _ => Ok(()),
    }
}

fn check_issue_time(issued: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), PolicyViolation> {
    if issued > now + CLOCK_SKEW {
        return Err(PolicyViolation::IssuedInFuture);
    }
    if issued < now - MAX_AGE - CLOCK_SKEW {
        return Err(PolicyViolation::IssuedLongAgo);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use openidconnect::core::CoreIdTokenClaims;

    use super::*;

    fn claims(value: serde_json::Value) -> CoreIdTokenClaims {
        serde_json::from_value(value).expect("valid claims")
    }

    fn token(now: DateTime<Utc>, extra: serde_json::Value) -> CoreIdTokenClaims {
        let mut base = serde_json::json!({
            "iss": "https://tenant.us.auth0.com/",
            "sub": "oidc|Okta-OIDC|00u1",
            "aud": "client-1",
            "iat": now.timestamp(),
            "exp": now.timestamp() + 3600,
        });
        base.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        claims(base)
    }

    #[test]
    fn issue_time_must_be_recent_and_not_ahead() {
        let now = Utc::now();
        let client = ClientId::new("client-1".into());
        let at = |offset: Duration| {
            check(
                &token(now, serde_json::json!({"iat": (now + offset).timestamp()})),
                &client,
                now,
            )
        };
        assert_eq!(at(Duration::zero()), Ok(()));
        assert_eq!(at(Duration::seconds(59)), Ok(()));
        assert_eq!(at(-Duration::minutes(10)), Ok(()));
        assert_eq!(
            at(Duration::days(3650)),
            Err(PolicyViolation::IssuedInFuture)
        );
        assert_eq!(
            at(Duration::minutes(2)),
            Err(PolicyViolation::IssuedInFuture)
        );
        assert_eq!(at(-Duration::days(30)), Err(PolicyViolation::IssuedLongAgo));
    }

    #[test]
    fn authorized_party_must_be_this_client() {
        let now = Utc::now();
        let client = ClientId::new("client-1".into());
        let check_with = |extra| check(&token(now, extra), &client, now);
        assert_eq!(check_with(serde_json::json!({"azp": "client-1"})), Ok(()));
        assert_eq!(
            check_with(serde_json::json!({"azp": "someone-else"})),
            Err(PolicyViolation::ForeignAuthorizedParty)
        );
        assert_eq!(
            check_with(serde_json::json!({"aud": ["client-1", "https://api.example/"]})),
            Err(PolicyViolation::MissingAuthorizedParty)
        );
        assert_eq!(
            check_with(serde_json::json!({
                "aud": ["client-1", "https://api.example/"], "azp": "client-1"
            })),
            Ok(())
        );
    }

    /// Auth0 sends `updated_at` as an ISO-8601 string with the `profile`
    /// scope (Auth0 docs, "ID Token Structure" / "User Profile Structure").
    #[test]
    fn auth0_profile_claims_parse() {
        let now = Utc::now();
        let parsed = token(
            now,
            serde_json::json!({
                "updated_at": "2026-11-30T10:08:02.554Z",
                "email_verified": true,
                "nickname": "alex",
                "picture": "https://s.gravatar.com/avatar/x.png",
                "sid": "Jc6S9g1bVpdn8j0hQx8cWmC3",
            }),
        );
        assert!(parsed.updated_at().is_some());
    }
}
