//! One InvokeHarness response stream, read as [`HarnessEvent`]s.
//!
//! Tool-use input arrives as JSON text in pieces (`contentBlockDelta`
//! `toolUse.input`) between a `contentBlockStart` that names the tool and
//! a `contentBlockStop` with the same `contentBlockIndex`; the call is
//! checked once the block is complete.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_bedrockagentcore::primitives::event_stream::EventReceiver;
use aws_sdk_bedrockagentcore::types::error::InvokeHarnessStreamOutputError;
use aws_sdk_bedrockagentcore::types::{
    HarnessContentBlockDelta, HarnessContentBlockStart, HarnessStopReason, HarnessToolUseType,
    InvokeHarnessStreamOutput,
};

use super::error::HarnessError;
use super::events::{HarnessEvent, StopReason};
use super::functions::InlineFunctions;

/// How long one wait for the next event may take. `recv()` has no timeout
/// of its own.
const EVENT_TIMEOUT: Duration = Duration::from_secs(90);

struct PendingToolUse {
    tool_use_id: String,
    name: String,
    input: String,
}

pub struct HarnessReply {
    events: EventReceiver<InvokeHarnessStreamOutput, InvokeHarnessStreamOutputError>,
    functions: &'static InlineFunctions,
    tool_uses: HashMap<i32, PendingToolUse>,
}

impl HarnessReply {
    pub(super) fn new(
        events: EventReceiver<InvokeHarnessStreamOutput, InvokeHarnessStreamOutputError>,
        functions: &'static InlineFunctions,
    ) -> Self {
        Self {
            events,
            functions,
            tool_uses: HashMap::new(),
        }
    }

    /// The next event, or `None` once the stream has ended (after a tool
    /// use, the harness is then waiting for its result).
    pub async fn next(&mut self) -> Result<Option<HarnessEvent>, HarnessError> {
        loop {
            let received = tokio::time::timeout(EVENT_TIMEOUT, self.events.recv())
                .await
                .map_err(|_| HarnessError::TimedOut)?;
            let event = match received {
                Ok(Some(event)) => event,
                Ok(None) => return Ok(None),
                Err(error) => return Err(HarnessError::from_stream(&error)),
            };
            if let Some(event) = self.apply(event) {
                return Ok(Some(event));
            }
        }
    }

    fn apply(&mut self, event: InvokeHarnessStreamOutput) -> Option<HarnessEvent> {
        match event {
            InvokeHarnessStreamOutput::ContentBlockStart(start) => {
                self.start_block(start.content_block_index, start.start?);
                None
            }
            InvokeHarnessStreamOutput::ContentBlockDelta(delta) => {
                self.delta(delta.content_block_index, delta.delta?)
            }
            InvokeHarnessStreamOutput::ContentBlockStop(stop) => {
                let pending = self.tool_uses.remove(&stop.content_block_index)?;
                let checked =
                    self.functions
                        .check_call(&pending.tool_use_id, &pending.name, &pending.input);
                Some(match checked {
                    Ok(call) => HarnessEvent::ToolUse(call),
                    Err(refusal) => {
                        tracing::warn!(
                            tool_use_id = refusal.tool_use_id(),
                            "harness tool use refused"
                        );
                        HarnessEvent::ToolRefused(refusal)
                    }
                })
            }
            InvokeHarnessStreamOutput::MessageStop(stop) => {
                Some(HarnessEvent::Stop(stop_reason(&stop.stop_reason)))
            }
            InvokeHarnessStreamOutput::HookEvent(hook) => {
                tracing::info!(hook = hook.name, decision = ?hook.decision, "harness hook");
                None
            }
            // messageStart, metadata (usage, latency) and kinds newer than
            // this SDK carry nothing the chat shows.
            _ => None,
        }
    }

    fn start_block(&mut self, index: i32, start: HarnessContentBlockStart) {
        let HarnessContentBlockStart::ToolUse(tool_use) = start else {
            return;
        };
        // Server and MCP tools run inside the harness; only inline
        // functions (plain tool_use) come back to Custodian.
        let inline = matches!(tool_use.r#type, None | Some(HarnessToolUseType::ToolUse))
            && tool_use.server_name.is_none();
        if inline {
            self.tool_uses.insert(
                index,
                PendingToolUse {
                    tool_use_id: tool_use.tool_use_id,
                    name: tool_use.name,
                    input: String::new(),
                },
            );
        }
    }

    fn delta(&mut self, index: i32, delta: HarnessContentBlockDelta) -> Option<HarnessEvent> {
        match delta {
            HarnessContentBlockDelta::Text(text) if !text.is_empty() => {
                Some(HarnessEvent::Text(text))
            }
            HarnessContentBlockDelta::ToolUse(piece) => {
                if let Some(pending) = self.tool_uses.get_mut(&index) {
                    pending.input.push_str(&piece.input);
                }
                None
            }
            _ => None,
        }
    }
}

fn stop_reason(reason: &HarnessStopReason) -> StopReason {
    match reason {
        HarnessStopReason::EndTurn => StopReason::EndTurn,
        HarnessStopReason::ToolUse => StopReason::ToolUse,
        other => StopReason::Other(other.as_str().to_owned()),
    }
}
