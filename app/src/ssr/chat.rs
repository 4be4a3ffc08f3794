//! A chat turn as the browser sees it: core's turn events mapped to the
//! chat's wire events.

use std::sync::Arc;

use custodian_core::chat_turn::{self, TurnError, TurnEvent};
use custodian_core::store::SessionRecord;
use futures::{Stream, StreamExt};

use super::markdown::{self, ReplyFormatter};
use super::{AppState, step_up_view, store_error};
use crate::api::{AppError, ChatEvent};

pub async fn reply(
    state: AppState,
    session: Arc<SessionRecord>,
    conversation_id: Option<String>,
    text: String,
) -> Result<impl Stream<Item = ChatEvent> + Send + 'static, AppError> {
    let events = chat_turn::start(
        state.store.clone(),
        &state.agent,
        &state.limits,
        &session,
        conversation_id,
        text,
        state.settings.app.turn_deadline(),
    )
    .await
    .map_err(|error| match error {
        TurnError::NotFound => AppError::NotFound,
        TurnError::Store(error) => store_error(error),
        TurnError::Agent(error) => AppError::Unavailable(error.to_string()),
        TurnError::Full(message) => AppError::Invalid(message),
    })?;
    let mut reply = ReplyFormatter::default();
    Ok(events.flat_map(move |event| futures::stream::iter(chat_events(event, &mut reply))))
}

/// What the browser gets for one turn event: the reply's text as it
/// comes, and its Markdown rendered each time a line of it is complete.
fn chat_events(event: TurnEvent, reply: &mut ReplyFormatter) -> Vec<ChatEvent> {
    let formatted = |formatted| ChatEvent::Formatted { formatted };
    match event {
        TurnEvent::Text(text) => {
            let rendered = reply.push(&text);
            let mut events = vec![chat_event(TurnEvent::Text(text))];
            events.extend(rendered.map(formatted));
            events
        }
        // The reply before a card or its end is shown whole.
        TurnEvent::StepUp(_) | TurnEvent::Done => {
            let mut events: Vec<_> = reply.finish().map(formatted).into_iter().collect();
            events.push(chat_event(event));
            events
        }
        other => vec![chat_event(other)],
    }
}

fn chat_event(event: TurnEvent) -> ChatEvent {
    match event {
        TurnEvent::Started {
            conversation_id,
            title,
        } => ChatEvent::Started {
            conversation_id,
            title,
        },
        TurnEvent::Status(label) => ChatEvent::Status { label },
        TurnEvent::Notice(text) => ChatEvent::Notice {
            html: markdown::to_html(&text),
            text,
        },
        TurnEvent::Text(text) => ChatEvent::Chunk { text },
        TurnEvent::StepUp(record) => ChatEvent::StepUp {
            step_up: Box::new(step_up_view(&record)),
        },
        TurnEvent::Done => ChatEvent::Done,
        TurnEvent::Failed(message) => ChatEvent::Error { message },
    }
}
