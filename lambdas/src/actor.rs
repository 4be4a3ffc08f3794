//! Who the agent acts for: only ever the server session the BFF named in
//! the session attributes. Nothing the model says can change it.

use custodian_core::agent::SESSION_REF_ATTRIBUTE;
use custodian_core::session::{SessionTokens, Sessions};
use custodian_core::store::SessionRecord;

use crate::event::ActionGroupEvent;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ActorError {
    #[error(
        "Custodian could not tell who is asking (no session), so nothing was done. Sign in again."
    )]
    NoSession,
    #[error("Your Custodian session has ended, so nothing was done. Sign in again.")]
    Ended,
    #[error("Custodian's session storage is unavailable, so nothing was done. Try again shortly.")]
    Unavailable,
}

pub struct Actor {
    pub session: SessionRecord,
    pub tokens: SessionTokens,
}

pub async fn resolve(sessions: &Sessions, event: &ActionGroupEvent) -> Result<Actor, ActorError> {
    let reference = event
        .session_attributes
        .get(SESSION_REF_ATTRIBUTE)
        .ok_or(ActorError::NoSession)?;
    let session = sessions
        .by_id(reference)
        .await
        .map_err(|_| ActorError::Unavailable)?
        .ok_or(ActorError::Ended)?;
    let tokens = sessions.unseal_tokens(&session).map_err(|_| {
        tracing::warn!("session tokens failed to unseal in an action");
        ActorError::Ended
    })?;
    Ok(Actor { session, tokens })
}
