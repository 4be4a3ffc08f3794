//! The InvokeHarness request body (AgentCore API reference,
//! "InvokeHarness"; field names as `aws-sdk-bedrockagentcore` serializes
//! them in `shape_invoke_harness_input` and `shape_harness_*`) and what a
//! request asks the harness to do.

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::AwsError;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvokeHarnessRequest {
    pub messages: Option<Vec<Message>>,
    #[serde(default)]
    pub tools: Option<Vec<Tool>>,
    #[serde(default)]
    pub allowed_tools: Option<Vec<String>>,
    // actorId, model, systemPrompt, skills, maxIterations, maxTokens and
    // timeoutSeconds are accepted and have no effect on the router.
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

#[derive(Debug, Deserialize)]
pub struct Message {
    pub role: Role,
    pub content: Vec<ContentBlock>,
}

/// A union: exactly one member per block.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ContentBlock {
    Text(String),
    ToolUse(ToolUse),
    ToolResult(ToolResult),
    ReasoningContent(IgnoredAny),
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ToolUse {
    pub tool_use_id: String,
    pub name: String,
    pub input: Value,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolResult {
    pub tool_use_id: String,
    pub content: Vec<ToolResultContent>,
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ToolResultContent {
    Text(String),
    Json(Value),
}

#[derive(Debug, Deserialize)]
pub struct Tool {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: Option<String>,
    pub config: Option<ToolConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ToolConfig {
    InlineFunction(InlineFunction),
    RemoteMcp(IgnoredAny),
    AgentCoreBrowser(IgnoredAny),
    AgentCoreGateway(IgnoredAny),
    AgentCoreCodeInterpreter(IgnoredAny),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InlineFunction {
    pub description: String,
    pub input_schema: Value,
}

/// What the last message asks for.
#[derive(Debug)]
pub enum Ask {
    /// A new user message.
    Text(String),
    /// The caller's result for the assistant's inline tool use, which the
    /// caller repeats in the message before it.
    ToolResult {
        tool_use: ToolUse,
        is_error: bool,
        text: String,
    },
}

impl InvokeHarnessRequest {
    pub fn parse(body: &[u8]) -> Result<Self, AwsError> {
        let request: Self = serde_json::from_slice(body)
            .map_err(|err| AwsError::validation(format!("Malformed request body: {err}")))?;
        if request.messages.as_ref().is_none_or(Vec::is_empty) {
            return Err(AwsError::validation("messages is required."));
        }
        for tool in request.tools.iter().flatten() {
            check_tool(tool)?;
        }
        Ok(request)
    }

    /// The inline function `name` if this call offers it and allows it.
    pub fn offers(&self, name: &str) -> Option<&InlineFunction> {
        let allowed = self
            .allowed_tools
            .as_ref()
            .is_none_or(|list| list.iter().any(|t| t == "*" || t == name));
        let function = self
            .tools
            .iter()
            .flatten()
            .find_map(|tool| match &tool.config {
                Some(ToolConfig::InlineFunction(f)) if tool.name.as_deref() == Some(name) => {
                    Some(f)
                }
                _ => None,
            });
        function.filter(|_| allowed)
    }

    /// What the last message asks the harness to do.
    pub fn ask(&self) -> Result<Ask, AwsError> {
        let messages = self.messages.as_deref().unwrap_or_default();
        let (last, earlier) = messages
            .split_last()
            .ok_or_else(|| AwsError::validation("messages is required."))?;
        if last.role != Role::User {
            return Err(AwsError::validation(
                "The last message must have the user role.",
            ));
        }
        if let Some(result) = last.content.iter().find_map(|b| match b {
            ContentBlock::ToolResult(r) => Some(r),
            _ => None,
        }) {
            return tool_result_ask(result, earlier.last());
        }
        let text: Vec<&str> = last
            .content
            .iter()
            .filter_map(|b| match b {
                ContentBlock::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        if text.is_empty() {
            return Err(AwsError::validation(
                "The user message has no text or toolResult block.",
            ));
        }
        Ok(Ask::Text(text.join("\n")))
    }
}

/// An inline function needs a description (1 to 4096 characters) and a
/// JSON Schema object (API reference, "HarnessInlineFunctionConfig").
fn check_tool(tool: &Tool) -> Result<(), AwsError> {
    let inline = match &tool.config {
        Some(ToolConfig::InlineFunction(f)) => Some(f),
        _ => None,
    };
    if (tool.kind == "inline_function") != inline.is_some() {
        return Err(AwsError::validation(
            "A tool's type must match its config (inline_function needs inlineFunction).",
        ));
    }
    let Some(function) = inline else {
        return Ok(());
    };
    let described = (1..=4096).contains(&function.description.chars().count());
    if !described || !function.input_schema.is_object() || tool.name.is_none() {
        return Err(AwsError::validation(
            "An inline function needs a name, a description and an inputSchema object.",
        ));
    }
    Ok(())
}

impl InlineFunction {
    /// Whether the input schema declares `parameter`.
    pub fn declares(&self, parameter: &str) -> bool {
        self.input_schema
            .get("properties")
            .and_then(|p| p.get(parameter))
            .is_some()
    }
}

/// The harness does not keep a paused turn: the assistant's toolUse must be
/// sent again right before the user's toolResult for it.
fn tool_result_ask(result: &ToolResult, previous: Option<&Message>) -> Result<Ask, AwsError> {
    let tool_use = previous
        .filter(|m| m.role == Role::Assistant)
        .and_then(|m| {
            m.content.iter().find_map(|b| match b {
                ContentBlock::ToolUse(u) if u.tool_use_id == result.tool_use_id => Some(u.clone()),
                _ => None,
            })
        })
        .ok_or_else(|| {
            AwsError::validation(
                "A toolResult must follow the assistant message with the toolUse it answers.",
            )
        })?;
    let text = result
        .content
        .iter()
        .map(|c| match c {
            ToolResultContent::Text(t) => t.clone(),
            ToolResultContent::Json(v) => v.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Ask::ToolResult {
        tool_use,
        is_error: result.status.as_deref() == Some("error"),
        text,
    })
}
