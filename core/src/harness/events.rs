//! What a harness reply is made of, as Custodian sees it.

use serde_json::{Map, Value};

/// One step of a reply, in stream order.
#[derive(Clone, Debug, PartialEq)]
pub enum HarnessEvent {
    /// A piece of the answer's text.
    Text(String),
    /// The harness asks Custodian to run one of its inline functions; the
    /// reply pauses, and the result goes back with
    /// [`super::HarnessClient::send_tool_result`].
    ToolUse(ToolCall),
    /// The harness asked for something Custodian will not run (an unknown
    /// function, or input that does not match the function's schema).
    ToolRefused(ToolRefusal),
    /// The model's turn ended, and why.
    Stop(StopReason),
}

/// A checked call of a known inline function.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolCall {
    tool_use_id: String,
    name: String,
    input: Map<String, Value>,
}

impl ToolCall {
    pub(super) fn new(tool_use_id: &str, name: &str, input: Map<String, Value>) -> Self {
        Self {
            tool_use_id: tool_use_id.to_owned(),
            name: name.to_owned(),
            input,
        }
    }

    pub fn tool_use_id(&self) -> &str {
        &self.tool_use_id
    }

    /// The function's name as in `config/action-groups.json`.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn input(&self) -> &Map<String, Value> {
        &self.input
    }

    /// A string parameter's value.
    pub fn argument(&self, parameter: &str) -> Option<&str> {
        self.input.get(parameter).and_then(Value::as_str)
    }
}

/// A call Custodian refused, with a reason fit for the user and the model.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolRefusal {
    tool_use_id: String,
    name: String,
    /// The input as the harness sent it when it was JSON, else `{}`.
    input: Value,
    reason: String,
}

impl ToolRefusal {
    pub(super) fn new(tool_use_id: &str, name: &str, raw_input: &str, reason: String) -> Self {
        let input = serde_json::from_str(raw_input).unwrap_or_else(|_| Value::Object(Map::new()));
        Self {
            tool_use_id: tool_use_id.to_owned(),
            name: name.to_owned(),
            input,
            reason,
        }
    }

    pub fn input(&self) -> &Value {
        &self.input
    }

    pub fn tool_use_id(&self) -> &str {
        &self.tool_use_id
    }

    /// The name the harness asked for, as it asked (not a known function).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The error result that tells the harness the call was refused.
    pub fn to_result(&self) -> ToolResult {
        ToolResult::error(self.reason.clone())
    }
}

/// What Custodian answers a tool use with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolResult {
    pub text: String,
    /// Sent as `status: error`: the function did not do what was asked.
    pub is_error: bool,
}

impl ToolResult {
    pub fn success(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            is_error: false,
        }
    }

    pub fn error(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            is_error: true,
        }
    }
}

/// One tool use of a paused message with what Custodian answers it.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolAnswer {
    pub tool_use_id: String,
    pub name: String,
    /// The input as the harness sent it: the resumed conversation repeats
    /// the assistant's tool use verbatim.
    pub input: Value,
    pub result: ToolResult,
}

impl ToolAnswer {
    /// The result of a call Custodian ran.
    pub fn to_call(call: &ToolCall, result: ToolResult) -> Self {
        Self {
            tool_use_id: call.tool_use_id.clone(),
            name: call.name.clone(),
            input: Value::Object(call.input.clone()),
            result,
        }
    }

    /// The refusal of a call Custodian would not run.
    pub fn refusing(refusal: &ToolRefusal) -> Self {
        Self {
            tool_use_id: refusal.tool_use_id.clone(),
            name: refusal.name.clone(),
            input: refusal.input.clone(),
            result: refusal.to_result(),
        }
    }
}

/// Why the model stopped (`messageStop.stopReason`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// The answer is complete.
    EndTurn,
    /// The model called a tool; for inline functions the harness now waits
    /// for the caller's result.
    ToolUse,
    /// Any other reason (a limit, a filter, a hook), as the API spells it.
    Other(String),
}

impl StopReason {
    /// A sentence for the user when the answer was cut short, else `None`.
    pub fn explanation(&self) -> Option<String> {
        let StopReason::Other(reason) = self else {
            return None;
        };
        let text = match reason.as_str() {
            "max_tokens" | "max_output_tokens_exceeded" => {
                "The answer was cut off: it reached its length limit."
            }
            "max_iterations_exceeded" => "The assistant stopped: it took too many steps.",
            "timeout_exceeded" => "The assistant stopped: it ran out of time.",
            "content_filtered" => "The answer was withheld by a content filter.",
            "model_context_window_exceeded" => {
                "The conversation is too long for the assistant; start a new one."
            }
            "hook_stopped" | "interrupted" => "The assistant was stopped before it finished.",
            "malformed_model_output" | "malformed_tool_use" => {
                "The assistant produced an answer it could not use; try again."
            }
            "stop_sequence" | "partial_turn" | "tool_result" => return None,
            _ => "The assistant stopped early.",
        };
        Some(text.to_owned())
    }
}
