//! AWS event-stream frames (the `application/vnd.amazon.eventstream`
//! encoding) with JSON payloads, as both Bedrock stand-ins send them. The
//! framing and CRCs come from `aws-smithy-eventstream`, the code AWS's own
//! SDKs decode with.

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use bytes::Bytes;

/// An `event` frame of type `event_type`.
pub fn event(event_type: &str, payload: Vec<u8>) -> anyhow::Result<Bytes> {
    let message = Message::new(payload)
        .add_header(string_header(":message-type", "event"))
        .add_header(string_header(":event-type", event_type))
        .add_header(string_header(":content-type", "application/json"));
    encode(&message)
}

/// An `exception` frame, e.g. `throttlingException`; it ends the stream.
pub fn exception(exception_type: &str, payload: Vec<u8>) -> anyhow::Result<Bytes> {
    let message = Message::new(payload)
        .add_header(string_header(":message-type", "exception"))
        .add_header(string_header(":exception-type", exception_type))
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
