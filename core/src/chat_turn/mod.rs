//! One chat turn: the user's message joins its conversation, the agent is
//! asked, its events are relayed as typed turn events, and the answer is
//! stored. The UI only maps these events to what it sends the browser.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::{Instant, timeout_at};
use tokio_stream::wrappers::ReceiverStream;

mod agent;
mod agent_event;
mod harness_turn;
mod refused;

pub use agent::{Agent, AgentFailure, ClassicHost, HarnessHost};
pub use agent_event::{AgentEvent, tool_label};

use crate::limits::{CapacityError, LimitError, Limits};
use crate::store::{Conversation, Message, Role, SessionRecord, StepUpRecord, Store, StoreError};
use crate::time::now_unix;
use agent::Reply;

const TITLE_CHARS: usize = 60;

/// What the chat says of a reply cut off by the turn's deadline.
const DEADLINE_MESSAGE: &str = "The agent took too long to answer, so Custodian stopped waiting. What it said so far is kept; ask again to continue.";

/// How the agent's reply ended.
enum Ending {
    Finished,
    /// The agent broke off; the text is for the user.
    Failed(String),
    DeadlinePassed,
}

/// What happens during a turn, in order.
#[derive(Debug)]
pub enum TurnEvent {
    /// The message was accepted into this conversation.
    Started {
        conversation_id: String,
        title: String,
    },
    /// What the agent is doing right now.
    Status(String),
    /// A notice outside the reply, such as a permission denial (stored).
    Notice(String),
    /// A piece of the reply.
    Text(String),
    /// An action of this turn asked for an approval on the user's phone.
    StepUp(Box<StepUpRecord>),
    /// The reply is complete and stored.
    Done,
    /// The reply failed; the text is for the user.
    Failed(String),
}

/// Why a turn could not start; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    #[error("no such conversation")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Agent(#[from] AgentFailure),
    /// Over what one user may keep; the text says what to do instead.
    #[error("{0}")]
    Full(String),
}

impl From<CapacityError> for TurnError {
    fn from(error: CapacityError) -> Self {
        match error {
            CapacityError::Full(message) => TurnError::Full(message),
            CapacityError::Store(error) => TurnError::Store(error),
        }
    }
}

/// Starts a turn. Fails before anything is stored when the conversation is
/// unknown or the agent cannot be reached, so the user's text is never half
/// saved; afterwards every outcome travels as an event. The relay runs on a
/// task of its own, so the answer is stored even when the listener goes away.
/// A turn over the user's limit asks no agent: the question and a notice
/// saying when to try again are stored and sent instead. A new
/// conversation past the user's cap, or a turn in a full conversation,
/// is refused (`Full`) before that, storing nothing.
pub async fn start(
    store: Arc<dyn Store>,
    agent: &Agent,
    limits: &Limits,
    session: &SessionRecord,
    conversation_id: Option<String>,
    text: String,
    deadline: Duration,
) -> Result<ReceiverStream<TurnEvent>, TurnError> {
    let deadline = Instant::now() + deadline;
    let owner = session.user.sub.clone();
    let existing = match &conversation_id {
        Some(id) => Some(
            store
                .get_conversation(&owner, id)
                .await?
                .ok_or(TurnError::NotFound)?,
        ),
        None => None,
    };
    let admission = admit(store.as_ref(), limits, session, existing.as_ref()).await?;
    let (id, title) = match &existing {
        Some(conversation) => (conversation.id.clone(), conversation.title.clone()),
        None => (uuid::Uuid::new_v4().to_string(), title_for(&text)),
    };
    let question = Question {
        owner: &owner,
        id: &id,
        title: &title,
        is_new: existing.is_none(),
        text,
    };
    if let Some(message) = admission {
        return refused::turn(store.as_ref(), question, message).await;
    }
    let earlier_step_ups = match &existing {
        Some(_) => step_up_ids(store.as_ref(), &owner, &id).await?,
        None => HashSet::new(),
    };
    let reply = agent.ask(&id, &question.text, session).await?;
    if let Err(error) = record_question(store.as_ref(), question).await {
        reply.finish().await;
        return Err(error.into());
    }

    let (sender, receiver) = mpsc::channel(32);
    let _ = sender
        .send(TurnEvent::Started {
            conversation_id: id.clone(),
            title,
        })
        .await;
    let relay = Relay {
        store,
        owner,
        conversation_id: id,
        announced: earlier_step_ups,
        sender,
        deadline,
    };
    tokio::spawn(relay.run(reply));
    Ok(ReceiverStream::new(receiver))
}

/// Checks what one user may keep (`Full` refuses, storing nothing), then
/// the user's rate of turns: `Some(message)` when this turn is over it.
async fn admit(
    store: &dyn Store,
    limits: &Limits,
    session: &SessionRecord,
    existing: Option<&Conversation>,
) -> Result<Option<String>, TurnError> {
    match existing {
        Some(conversation) => limits.admit_message(session, conversation).await?,
        None => limits.admit_new_conversation(store, session).await?,
    }
    match limits.admit_chat_turn(store, session, now_unix()).await {
        Ok(()) => Ok(None),
        Err(LimitError::Refused(refusal)) => Ok(Some(refusal.message)),
        Err(LimitError::Store(error)) => Err(error.into()),
    }
}

/// The user's message and where it goes.
struct Question<'a> {
    owner: &'a str,
    id: &'a str,
    title: &'a str,
    /// The conversation is created with it.
    is_new: bool,
    text: String,
}

async fn record_question(store: &dyn Store, question: Question<'_>) -> Result<(), StoreError> {
    let now = now_unix();
    if question.is_new {
        store
            .create_conversation(&Conversation {
                id: question.id.to_owned(),
                owner: question.owner.to_owned(),
                title: question.title.to_owned(),
                created_at: now,
                updated_at: now,
                messages: Vec::new(),
            })
            .await?;
    }
    let message = Message {
        role: Role::User,
        text: question.text,
        at: now,
    };
    store
        .append_message(question.owner, question.id, &message)
        .await
}

async fn step_up_ids(
    store: &dyn Store,
    owner: &str,
    conversation_id: &str,
) -> Result<HashSet<String>, StoreError> {
    Ok(store
        .list_step_ups(owner, conversation_id)
        .await?
        .into_iter()
        .map(|record| record.id)
        .collect())
}

/// Carries the agent's events to the listener and into the store.
struct Relay {
    store: Arc<dyn Store>,
    owner: String,
    conversation_id: String,
    /// Approvals already shown: those of earlier turns, then this one's.
    announced: HashSet<String>,
    sender: mpsc::Sender<TurnEvent>,
    /// Past this the reply is cut off, however the agent is doing.
    deadline: Instant,
}

impl Relay {
    async fn run(mut self, mut reply: Reply) {
        let mut answer = String::new();
        let outcome = loop {
            let Ok(next) = timeout_at(self.deadline, reply.next()).await else {
                tracing::warn!("the agent's reply passed the turn deadline");
                break Ending::DeadlinePassed;
            };
            match next {
                Ok(Some(AgentEvent::Text(piece))) => {
                    answer.push_str(&piece);
                    self.send(TurnEvent::Text(piece)).await;
                }
                Ok(Some(AgentEvent::Status(label))) => self.send(TurnEvent::Status(label)).await,
                Ok(Some(AgentEvent::Denied(text) | AgentEvent::Notice(text))) => {
                    self.notice(text).await
                }
                Ok(Some(AgentEvent::ActionFinished)) => self.announce_step_ups().await,
                Ok(None) => break Ending::Finished,
                Err(error) => break Ending::Failed(error.to_string()),
            }
        };
        // The reply is over, or cut off: a Classic turn's capability dies
        // with it.
        reply.finish().await;
        if !self.store_ending(&outcome, answer).await {
            return;
        }
        // An action may have asked for an approval without the agent
        // reporting its end (a reply cut short): its card still shows.
        self.announce_step_ups().await;
        let last = match outcome {
            Ending::Finished => TurnEvent::Done,
            Ending::Failed(message) => TurnEvent::Failed(message),
            Ending::DeadlinePassed => TurnEvent::Failed(DEADLINE_MESSAGE.into()),
        };
        self.send(last).await;
    }

    /// Stores how the reply ended. A reply the agent broke off is not kept
    /// as if it were whole: the conversation records why it ended instead.
    /// One the deadline cut off keeps what was said, then says why it stops.
    async fn store_ending(&self, outcome: &Ending, answer: String) -> bool {
        match outcome {
            Ending::Finished if answer.is_empty() => true,
            Ending::Finished => self.store_closing(Role::Assistant, answer).await,
            Ending::Failed(message) => self.store_closing(Role::Notice, message.clone()).await,
            Ending::DeadlinePassed => {
                (answer.is_empty() || self.store_closing(Role::Assistant, answer).await)
                    && self
                        .store_closing(Role::Notice, DEADLINE_MESSAGE.into())
                        .await
            }
        }
    }

    async fn send(&self, event: TurnEvent) {
        // A listener that went away does not stop the turn.
        let _ = self.sender.send(event).await;
    }

    async fn notice(&self, text: String) {
        let notice = Message {
            role: Role::Notice,
            text: text.clone(),
            at: now_unix(),
        };
        let stored = self
            .store
            .append_message(&self.owner, &self.conversation_id, &notice)
            .await;
        if let Err(error) = stored {
            tracing::error!(error = %error, "could not store a notice");
        }
        self.send(TurnEvent::Notice(text)).await;
    }

    /// Stores the answer, or why there is none; on failure tells the
    /// listener and returns false.
    async fn store_closing(&self, role: Role, text: String) -> bool {
        let message = Message {
            role,
            text,
            at: now_unix(),
        };
        match self
            .store
            .append_message(&self.owner, &self.conversation_id, &message)
            .await
        {
            Ok(()) => true,
            Err(error) => {
                tracing::error!(error = %error, "could not store the answer");
                self.send(TurnEvent::Failed(
                    "Custodian's storage is unavailable right now. Try again.".into(),
                ))
                .await;
                false
            }
        }
    }

    /// Approvals of this conversation not shown yet: the ones this turn's
    /// actions asked for.
    async fn announce_step_ups(&mut self) {
        let records = match self
            .store
            .list_step_ups(&self.owner, &self.conversation_id)
            .await
        {
            Ok(records) => records,
            Err(error) => {
                tracing::error!(error = %error, "could not list the turn's approvals");
                return;
            }
        };
        for record in records {
            if self.announced.insert(record.id.clone()) {
                self.send(TurnEvent::StepUp(Box::new(record))).await;
            }
        }
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
