//! `CIBAAuthentication.authenticate_user(user_id)` as an action-group
//! Lambda: the event's wire shape around
//! `custodian_core::actions::request_password_reset`.

use custodian_core::actions::{ActionContext, ActionOutcome, request_password_reset, reset_target};
use serde_json::Value;

use crate::actor::resolve;
use crate::event::{ActionGroupEvent, parse, response};
use crate::names::{AUTHENTICATE_USER, CIBA_AUTHENTICATION, USER_ID};

/// Handles one invocation; always returns a valid function response.
pub async fn handle(context: &ActionContext, raw: Value) -> Value {
    let event = match parse(raw, CIBA_AUTHENTICATION, AUTHENTICATE_USER) {
        Ok(event) => event,
        Err(refusal) => return refusal,
    };
    let outcome = outcome(context, &event).await;
    response(CIBA_AUTHENTICATION, AUTHENTICATE_USER, &outcome)
}

async fn outcome(context: &ActionContext, event: &ActionGroupEvent) -> ActionOutcome {
    let target = match reset_target(event.parameter(USER_ID)) {
        Ok(target) => target,
        Err(reprompt) => return reprompt,
    };
    // The agent session is the conversation: the card and the outcome
    // appear there.
    let Some(conversation_id) = event.session_id.as_deref().filter(|id| !id.is_empty()) else {
        return ActionOutcome::failure(
            "Custodian could not tell which conversation this belongs to, so no approval request was sent.",
        );
    };
    match resolve(&context.sessions, event).await {
        Ok(actor) => request_password_reset(context, &actor, target, conversation_id).await,
        Err(error) => ActionOutcome::failure(error.to_string()),
    }
}
