//! Calling an action group the way Bedrock does: a function-schema event
//! in, a function response out, with the real `lambdas` handlers in-process.

use std::collections::BTreeMap;

use lambdas::{ActionContext, Handler};
use serde_json::{Value, json};

use super::trace::{AGENT_VERSION, Parameter};

/// The agent's name in events, as in `config/action-groups.json`.
const AGENT_NAME: &str = "custodian-agent";

/// What the turn knows that an action-group event carries.
pub struct TurnContext {
    pub agent_id: String,
    pub agent_alias_id: String,
    pub session_id: String,
    pub input_text: String,
    pub session_attributes: BTreeMap<String, String>,
    pub prompt_session_attributes: BTreeMap<String, String>,
}

/// One function call the agent decided on.
pub struct ActionCall {
    pub action_group: &'static str,
    pub function: &'static str,
    pub parameters: Vec<Parameter>,
}

/// The function response, read back.
#[derive(Debug, PartialEq, Eq)]
pub struct ActionOutcome {
    /// `FAILURE` or `REPROMPT`; `None` for a normal answer.
    pub state: Option<String>,
    /// `responseBody.TEXT.body`.
    pub body: String,
}

impl ActionCall {
    pub fn new(action_group: &'static str, function: &'static str) -> Self {
        Self {
            action_group,
            function,
            parameters: Vec::new(),
        }
    }

    pub fn string_parameter(mut self, name: &str, value: &str) -> Self {
        self.parameters.push(Parameter {
            name: name.to_owned(),
            kind: "string".to_owned(),
            value: value.to_owned(),
        });
        self
    }

    /// The Lambda event Bedrock sends for this call (function schema).
    pub fn event(&self, turn: &TurnContext) -> Value {
        json!({
            "messageVersion": "1.0",
            "agent": {
                "name": AGENT_NAME,
                "id": turn.agent_id,
                "alias": turn.agent_alias_id,
                "version": AGENT_VERSION,
            },
            "inputText": turn.input_text,
            "sessionId": turn.session_id,
            "actionGroup": self.action_group,
            "function": self.function,
            "parameters": self.parameters,
            "sessionAttributes": turn.session_attributes,
            "promptSessionAttributes": turn.prompt_session_attributes,
        })
    }

    /// Runs the handler for this call's action group, as its Lambda would.
    pub async fn invoke(&self, context: &ActionContext, turn: &TurnContext) -> ActionOutcome {
        let Some(handler) = Handler::for_action_group(self.action_group) else {
            return ActionOutcome {
                state: Some("FAILURE".into()),
                body: format!(
                    "The sandbox agent has no action group {}.",
                    self.action_group
                ),
            };
        };
        outcome(&handler.handle(context, self.event(turn)).await)
    }
}

/// Reads a function response; a malformed one is reported as a failure.
pub fn outcome(response: &Value) -> ActionOutcome {
    let function_response = &response["response"]["functionResponse"];
    match function_response["responseBody"]["TEXT"]["body"].as_str() {
        Some(body) if response["messageVersion"] == "1.0" => ActionOutcome {
            state: function_response["responseState"]
                .as_str()
                .map(str::to_owned),
            body: body.to_owned(),
        },
        _ => ActionOutcome {
            state: Some("FAILURE".into()),
            body: "The action returned a malformed response.".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn() -> TurnContext {
        TurnContext {
            agent_id: "AGENT".into(),
            agent_alias_id: "ALIAS".into(),
            session_id: "conv-1".into(),
            input_text: "groups for bob@example.com".into(),
            session_attributes: BTreeMap::from([(
                "custodian_turn_capability".into(),
                "gAAAA-sealed".into(),
            )]),
            prompt_session_attributes: BTreeMap::new(),
        }
    }

    #[test]
    fn builds_a_bedrock_function_event() {
        let call = ActionCall::new("OktaOperations", "get_user_groups")
            .string_parameter("user_email", "bob@example.com");
        let event = call.event(&turn());
        assert_eq!(event["messageVersion"], "1.0");
        assert_eq!(event["agent"]["id"], "AGENT");
        assert_eq!(event["agent"]["alias"], "ALIAS");
        assert_eq!(event["sessionId"], "conv-1");
        assert_eq!(event["actionGroup"], "OktaOperations");
        assert_eq!(event["function"], "get_user_groups");
        assert_eq!(
            event["parameters"],
            json!([{"name": "user_email", "type": "string", "value": "bob@example.com"}])
        );
        assert_eq!(
            event["sessionAttributes"],
            json!({"custodian_turn_capability": "gAAAA-sealed"})
        );
        assert_eq!(event["promptSessionAttributes"], json!({}));
    }

    #[test]
    fn reads_function_responses() {
        let ok = json!({"messageVersion": "1.0", "response": {"actionGroup": "G", "function": "f",
            "functionResponse": {"responseBody": {"TEXT": {"body": "done"}}}}});
        assert_eq!(
            outcome(&ok),
            ActionOutcome {
                state: None,
                body: "done".into()
            }
        );
        let failed = json!({"messageVersion": "1.0", "response": {"functionResponse": {
            "responseState": "FAILURE", "responseBody": {"TEXT": {"body": "no"}}}}});
        assert_eq!(outcome(&failed).state.as_deref(), Some("FAILURE"));
        assert_eq!(outcome(&json!({})).state.as_deref(), Some("FAILURE"));
    }
}
