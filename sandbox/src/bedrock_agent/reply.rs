//! What the sandbox agent says and does for each intent.

use std::sync::Arc;

use lambdas::ActionContext;
use lambdas::names::{
    AUTHENTICATE_USER, CIBA_AUTHENTICATION, GET_USER_GROUPS, OKTA_OPERATIONS, USER_EMAIL, USER_ID,
};

use super::action::{ActionCall, ActionOutcome, TurnContext};
use super::writer::EventWriter;
use crate::intent_router::intent::{Intent, Request};

/// Multi-byte characters (em dash, bullets, ellipsis, accents) on purpose:
/// clients must never split a UTF-8 character between chunks.
const GREETING: &str = "Hello — I'm Custodian's local sandbox agent. \
I'm a deterministic intent router, not a language model, so I only understand a few requests. \
Here is what Custodian can do:\n\
• look up a user's Okta groups (\"What are the Okta groups for user bob@example.com?\")\n\
• reset a user's password after you approve a push on your phone \
(\"Reset the password for bob@example.com\").\n\
Try one of those… et voilà.";

const NO_ACTIONS: &str = "Actions aren't configured in this sandbox, so I can't look anything up \
in Okta or reset passwords. Start the sandbox with Custodian's config to enable them.";

pub async fn respond(
    intent: Intent,
    turn: &TurnContext,
    actions: Option<&Arc<ActionContext>>,
    out: &mut EventWriter,
) -> anyhow::Result<()> {
    let call = match intent {
        Intent::Greeting => {
            out.rationale(
                "Routing the request… no supported intent matched, so the sandbox agent \
                 introduces itself and lists what it can do.",
            )
            .await?;
            return out.answer(GREETING).await;
        }
        Intent::Repeat { text } => {
            out.rationale("The user asks for their words back, as written.")
                .await?;
            return out.answer(&text).await;
        }
        Intent::MissingEmail(request) => {
            out.rationale("The request names no user, so the agent asks which one.")
                .await?;
            let what = match request {
                Request::Groups => "whose Okta groups should I look up",
                Request::ResetPassword => "whose password should I reset",
            };
            return out
                .answer(&format!(
                    "Which user — {what}? Give me their email address, for example bob@example.com."
                ))
                .await;
        }
        Intent::Groups { email } => {
            out.rationale(&format!(
                "The user asks for the Okta groups of {email}: calling \
                 {OKTA_OPERATIONS}.{GET_USER_GROUPS}."
            ))
            .await?;
            ActionCall::new(OKTA_OPERATIONS, GET_USER_GROUPS).string_parameter(USER_EMAIL, &email)
        }
        Intent::ResetPassword { email } => {
            out.rationale(&format!(
                "The user asks to reset the password of {email}: calling \
                 {CIBA_AUTHENTICATION}.{AUTHENTICATE_USER}, which asks for their approval first."
            ))
            .await?;
            ActionCall::new(CIBA_AUTHENTICATION, AUTHENTICATE_USER)
                .string_parameter(USER_ID, &email)
        }
    };
    let Some(actions) = actions else {
        return out.answer(NO_ACTIONS).await;
    };
    out.invocation_input(call.action_group, call.function, &call.parameters)
        .await?;
    let outcome = call.invoke(actions, turn).await;
    out.observation(&outcome.body).await?;
    out.answer(&final_answer(&outcome)).await
}

/// The handler's words, relayed as they are; a failure or a request for
/// more information is called what it is.
fn final_answer(outcome: &ActionOutcome) -> String {
    match outcome.state.as_deref() {
        Some("FAILURE") => format!("That didn't work: {}", outcome.body),
        Some("REPROMPT") => format!("I need more information: {}", outcome.body),
        _ => outcome.body.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_answers_relay_the_body() {
        let answer = |state: Option<&str>| {
            final_answer(&ActionOutcome {
                state: state.map(str::to_owned),
                body: "Okta groups for bob: Engineering.".into(),
            })
        };
        assert_eq!(answer(None), "Okta groups for bob: Engineering.");
        assert!(answer(Some("FAILURE")).starts_with("That didn't work: Okta groups"));
        assert!(answer(Some("REPROMPT")).starts_with("I need more information: "));
    }
}
