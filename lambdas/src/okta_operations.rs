//! `OktaOperations.get_user_groups(user_email)` as an action-group Lambda:
//! the event's wire shape around `custodian_core::actions::get_user_groups`.

use custodian_core::actions::{ActionContext, ActionOutcome, get_user_groups, groups_target};
use serde_json::Value;

use crate::actor::admit;
use crate::event::{ActionGroupEvent, parse, response};
use crate::names::{GET_USER_GROUPS, OKTA_OPERATIONS, USER_EMAIL};

/// Handles one invocation; always returns a valid function response.
pub async fn handle(context: &ActionContext, raw: Value) -> Value {
    let event = match parse(raw, OKTA_OPERATIONS, GET_USER_GROUPS) {
        Ok(event) => event,
        Err(refusal) => return refusal,
    };
    let outcome = outcome(context, &event).await;
    response(OKTA_OPERATIONS, GET_USER_GROUPS, &outcome)
}

/// Who is asking comes first: nothing is looked at for a call that may not
/// act.
async fn outcome(context: &ActionContext, event: &ActionGroupEvent) -> ActionOutcome {
    let admitted = match admit(context, event, GET_USER_GROUPS).await {
        Ok(admitted) => admitted,
        Err(refusal) => return refusal,
    };
    match groups_target(event.parameter(USER_EMAIL)) {
        Ok(target) => get_user_groups(context, &admitted.actor, target).await,
        Err(reprompt) => reprompt,
    }
}
