//! One chat turn: ask the agent, relay its events, store both sides.

use std::collections::HashSet;
use std::sync::Arc;

use custodian_core::agent::{AgentEvent, AgentReply};
use custodian_core::store::{Conversation, Message, Role, SessionRecord, StoreError};
use custodian_core::time::now_unix;
use futures::Stream;
use tokio::sync::mpsc;

use super::{AppState, store_error};
use crate::api::{AppError, ChatEvent};

const TITLE_CHARS: usize = 60;

/// Starts the turn. Fails before anything is stored when the conversation is
/// unknown or the agent cannot be reached, so the user's text is never half
/// saved; afterwards every outcome travels as an event.
pub async fn reply(
    state: AppState,
    session: Arc<SessionRecord>,
    conversation_id: Option<String>,
    text: String,
) -> Result<impl Stream<Item = ChatEvent> + Send + 'static, AppError> {
    let owner = session.user.sub.clone();
    let existing = match &conversation_id {
        Some(id) => Some(
            state
                .store
                .get_conversation(&owner, id)
                .await
                .map_err(store_error)?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let (id, title) = match &existing {
        Some(conversation) => (conversation.id.clone(), conversation.title.clone()),
        None => (uuid::Uuid::new_v4().to_string(), title_for(&text)),
    };

    // Approval cards this turn creates are the ones not there before it.
    let earlier_step_ups: HashSet<String> = match &existing {
        Some(_) => state
            .store
            .list_step_ups(&owner, &id)
            .await
            .map_err(store_error)?
            .into_iter()
            .map(|record| record.id)
            .collect(),
        None => Default::default(),
    };

    let agent_reply = state
        .agent
        .invoke(&id, &text, &session.id)
        .await
        .map_err(|error| AppError::Unavailable(error.to_string()))?;

    let now = now_unix();
    let user_message = Message {
        role: Role::User,
        text,
        at: now,
    };
    if existing.is_none() {
        state
            .store
            .create_conversation(&Conversation {
                id: id.clone(),
                owner: owner.clone(),
                title: title.clone(),
                created_at: now,
                updated_at: now,
                messages: Vec::new(),
            })
            .await
            .map_err(store_error)?;
    }
    state
        .store
        .append_message(&owner, &id, &user_message)
        .await
        .map_err(store_error)?;

    let (sender, receiver) = mpsc::channel(32);
    let _ = sender
        .send(ChatEvent::Started {
            conversation_id: id.clone(),
            title,
        })
        .await;

    // The relay runs on its own task so the answer is stored even when the
    // browser goes away mid-reply.
    let relay = Relay {
        state,
        owner,
        id,
        sender,
    };
    tokio::spawn(relay.run(agent_reply, earlier_step_ups));

    Ok(futures::stream::unfold(receiver, |mut receiver| async {
        receiver.recv().await.map(|event| (event, receiver))
    }))
}

/// Carries one reply from the agent to the browser and the store.
struct Relay {
    state: AppState,
    owner: String,
    id: String,
    sender: mpsc::Sender<ChatEvent>,
}

impl Relay {
    async fn run(self, mut agent_reply: AgentReply, earlier_step_ups: HashSet<String>) {
        let mut answer = String::new();
        let outcome = loop {
            match agent_reply.next().await {
                Ok(Some(AgentEvent::Text(piece))) => {
                    answer.push_str(&piece);
                    self.emit(ChatEvent::Chunk { text: piece }).await;
                }
                Ok(Some(AgentEvent::Status(label))) => {
                    self.emit(ChatEvent::Status { label }).await;
                }
                Ok(Some(AgentEvent::Denied(text))) => {
                    if let Err(error) = self.store(Role::Notice, text.clone()).await {
                        tracing::error!(error = %error, "could not store a notice");
                    }
                    self.emit(ChatEvent::Notice { text }).await;
                }
                Ok(None) => break Ok(()),
                Err(error) => break Err(error.to_string()),
            }
        };
        // A reply the agent broke off is not kept as if it were whole: the
        // conversation records why it ended instead.
        let closing = match &outcome {
            Ok(()) if answer.is_empty() => None,
            Ok(()) => Some((Role::Assistant, answer)),
            Err(message) => Some((Role::Notice, message.clone())),
        };
        if let Some((role, text)) = closing
            && let Err(error) = self.store(role, text).await
        {
            let message = store_error(error).to_string();
            return self.emit(ChatEvent::Error { message }).await;
        }
        self.announce_step_ups(&earlier_step_ups).await;
        self.emit(match outcome {
            Ok(()) => ChatEvent::Done,
            Err(message) => ChatEvent::Error { message },
        })
        .await;
    }

    /// Approvals this turn asked for get their cards.
    async fn announce_step_ups(&self, earlier: &HashSet<String>) {
        let Ok(step_ups) = self.state.store.list_step_ups(&self.owner, &self.id).await else {
            return;
        };
        for record in step_ups.iter().filter(|r| !earlier.contains(&r.id)) {
            let step_up = super::step_up_view(record);
            self.emit(ChatEvent::StepUp { step_up }).await;
        }
    }

    async fn store(&self, role: Role, text: String) -> Result<(), StoreError> {
        let message = Message {
            role,
            text,
            at: now_unix(),
        };
        self.state
            .store
            .append_message(&self.owner, &self.id, &message)
            .await
    }

    /// The browser may have gone; the reply is stored all the same.
    async fn emit(&self, event: ChatEvent) {
        let _ = self.sender.send(event).await;
    }
}

/// The first words of the first message, cut on a character boundary.
fn title_for(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() <= TITLE_CHARS {
        return line.to_owned();
    }
    let cut: String = line.chars().take(TITLE_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::title_for;

    #[test]
    fn titles_are_short_single_lines() {
        assert_eq!(title_for("hello\nsecond line"), "hello");
        let long = "é".repeat(100);
        let title = title_for(&long);
        assert_eq!(title.chars().count(), 60);
        assert!(title.ends_with('…'));
    }
}
