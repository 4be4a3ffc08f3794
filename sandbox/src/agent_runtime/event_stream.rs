//! Encoding InvokeAgent's response events as AWS event-stream frames.

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use serde_json::json;

use super::exceptions::AgentException;
use super::trace::TracePart;

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
    let message = Message::new(serde_json::to_vec(payload)?)
        .add_header(string_header(":message-type", "exception"))
        .add_header(string_header(":exception-type", &exception.event_type()))
        .add_header(string_header(":content-type", "application/json"));
    encode(&message)
}

fn event(event_type: &str, payload: Vec<u8>) -> anyhow::Result<Bytes> {
    let message = Message::new(payload)
        .add_header(string_header(":message-type", "event"))
        .add_header(string_header(":event-type", event_type))
        .add_header(string_header(":content-type", "application/json"));
    encode(&message)
}

fn string_header(name: &'static str, value: &str) -> Header {
    Header::new(name, HeaderValue::String(value.to_owned().into()))
}

fn encode(message: &Message) -> anyhow::Result<Bytes> {
    let mut frame = Vec::new();
    write_message_to(message, &mut frame)?;
    Ok(frame.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_eventstream::frame::read_message_from;

    fn header<'a>(message: &'a Message, name: &str) -> &'a str {
        let header = message
            .headers()
            .iter()
            .find(|h| h.name().as_str() == name)
            .unwrap();
        header.value().as_string().unwrap().as_str()
    }

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
