//! Who the agent acts for: only ever the server session the BFF named in
//! the session attributes. Nothing the model says can change it.

use custodian_core::actions::{Actor, ActorError};
use custodian_core::bedrock_agent::SESSION_REF_ATTRIBUTE;
use custodian_core::session::Sessions;

use crate::event::ActionGroupEvent;

pub async fn resolve(sessions: &Sessions, event: &ActionGroupEvent) -> Result<Actor, ActorError> {
    let reference = event
        .session_attributes
        .get(SESSION_REF_ATTRIBUTE)
        .ok_or(ActorError::NoSession)?;
    Actor::by_session_id(sessions, reference).await
}
