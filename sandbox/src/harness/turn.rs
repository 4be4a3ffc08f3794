//! What the sandbox harness does with each request: the deterministic
//! router's plan, and playing it onto the stream.

use lambdas::names::{AUTHENTICATE_USER, GET_USER_GROUPS, USER_EMAIL, USER_ID};
use serde_json::json;

use super::faults::HarnessFault;
use super::wire::{Ask, InvokeHarnessRequest};
use super::writer::TurnWriter;
use crate::intent_router::intent::{self, Intent, Request};

/// Multi-byte characters on purpose: clients must never split a UTF-8
/// character between pieces.
const GREETING: &str = "Hello — I'm Custodian's local sandbox harness, standing in for the \
AgentCore harness. I'm a deterministic intent router, not a language model, so I only \
understand a few requests:\n\
• look up a user's Okta groups (\"What are the Okta groups for user bob@example.com?\")\n\
• reset a user's password after you approve a push on your phone \
(\"Reset the password for bob@example.com\").\n\
Try one of those… et voilà.";

#[derive(Debug)]
pub enum Plan {
    /// A text answer; the turn ends.
    Answer(String),
    /// A sentence, then a call of the caller's inline function; the
    /// harness pauses until the caller sends the result.
    Call {
        preface: String,
        tool_use_id: String,
        name: String,
        input: String,
    },
    /// The turn fails with an exception event.
    Fail { exception_type: String },
}

pub fn plan(request: &InvokeHarnessRequest, ask: &Ask, fault: Option<HarnessFault>) -> Plan {
    match (fault, ask) {
        (Some(HarnessFault::Exception { exception_type }), _) => Plan::Fail { exception_type },
        (Some(HarnessFault::ToolUse { name, input }), Ask::Text(_)) => call(&name, input),
        (_, Ask::Text(text)) => route(request, text),
        (
            _,
            Ask::ToolResult {
                is_error: true,
                text,
                ..
            },
        ) => Plan::Answer(format!("That didn't work: {text}")),
        // The function's own words, relayed as they are.
        (_, Ask::ToolResult { text, .. }) => Plan::Answer(text.clone()),
    }
}

fn route(request: &InvokeHarnessRequest, text: &str) -> Plan {
    let (name, parameter, email) = match intent::classify(text) {
        Intent::Greeting => return Plan::Answer(GREETING.to_owned()),
        Intent::Repeat { text } => return Plan::Answer(text),
        Intent::MissingEmail(request) => {
            let what = match request {
                Request::Groups => "whose Okta groups should I look up",
                Request::ResetPassword => "whose password should I reset",
            };
            return Plan::Answer(format!(
                "Which user — {what}? Give me their email address, for example bob@example.com."
            ));
        }
        Intent::Groups { email } => (GET_USER_GROUPS, USER_EMAIL, email),
        Intent::ResetPassword { email } => (AUTHENTICATE_USER, USER_ID, email),
    };
    let Some(function) = request.offers(name) else {
        return Plan::Answer(format!(
            "This session offers me no {name} function, so I can't do that here."
        ));
    };
    if !function.declares(parameter) {
        return Plan::Answer(format!(
            "The {name} function offered here has no {parameter} parameter, so I can't call it."
        ));
    }
    call(name, json!({ parameter: email }).to_string())
}

fn call(name: &str, input: String) -> Plan {
    Plan::Call {
        preface: format!("Calling {name}."),
        tool_use_id: format!("tooluse_{}", uuid::Uuid::new_v4().simple()),
        name: name.to_owned(),
        input,
    }
}

pub async fn play(plan: Plan, input_words: usize, out: &mut TurnWriter) -> anyhow::Result<()> {
    out.message_start().await?;
    match plan {
        Plan::Answer(text) => {
            out.text(&text).await?;
            out.message_stop("end_turn", input_words).await
        }
        Plan::Call {
            preface,
            tool_use_id,
            name,
            input,
        } => {
            out.text(&preface).await?;
            out.tool_use(&tool_use_id, &name, &input).await?;
            out.message_stop("tool_use", input_words).await
        }
        Plan::Fail { exception_type } => {
            out.exception(
                &exception_type,
                "The sandbox harness was told to fail this turn.",
            )
            .await
        }
    }
}
