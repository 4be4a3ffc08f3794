//! Sending a message: the reply streams back as newline-delimited JSON
//! events, because chunk boundaries are not preserved on the way and an
//! error after the first byte must travel in-band.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::{ByteStream, Streaming};

use super::AppError;

/// Longer messages are refused before anything is sent to the agent.
pub const MAX_MESSAGE_CHARS: usize = 4000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatEvent {
    /// The message was accepted into this conversation.
    Started {
        conversation_id: String,
        title: String,
    },
    /// What the assistant is doing right now.
    Status { label: String },
    /// A notice outside the reply, such as a permission denial, with its
    /// Markdown rendered.
    Notice { text: String, html: String },
    /// A piece of the reply.
    Chunk { text: String },
    /// The reply so far, rendered: replaces the shown start of the reply.
    Formatted { formatted: super::Formatted },
    /// The reply started an approval on the user's phone: show its card.
    StepUp { step_up: Box<super::StepUpView> },
    /// The reply is complete and stored.
    Done,
    /// The reply failed; `message` is for the user.
    Error { message: String },
}

impl ChatEvent {
    /// One line of the response body.
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).unwrap_or_else(|_| {
            r#"{"type":"error","message":"Something went wrong on our side. Try again."}"#.into()
        });
        line.push('\n');
        line
    }
}

#[server(prefix = "/api", endpoint = "send_message", output = Streaming)]
pub async fn send_message(
    conversation_id: Option<String>,
    text: String,
) -> Result<ByteStream<AppError>, AppError> {
    let session = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    let text = checked_message(&text)?;
    let events = crate::ssr::chat::reply(state, session, conversation_id, text).await?;
    Ok(ByteStream::new(futures::StreamExt::map(events, |event| {
        Ok::<_, AppError>(bytes::Bytes::from(event.to_line()))
    })))
}

/// The message to send, trimmed; refused when empty or too long.
pub fn checked_message(text: &str) -> Result<String, AppError> {
    super::error::trimmed_within(text, MAX_MESSAGE_CHARS, "Type a message first.", "Messages")
}

/// Splits a growing byte buffer into complete lines and decodes each as an
/// event; an incomplete trailing line stays in the buffer. Decoding whole
/// lines keeps multi-byte characters intact across network chunks.
pub fn drain_events(buffer: &mut Vec<u8>) -> Vec<ChatEvent> {
    let mut events = Vec::new();
    while let Some(end) = buffer.iter().position(|&b| b == b'\n') {
        let line: Vec<u8> = buffer.drain(..=end).collect();
        let line = &line[..line.len() - 1];
        if line.is_empty() {
            continue;
        }
        events.push(super::from_json(line).unwrap_or_else(|_| ChatEvent::Error {
            message: "The reply could not be read. Try again.".into(),
        }));
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_survive_arbitrary_chunking_with_multibyte_text() {
        let events = vec![
            ChatEvent::Started {
                conversation_id: "c1".into(),
                title: "héllo".into(),
            },
            ChatEvent::Chunk {
                text: "Hello — I'm the sandbox… café".into(),
            },
            ChatEvent::Done,
        ];
        let body: Vec<u8> = events
            .iter()
            .flat_map(|e| e.to_line().into_bytes())
            .collect();
        for split in 1..body.len() {
            let mut buffer = Vec::new();
            let mut seen = Vec::new();
            for piece in body.chunks(split) {
                buffer.extend_from_slice(piece);
                seen.extend(drain_events(&mut buffer));
            }
            assert_eq!(seen, events, "chunk size {split}");
            assert!(buffer.is_empty());
        }
    }

    #[test]
    fn an_unreadable_line_becomes_an_error_event() {
        let mut buffer = b"{not json}\n".to_vec();
        assert!(matches!(
            drain_events(&mut buffer)[..],
            [ChatEvent::Error { .. }]
        ));
    }
}
