//! The Bedrock AgentCore harness client: InvokeHarness with Custodian's
//! inline functions, read as a small stream of [`HarnessEvent`]s.
//!
//! One conversation is one harness session (`runtimeSessionId`). A user
//! message starts a turn; when the harness asks for an inline function the
//! stream ends there (the harness pauses), the caller runs the function
//! and sends the result with [`HarnessClient::send_tool_result`], which
//! continues the same session: a new InvokeHarness call carrying the
//! assistant's `toolUse` block and the user's `toolResult` block, since the
//! harness does not keep the unfinished turn. Nothing about the signed-in
//! user (session id, token, capability) is ever part of a request: the
//! caller acts for its own session when it runs a function.
//!
//! The same code talks to AWS and to the sandbox; only the endpoint in
//! settings differs. Wire: AgentCore API reference, "InvokeHarness".

mod document;
mod error;
mod events;
mod functions;
mod reply;

use aws_sdk_bedrockagentcore::Client;
use aws_sdk_bedrockagentcore::types::{
    HarnessContentBlock, HarnessConversationRole, HarnessInlineFunctionConfig, HarnessMessage,
    HarnessTool, HarnessToolConfiguration, HarnessToolResultBlock, HarnessToolResultContentBlock,
    HarnessToolType, HarnessToolUseBlock, HarnessToolUseStatus,
};
use serde_json::Value;

use crate::settings::HarnessSettings;
use document::to_document;

pub use error::HarnessError;
pub use events::{HarnessEvent, StopReason, ToolAnswer, ToolCall, ToolRefusal, ToolResult};
pub use functions::{InlineFunction, InlineFunctions};
pub use reply::HarnessReply;

/// `runtimeSessionId`: 1 to 100 characters of `[a-zA-Z0-9][a-zA-Z0-9-_]*`.
const MAX_SESSION_ID: usize = 100;

#[derive(Clone)]
pub struct HarnessClient {
    client: Client,
    harness_arn: String,
    qualifier: Option<String>,
    functions: &'static InlineFunctions,
}

impl HarnessClient {
    /// Builds the client from an AWS SDK config loaded once at start-up.
    pub fn new(sdk_config: &aws_config::SdkConfig, settings: &HarnessSettings) -> Self {
        let region = aws_sdk_bedrockagentcore::config::Region::new(settings.region().to_owned());
        let mut config = aws_sdk_bedrockagentcore::config::Builder::from(sdk_config)
            .region(region)
            .timeout_config(crate::aws_timeouts::agent());
        if let Some(endpoint) = &settings.endpoint {
            config = config.endpoint_url(endpoint.as_str().trim_end_matches('/'));
        }
        Self {
            client: Client::from_conf(config.build()),
            harness_arn: settings.harness_arn.clone(),
            qualifier: settings.qualifier.clone(),
            functions: InlineFunctions::shared(),
        }
    }

    /// Sends the user's message in the conversation's harness session.
    pub async fn send_text(
        &self,
        conversation_id: &str,
        text: &str,
    ) -> Result<HarnessReply, HarnessError> {
        let message = HarnessMessage::builder()
            .role(HarnessConversationRole::User)
            .content(HarnessContentBlock::Text(text.to_owned()))
            .build()
            .map_err(|_| HarnessError::Failed)?;
        self.invoke(conversation_id, vec![message]).await
    }

    /// Sends the result of a function Custodian ran and continues the turn.
    pub async fn send_call_result(
        &self,
        conversation_id: &str,
        call: &ToolCall,
        result: &ToolResult,
    ) -> Result<HarnessReply, HarnessError> {
        let answer = ToolAnswer::to_call(call, result.clone());
        self.send_tool_results(conversation_id, &[answer]).await
    }

    /// Tells the harness a call was refused, and why, and continues the turn.
    pub async fn send_refusal(
        &self,
        conversation_id: &str,
        refusal: &ToolRefusal,
    ) -> Result<HarnessReply, HarnessError> {
        let answer = ToolAnswer::refusing(refusal);
        self.send_tool_results(conversation_id, &[answer]).await
    }

    /// Answers a tool use and continues the turn.
    pub async fn send_tool_result(
        &self,
        conversation_id: &str,
        tool_use_id: &str,
        name: &str,
        input: &Value,
        result: &ToolResult,
    ) -> Result<HarnessReply, HarnessError> {
        let answer = ToolAnswer {
            tool_use_id: tool_use_id.to_owned(),
            name: name.to_owned(),
            input: input.clone(),
            result: result.clone(),
        };
        self.send_tool_results(conversation_id, &[answer]).await
    }

    /// Answers every tool use of the paused message at once, as the model
    /// asked for them, and continues the turn.
    pub async fn send_tool_results(
        &self,
        conversation_id: &str,
        answers: &[ToolAnswer],
    ) -> Result<HarnessReply, HarnessError> {
        let messages = resume_messages(answers).map_err(|_| HarnessError::Failed)?;
        self.invoke(conversation_id, messages).await
    }

    async fn invoke(
        &self,
        conversation_id: &str,
        messages: Vec<HarnessMessage>,
    ) -> Result<HarnessReply, HarnessError> {
        if !is_session_id(conversation_id) {
            return Err(HarnessError::BadConversation);
        }
        let tools = inline_tools(self.functions).map_err(|_| HarnessError::Failed)?;
        let output = self
            .client
            .invoke_harness()
            .harness_arn(&self.harness_arn)
            .set_qualifier(self.qualifier.clone())
            .runtime_session_id(conversation_id)
            .set_messages(Some(messages))
            .set_tools(Some(tools))
            // Only Custodian's functions: the built-in shell and
            // file_operations tools stay off.
            .set_allowed_tools(Some(
                self.functions.iter().map(|f| f.name().to_owned()).collect(),
            ))
            .send()
            .await
            .map_err(|error| HarnessError::from_call(&error))?;
        Ok(HarnessReply::new(output.stream, self.functions))
    }
}

/// The two messages that continue a paused turn: the assistant's tool uses
/// as the harness sent them, and the caller's results for them.
fn resume_messages(
    answers: &[ToolAnswer],
) -> Result<Vec<HarnessMessage>, aws_sdk_bedrockagentcore::error::BuildError> {
    let mut assistant = HarnessMessage::builder().role(HarnessConversationRole::Assistant);
    let mut user = HarnessMessage::builder().role(HarnessConversationRole::User);
    for answer in answers {
        let tool_use = HarnessToolUseBlock::builder()
            .tool_use_id(&answer.tool_use_id)
            .name(&answer.name)
            .input(to_document(&answer.input))
            .build()?;
        let status = if answer.result.is_error {
            HarnessToolUseStatus::Error
        } else {
            HarnessToolUseStatus::Success
        };
        let tool_result = HarnessToolResultBlock::builder()
            .tool_use_id(&answer.tool_use_id)
            .content(HarnessToolResultContentBlock::Text(
                answer.result.text.clone(),
            ))
            .status(status)
            .build()?;
        assistant = assistant.content(HarnessContentBlock::ToolUse(tool_use));
        user = user.content(HarnessContentBlock::ToolResult(tool_result));
    }
    Ok(vec![assistant.build()?, user.build()?])
}

fn inline_tools(
    functions: &InlineFunctions,
) -> Result<Vec<HarnessTool>, aws_sdk_bedrockagentcore::error::BuildError> {
    functions
        .iter()
        .map(|function| {
            let config = HarnessInlineFunctionConfig::builder()
                .description(function.description())
                .input_schema(to_document(&function.input_schema()))
                .build()?;
            HarnessTool::builder()
                .r#type(HarnessToolType::InlineFunction)
                .name(function.name())
                .config(HarnessToolConfiguration::InlineFunction(config))
                .build()
        })
        .collect()
}

fn is_session_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id.len() <= MAX_SESSION_ID
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_follow_the_api_pattern() {
        assert!(is_session_id("0b7d6f0e-2c1a-4f7e-9a51-3f8f2b9c1d22"));
        assert!(is_session_id("a"));
        assert!(!is_session_id(""));
        assert!(!is_session_id("-leading-dash"));
        assert!(!is_session_id("has space"));
        assert!(!is_session_id(&"a".repeat(101)));
    }
}
