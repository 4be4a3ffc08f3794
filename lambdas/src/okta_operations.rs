//! `OktaOperations.get_user_groups(user_email)`: the groups of an Okta user,
//! read with the administrator's own Okta token, if FGA allows them.

use custodian_core::fga::{Decision, Permission};
use custodian_core::okta::OktaError;
use serde_json::Value;

use crate::actor::{Actor, resolve};
use crate::context::ActionContext;
use crate::event::{ResponseState, parse, response};
use crate::names::{GET_USER_GROUPS, OKTA_OPERATIONS, USER_EMAIL};
use crate::target::valid_login;

/// Handles one invocation; always returns a valid function response.
pub async fn handle(context: &ActionContext, raw: Value) -> Value {
    let event = match parse(raw, OKTA_OPERATIONS, GET_USER_GROUPS) {
        Ok(event) => event,
        Err(refusal) => return refusal,
    };
    let (state, body) = get_user_groups(context, event.parameter(USER_EMAIL), &event).await;
    response(OKTA_OPERATIONS, GET_USER_GROUPS, state, &body)
}

async fn get_user_groups(
    context: &ActionContext,
    target: Option<&str>,
    event: &crate::event::ActionGroupEvent,
) -> (ResponseState, String) {
    let Some(target) = target.and_then(valid_login) else {
        return (
            ResponseState::Reprompt,
            "Which user? Give the user's email address, for example bob@example.com.".into(),
        );
    };
    let actor = match resolve(&context.sessions, event).await {
        Ok(actor) => actor,
        Err(error) => return (ResponseState::Failure, error.to_string()),
    };
    let email = actor.session.user.email.clone();
    let permission = Permission::ReadOktaGroups;
    match context.fga.check(&email, permission).await {
        Decision::Allowed => {}
        Decision::Denied => {
            audit(&email, target, "denied");
            return (
                ResponseState::Answer,
                crate::denial::text(&actor, permission, target),
            );
        }
        Decision::Unavailable => {
            audit(&email, target, "permission-unavailable");
            return (
                ResponseState::Failure,
                "Custodian could not confirm your permission with Auth0 FGA (it did not answer), so nothing was read from Okta. Try again shortly.".into(),
            );
        }
    }
    match groups(context, &actor, target).await {
        Ok(groups) => {
            audit(&email, target, "read");
            let body = if groups.is_empty() {
                format!("{target} is not in any Okta groups.")
            } else {
                format!("Okta groups for {target}: {}.", groups.join(", "))
            };
            (ResponseState::Answer, body)
        }
        Err(OktaError::NoSuchUser(_)) => {
            audit(&email, target, "no-such-user");
            (ResponseState::Answer, format!("Okta has no user {target}."))
        }
        Err(error) => {
            audit(&email, target, "failed");
            (
                ResponseState::Failure,
                format!("{error}, so the groups could not be read."),
            )
        }
    }
}

/// Reads the groups with the actor's own Okta token.
async fn groups(
    context: &ActionContext,
    actor: &Actor,
    target: &str,
) -> Result<Vec<String>, OktaError> {
    context
        .vault
        .with_okta_token(
            &actor.session.id,
            actor.tokens.refresh_token.as_ref(),
            |token| async move { context.okta.user_groups(&token, target).await },
        )
        .await
}

fn audit(actor: &str, target: &str, outcome: &str) {
    custodian_core::audit::record("okta.groups", actor, target, outcome);
}
