//! Who an action acts for: a signed-in Custodian session and the tokens
//! sealed in it. How the session is found differs by caller (the BFF has
//! it at hand; a Lambda takes it from the turn's capability, see
//! `crate::turn_capability`); nothing the model says can change it.

use crate::session::{SessionTokens, Sessions};
use crate::store::SessionRecord;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ActorError {
    #[error("Your Custodian session has ended, so nothing was done. Sign in again.")]
    Ended,
    #[error("Custodian's session storage is unavailable, so nothing was done. Try again shortly.")]
    Unavailable,
}

pub struct Actor {
    pub session: SessionRecord,
    pub tokens: SessionTokens,
}

impl Actor {
    /// The actor of a live session, with its tokens unsealed.
    pub fn of_session(sessions: &Sessions, session: SessionRecord) -> Result<Self, ActorError> {
        let tokens = sessions.unseal_tokens(&session).map_err(|_| {
            tracing::warn!("session tokens failed to unseal for an action");
            ActorError::Ended
        })?;
        Ok(Self { session, tokens })
    }

    /// The actor of the session with this id, if it is still live.
    pub async fn by_session_id(sessions: &Sessions, id: &str) -> Result<Self, ActorError> {
        let session = sessions
            .by_id(id)
            .await
            .map_err(|_| ActorError::Unavailable)?
            .ok_or(ActorError::Ended)?;
        Self::of_session(sessions, session)
    }
}
