//! InvokeHarness's response events as AWS event-stream frames. Event types
//! and payloads as `aws-sdk-bedrockagentcore` 1.83 unmarshals them
//! (`InvokeHarnessStreamOutputUnmarshaller`): `messageStart`,
//! `contentBlockStart`, `contentBlockDelta`, `contentBlockStop`,
//! `messageStop`, `metadata`, and the exceptions `internalServerException`,
//! `validationException`, `runtimeClientError`.

use bytes::Bytes;
use serde_json::{Value, json};

use crate::web::event_stream_frames as frames;

pub fn message_start() -> anyhow::Result<Bytes> {
    event("messageStart", &json!({ "role": "assistant" }))
}

pub fn text_delta(index: i32, text: &str) -> anyhow::Result<Bytes> {
    event(
        "contentBlockDelta",
        &json!({ "contentBlockIndex": index, "delta": { "text": text } }),
    )
}

/// Text blocks have no start event: the start union holds only toolUse and
/// toolResult.
pub fn tool_use_start(index: i32, tool_use_id: &str, name: &str) -> anyhow::Result<Bytes> {
    let start =
        json!({ "toolUse": { "toolUseId": tool_use_id, "name": name, "type": "tool_use" } });
    event(
        "contentBlockStart",
        &json!({ "contentBlockIndex": index, "start": start }),
    )
}

/// A piece of the tool input's JSON text.
pub fn tool_use_delta(index: i32, input_piece: &str) -> anyhow::Result<Bytes> {
    event(
        "contentBlockDelta",
        &json!({ "contentBlockIndex": index, "delta": { "toolUse": { "input": input_piece } } }),
    )
}

pub fn block_stop(index: i32) -> anyhow::Result<Bytes> {
    event("contentBlockStop", &json!({ "contentBlockIndex": index }))
}

pub fn message_stop(stop_reason: &str) -> anyhow::Result<Bytes> {
    event("messageStop", &json!({ "stopReason": stop_reason }))
}

/// Usage as the router counts it: words, since it has no tokenizer.
pub fn metadata(
    input_words: usize,
    output_words: usize,
    latency_ms: u128,
) -> anyhow::Result<Bytes> {
    let usage = json!({
        "inputTokens": input_words,
        "outputTokens": output_words,
        "totalTokens": input_words + output_words,
    });
    event(
        "metadata",
        &json!({ "usage": usage, "metrics": { "latencyMs": latency_ms } }),
    )
}

/// An exception event; it ends the stream.
pub fn exception(exception_type: &str, message: &str) -> anyhow::Result<Bytes> {
    let mut payload = json!({ "message": message });
    if exception_type == "validationException" {
        payload["reason"] = "FieldValidationFailed".into();
    }
    frames::exception(exception_type, serde_json::to_vec(&payload)?)
}

fn event(event_type: &str, payload: &Value) -> anyhow::Result<Bytes> {
    frames::event(event_type, serde_json::to_vec(payload)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::event_stream_frames::header;
    use aws_smithy_eventstream::frame::read_message_from;

    #[test]
    fn tool_use_frames_carry_index_and_input_pieces() {
        let message = read_message_from(tool_use_delta(1, "{\"user_email\":").unwrap()).unwrap();
        assert_eq!(header(&message, ":event-type"), "contentBlockDelta");
        let payload: Value = serde_json::from_slice(message.payload()).unwrap();
        assert_eq!(payload["contentBlockIndex"], 1);
        assert_eq!(payload["delta"]["toolUse"]["input"], "{\"user_email\":");
    }

    #[test]
    fn exceptions_name_their_type() {
        let message = read_message_from(exception("runtimeClientError", "boom").unwrap()).unwrap();
        assert_eq!(header(&message, ":message-type"), "exception");
        assert_eq!(header(&message, ":exception-type"), "runtimeClientError");
    }
}
