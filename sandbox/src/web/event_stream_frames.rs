//! AWS event-stream frames (the `application/vnd.amazon.eventstream`
//! encoding) with JSON payloads, as both Bedrock stand-ins send them. The
//! framing and CRCs come from `aws-smithy-eventstream`, the code AWS's own
//! SDKs decode with.

use std::time::Duration;

use anyhow::anyhow;
use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use bytes::Bytes;
use tokio::sync::mpsc;

/// One turn's response stream, paced like a model writing: every frame
/// after the first waits the delay. The wait is the emulated behaviour.
pub struct PacedFrames {
    sender: mpsc::Sender<Bytes>,
    delay: Duration,
    sent: usize,
}

impl PacedFrames {
    pub fn new(sender: mpsc::Sender<Bytes>, delay: Duration) -> Self {
        Self {
            sender,
            delay,
            sent: 0,
        }
    }

    /// Frames sent so far.
    pub fn sent(&self) -> usize {
        self.sent
    }

    /// Resolves once the client has stopped reading.
    pub async fn closed(&self) {
        self.sender.closed().await
    }

    pub async fn send(&mut self, frame: Bytes) -> anyhow::Result<()> {
        if self.sent > 0 {
            tokio::time::sleep(self.delay).await;
        }
        self.sent += 1;
        self.sender
            .send(frame)
            .await
            .map_err(|_| anyhow!("the client stopped reading the stream"))
    }
}

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

/// The string value of a frame's header, for tests that read frames back.
#[cfg(test)]
pub fn header<'a>(message: &'a Message, name: &str) -> &'a str {
    let header = message
        .headers()
        .iter()
        .find(|h| h.name().as_str() == name)
        .unwrap();
    header.value().as_string().unwrap().as_str()
}

/// The frames a writer task sends, as a response body stream.
pub fn frame_stream(
    receiver: tokio::sync::mpsc::Receiver<bytes::Bytes>,
) -> impl futures::Stream<Item = Result<bytes::Bytes, std::convert::Infallible>> {
    futures::stream::unfold(receiver, |mut receiver| async move {
        let frame = receiver.recv().await?;
        Some((Ok(frame), receiver))
    })
}
