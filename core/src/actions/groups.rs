//! `get_user_groups(user_email)`: the groups of an Okta user, read with the
//! administrator's own Okta token, if FGA allows them.

use crate::fga::{Decision, Permission};
use crate::okta::OktaError;

use super::{ActionContext, ActionOutcome, Actor, denial, valid_login};

/// The user to look up, or a request to name one.
pub fn groups_target(user_email: Option<&str>) -> Result<&str, ActionOutcome> {
    user_email.and_then(valid_login).ok_or_else(|| {
        ActionOutcome::reprompt(
            "Which user? Give the user's email address, for example bob@example.com.",
        )
    })
}

/// Reads `target`'s groups for `actor`, if FGA allows it.
pub async fn get_user_groups(
    context: &ActionContext,
    actor: &Actor,
    target: &str,
) -> ActionOutcome {
    let email = actor.session.user.email.as_str();
    let permission = Permission::ReadOktaGroups;
    match context.fga.check(email, permission).await {
        Decision::Allowed => {}
        Decision::Denied => {
            audit(context, email, target, "denied").await;
            let text = denial::explain(context, actor, permission, target).await;
            return ActionOutcome::answer(text);
        }
        Decision::Unavailable => {
            audit(context, email, target, "permission-unavailable").await;
            return ActionOutcome::failure(
                "Custodian could not confirm your permission with Auth0 FGA (it did not answer), so nothing was read from Okta. Try again shortly.",
            );
        }
    }
    match read_groups(context, actor, target).await {
        Ok(groups) => {
            audit(context, email, target, "read").await;
            ActionOutcome::answer(if groups.is_empty() {
                format!("{target} is not in any Okta groups.")
            } else {
                format!("Okta groups for {target}: {}.", groups.join(", "))
            })
        }
        Err(OktaError::NotConnected) => {
            audit(context, email, target, "not-connected").await;
            let did_not = format!("did not read the Okta groups of {target}");
            ActionOutcome::answer(crate::auth0::not_connected_text(&did_not))
        }
        Err(OktaError::NoSuchUser(_)) => {
            audit(context, email, target, "no-such-user").await;
            ActionOutcome::answer(format!("Okta has no user {target}."))
        }
        Err(error) => {
            audit(context, email, target, "failed").await;
            ActionOutcome::failure(format!("{error}, so the groups could not be read."))
        }
    }
}

/// Reads the groups with the actor's own Okta token.
pub(crate) async fn read_groups(
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

async fn audit(context: &ActionContext, actor: &str, target: &str, outcome: &str) {
    context
        .audit
        .record("okta.groups", actor, target, outcome)
        .await;
}
