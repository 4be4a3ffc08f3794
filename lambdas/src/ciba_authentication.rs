//! `CIBAAuthentication.authenticate_user(user_id)` as an action-group
//! Lambda: the event's wire shape around
//! `custodian_core::actions::request_password_reset`.

use custodian_core::actions::{ActionContext, ActionOutcome, request_password_reset, reset_target};
use serde_json::Value;

use crate::actor::admit;
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

/// Who is asking comes first: nothing is looked at for a call that may not
/// act.
async fn outcome(context: &ActionContext, event: &ActionGroupEvent) -> ActionOutcome {
    let admitted = match admit(context, event, AUTHENTICATE_USER).await {
        Ok(admitted) => admitted,
        Err(refusal) => return refusal,
    };
    let target = match reset_target(event.parameter(USER_ID)) {
        Ok(target) => target,
        Err(reprompt) => return reprompt,
    };
    // The capability's conversation (the agent session it was checked
    // against): the card and the outcome appear there.
    request_password_reset(context, &admitted.actor, target, &admitted.conversation_id).await
}
