//! Sending a message and applying the streamed reply to the chat state.

use futures::StreamExt;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{ChatState, Failure, history};
use crate::api::{
    ChatEvent, ChatMessage, MessageRole, drain_events, load_conversation, send_message,
};

/// Sends `text` in the open conversation and streams the answer in.
pub fn send(state: ChatState, text: String) {
    let text = text.trim().to_owned();
    if text.is_empty() || state.streaming.get_untracked() {
        return;
    }
    state.failure.set(None);
    state.status.set(None);
    state.streaming.set(true);
    // Sending is a request to see the answer.
    state.follow.jump();
    state.draft.set(String::new());
    state.messages.update(|messages| {
        messages.push(ChatMessage::new(MessageRole::User, text.clone()));
        messages.push(ChatMessage::new(MessageRole::Assistant, String::new()));
    });
    let conversation_id = state.conversation_id.get_untracked();

    spawn_local(async move {
        let outcome = match send_message(conversation_id, text.clone()).await {
            Ok(stream) => relay(state, stream.into_inner()).await,
            Err(error) => Err(error.to_string()),
        };
        match outcome {
            Ok(()) => announce_reply(state),
            Err(message) => fail(state, message, text),
        }
        state.streaming.set(false);
        state.status.set(None);
        state.list_version.update(|v| *v += 1);
    });
}

/// Applies events until the reply ends; `Err` carries the message to show.
async fn relay(
    state: ChatState,
    stream: impl futures::Stream<Item = Result<bytes::Bytes, crate::api::AppError>>,
) -> Result<(), String> {
    let mut stream = std::pin::pin!(stream);
    let mut buffer = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|error| error.to_string())?;
        buffer.extend_from_slice(&chunk);
        for event in drain_events(&mut buffer) {
            match event {
                ChatEvent::Started {
                    conversation_id, ..
                } => {
                    if state.conversation_id.get_untracked().as_deref()
                        != Some(conversation_id.as_str())
                    {
                        history::replace(&format!("/c/{conversation_id}"));
                        state.conversation_id.set(Some(conversation_id));
                        state.list_version.update(|v| *v += 1);
                    }
                }
                ChatEvent::Status { label } => state.status.set(Some(label)),
                ChatEvent::Notice { text, html } => state.messages.update(|messages| {
                    // Before the reply that is still coming in.
                    let at = messages.len().saturating_sub(1);
                    let notice = ChatMessage::formatted(MessageRole::Notice, text, html);
                    messages.insert(at, notice);
                }),
                ChatEvent::Chunk { text } => {
                    update_reply(state, |reply| reply.text.push_str(&text));
                }
                ChatEvent::Formatted { formatted } => {
                    update_reply(state, |reply| reply.formatted = Some(formatted));
                }
                ChatEvent::StepUp { step_up } => state
                    .messages
                    .update(|messages| messages.push(ChatMessage::card(*step_up))),
                ChatEvent::Done => return Ok(()),
                ChatEvent::Error { message } => return Err(message),
            }
        }
    }
    Err("The reply was cut off. Try again.".into())
}

/// Where the reply being streamed is: the last assistant message, which
/// stays before any approval card the reply asked for.
fn reply_at(messages: &[ChatMessage]) -> Option<usize> {
    messages
        .iter()
        .rposition(|m| m.role == MessageRole::Assistant)
}

/// Hands the finished reply to screen readers.
fn announce_reply(state: ChatState) {
    let reply = state
        .messages
        .with_untracked(|messages| reply_at(messages).map(|at| messages[at].text.clone()));
    state.announcement.set(reply.unwrap_or_default());
}

/// Changes the reply being streamed.
fn update_reply(state: ChatState, change: impl FnOnce(&mut ChatMessage)) {
    state.messages.update(|messages| {
        if let Some(at) = reply_at(messages) {
            change(&mut messages[at]);
        }
    });
}

/// Shows the failure inline and keeps what the user typed.
fn fail(state: ChatState, message: String, text: String) {
    state.messages.update(|messages| {
        if messages
            .last()
            .is_some_and(|m| m.role == MessageRole::Assistant && m.text.is_empty())
        {
            messages.pop();
            // The server stored nothing when no answer started; drop the
            // optimistic copy so a retry does not show it twice.
            if messages
                .last()
                .is_some_and(|m| m.role == MessageRole::User && m.text == text)
            {
                messages.pop();
            }
        }
    });
    state.draft.set(text.clone());
    state.failure.set(Some(Failure { message, text }));
}

/// Opens a stored conversation.
pub fn open(state: ChatState, id: String, record_history: bool) {
    if state.streaming.get_untracked() {
        return;
    }
    state.drawer_open.set(false);
    state.failure.set(None);
    if record_history {
        history::push(&format!("/c/{id}"));
    }
    spawn_local(async move {
        match load_conversation(id).await {
            Ok(conversation) => {
                state.conversation_id.set(Some(conversation.id));
                state.messages.set(conversation.messages);
                state.follow.jump();
            }
            Err(error) => state.failure.set(Some(Failure {
                message: error.to_string(),
                text: String::new(),
            })),
        }
    });
}
