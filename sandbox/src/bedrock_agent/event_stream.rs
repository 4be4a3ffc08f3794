//! Encoding InvokeAgent's response events as AWS event-stream frames.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use serde_json::json;

use super::exceptions::AgentException;
use super::trace::TracePart;
use crate::web::event_stream_frames as frames;

/// A `chunk` event: a piece of the answer, base64 of its UTF-8 bytes.
pub fn chunk(text: &str) -> anyhow::Result<Bytes> {
    let payload = json!({ "bytes": STANDARD.encode(text.as_bytes()) });
    event("chunk", serde_json::to_vec(&payload)?)
}

pub fn trace(part: &TracePart<'_>) -> anyhow::Result<Bytes> {
    event("trace", serde_json::to_vec(part)?)
}

/// An exception frame, e.g. `throttlingException` with `{"message"}`; it
/// ends the stream.
pub fn exception(exception: AgentException, payload: &serde_json::Value) -> anyhow::Result<Bytes> {
    frames::exception(&exception.event_type(), serde_json::to_vec(payload)?)
}

fn event(event_type: &str, payload: Vec<u8>) -> anyhow::Result<Bytes> {
    frames::event(event_type, payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::event_stream_frames::header;
    use aws_smithy_eventstream::frame::read_message_from;

    #[test]
    fn chunk_frames_round_trip() {
        let frame = chunk("café — ok…").unwrap();
        let message = read_message_from(frame).unwrap();
        assert_eq!(header(&message, ":message-type"), "event");
        assert_eq!(header(&message, ":event-type"), "chunk");
        let payload: serde_json::Value = serde_json::from_slice(message.payload()).unwrap();
        let bytes = STANDARD.decode(payload["bytes"].as_str().unwrap()).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), "café — ok…");
    }

    #[test]
    fn exception_frames_name_their_type() {
        let kind = AgentException::DependencyFailedException;
        let frame = exception(kind, &kind.payload("Lambda failed")).unwrap();
        let message = read_message_from(frame).unwrap();
        assert_eq!(header(&message, ":message-type"), "exception");
        assert_eq!(
            header(&message, ":exception-type"),
            "dependencyFailedException"
        );
        let payload: serde_json::Value = serde_json::from_slice(message.payload()).unwrap();
        assert_eq!(payload["message"], "Lambda failed");
        assert_eq!(payload["resourceName"], "Lambda");
    }
}
