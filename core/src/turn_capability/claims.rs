//! What a capability says, and the sealed form the agent carries.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::Refusal;
use crate::sealing::{Sealer, SealingError};

/// The sealed content. Unknown fields are refused, so nothing else sealed
/// with the same key (tokens, login attempts) passes for a capability.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TurnClaims {
    /// The session (its store id) the turn acts for.
    pub session_id: String,
    /// The conversation, which is also the agent's session id.
    pub conversation_id: String,
    pub turn_id: String,
    /// Unix seconds; never later than the turn's deadline.
    pub expires_at: i64,
}

/// A sealed [`TurnClaims`]: what goes into the agent's session attributes.
/// `Debug` shows nothing of it.
#[derive(Clone)]
pub struct TurnCapability(SecretString);

impl fmt::Debug for TurnCapability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TurnCapability(..)")
    }
}

impl TurnCapability {
    /// Seals `claims` with the key the Lambdas open it with.
    pub fn seal(sealer: &Sealer, claims: &TurnClaims) -> Self {
        Self(SecretString::from(sealer.seal_json(claims)))
    }

    /// The sealed text, for the session attribute and nothing else.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The claims of a capability sealed at most `lifetime_seconds` ago
    /// (by the Fernet timestamp) and not past its own expiry at `now`.
    pub fn open(
        sealer: &Sealer,
        sealed: &str,
        lifetime_seconds: u64,
        now: i64,
    ) -> Result<TurnClaims, Refusal> {
        let claims: TurnClaims =
            sealer
                .unseal_json_fresh(sealed, lifetime_seconds)
                .map_err(|error| match error {
                    SealingError::Stale => Refusal::Expired,
                    _ => Refusal::Forged,
                })?;
        if now >= claims.expires_at {
            return Err(Refusal::Expired);
        }
        Ok(claims)
    }
}
