//! `CIBAAuthentication.authenticate_user(user_id)`: a password reset that
//! waits for the administrator's approval on their phone. The handler only
//! checks the permission, sends the push and records the request; it
//! answers at once. The reset runs later, once, when the approval arrives.

use custodian_core::fga::{Decision, Permission};
use custodian_core::step_up::request_step_up;
use serde_json::Value;

use crate::actor::resolve;
use crate::context::ActionContext;
use crate::event::{ActionGroupEvent, ResponseState, parse, response};
use crate::names::{AUTHENTICATE_USER, CIBA_AUTHENTICATION, USER_ID};
use crate::target::valid_login;

/// Handles one invocation; always returns a valid function response.
pub async fn handle(context: &ActionContext, raw: Value) -> Value {
    let event = match parse(raw, CIBA_AUTHENTICATION, AUTHENTICATE_USER) {
        Ok(event) => event,
        Err(refusal) => return refusal,
    };
    let (state, body) = authenticate_user(context, &event).await;
    response(CIBA_AUTHENTICATION, AUTHENTICATE_USER, state, &body)
}

async fn authenticate_user(
    context: &ActionContext,
    event: &ActionGroupEvent,
) -> (ResponseState, String) {
    let Some(target) = event.parameter(USER_ID).and_then(valid_login) else {
        return (
            ResponseState::Reprompt,
            "Whose password? Give the user's email address, for example bob@example.com.".into(),
        );
    };
    // The agent session is the conversation: the card and the outcome
    // appear there.
    let Some(conversation_id) = event.session_id.as_deref().filter(|id| !id.is_empty()) else {
        return (
            ResponseState::Failure,
            "Custodian could not tell which conversation this belongs to, so no approval request was sent.".into(),
        );
    };
    let actor = match resolve(&context.sessions, event).await {
        Ok(actor) => actor,
        Err(error) => return (ResponseState::Failure, error.to_string()),
    };
    let email = &actor.session.user.email;
    let permission = Permission::ResetPassword;
    match context.fga.check(email, permission).await {
        Decision::Allowed => {}
        Decision::Denied => {
            custodian_core::audit::record("step_up.refused", email, target, "permission-denied");
            return (
                ResponseState::Answer,
                crate::denial::text(&actor, permission, target),
            );
        }
        Decision::Unavailable => {
            return (
                ResponseState::Failure,
                "Custodian could not confirm your permission with Auth0 FGA (it did not answer), so no approval request was sent. Try again shortly.".into(),
            );
        }
    }
    let requested = request_step_up(
        &context.ciba,
        context.sessions.store().as_ref(),
        context.sessions.sealer(),
        &actor.session,
        target,
        conversation_id,
        context.ciba_expiry_seconds,
    )
    .await;
    match requested {
        Ok(record) => (
            ResponseState::Answer,
            format!(
                "I sent an approval request to your phone. Approve the request showing code {} to reset the password of {target}. It expires in {} minutes; the result will appear in this conversation.",
                record.binding_code,
                ((record.expires_at - record.created_at) + 59) / 60,
            ),
        ),
        Err(error) => (
            ResponseState::Failure,
            format!("{error}, so the password was not reset."),
        ),
    }
}
