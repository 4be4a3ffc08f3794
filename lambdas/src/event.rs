//! The Bedrock agent's action-group invocation (function schema) and the
//! response it expects. Every path, malformed input included, produces a
//! response of the valid shape.

use std::collections::HashMap;

use custodian_core::actions::{ActionOutcome, OutcomeState};
use serde::Deserialize;
use serde_json::{Value, json};

/// The only message version Bedrock sends today.
pub const MESSAGE_VERSION: &str = "1.0";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionGroupEvent {
    pub message_version: String,
    pub action_group: String,
    pub function: String,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub session_attributes: HashMap<String, String>,
    #[serde(default)]
    pub session_id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Parameter {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

impl ActionGroupEvent {
    /// A parameter the model filled in, trimmed; empty counts as missing.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value.trim())
            .filter(|v| !v.is_empty())
    }
}

/// The function response for `action_group.function`: the outcome's body,
/// with `responseState` REPROMPT or FAILURE unless it is a plain answer.
pub fn response(action_group: &str, function: &str, outcome: &ActionOutcome) -> Value {
    let mut function_response = json!({
        "responseBody": { "TEXT": { "body": outcome.body } }
    });
    let state = match outcome.state {
        OutcomeState::Answer => None,
        OutcomeState::Reprompt => Some("REPROMPT"),
        OutcomeState::Failure => Some("FAILURE"),
    };
    if let Some(state) = state {
        function_response["responseState"] = json!(state);
    }
    json!({
        "messageVersion": MESSAGE_VERSION,
        "response": {
            "actionGroup": action_group,
            "function": function,
            "functionResponse": function_response,
        }
    })
}

/// Parses an invocation, or answers a malformed one with a valid failure
/// naming the handler's own group and function.
pub fn parse(raw: Value, action_group: &str, function: &str) -> Result<ActionGroupEvent, Value> {
    let fallback_group = raw
        .get("actionGroup")
        .and_then(Value::as_str)
        .unwrap_or(action_group)
        .to_owned();
    let fallback_function = raw
        .get("function")
        .and_then(Value::as_str)
        .unwrap_or(function)
        .to_owned();
    let refuse = |why: &str| {
        tracing::warn!(problem = why, "malformed action-group event");
        response(
            &fallback_group,
            &fallback_function,
            &ActionOutcome::failure(why),
        )
    };
    let event: ActionGroupEvent = serde_json::from_value(raw)
        .map_err(|_| refuse("The request to this action was malformed, so nothing was done."))?;
    if event.message_version != MESSAGE_VERSION {
        return Err(refuse(
            "The request to this action used an unsupported message version, so nothing was done.",
        ));
    }
    if event.action_group != action_group || event.function != function {
        return Err(refuse(
            "This action does not handle that function, so nothing was done.",
        ));
    }
    Ok(event)
}
