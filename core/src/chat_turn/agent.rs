//! The agent a turn talks to, as the `agentHost` setting chose it, and its
//! reply read as one kind of event whichever host answers.

use std::sync::Arc;

use super::{AgentEvent, TurnError};
use crate::actions::ActionContext;
use crate::bedrock_agent::{AgentClient, AgentError, AgentReply};
use crate::harness::{HarnessClient, HarnessError};
use crate::store::SessionRecord;
use crate::turn_capability::{OpenTurn, Turns};

use super::harness_turn::HarnessTurn;

#[derive(Clone)]
pub enum Agent {
    /// Bedrock Agents Classic: actions run in the action-group Lambdas,
    /// which act on the turn's capability, sent as a session attribute.
    Classic(ClassicHost),
    /// The AgentCore harness: its inline functions run here, in the BFF,
    /// for the turn's own session; nothing about the session is sent.
    Harness(HarnessHost),
}

/// The Classic agent's client and the turns its capabilities belong to.
#[derive(Clone)]
pub struct ClassicHost {
    pub client: AgentClient,
    pub turns: Turns,
}

/// The harness client and the clients its inline functions run with.
#[derive(Clone)]
pub struct HarnessHost {
    pub client: HarnessClient,
    pub actions: Arc<ActionContext>,
}

/// Why the agent could not answer; the text is for the user.
#[derive(Debug, thiserror::Error)]
pub enum AgentFailure {
    #[error(transparent)]
    Classic(#[from] AgentError),
    #[error(transparent)]
    Harness(#[from] HarnessError),
}

impl Agent {
    /// Sends the user's message; the reply streams from the result. With
    /// Classic, the turn is open (its capability usable) until the reply
    /// is finished.
    pub(super) async fn ask(
        &self,
        conversation_id: &str,
        text: &str,
        session: &SessionRecord,
    ) -> Result<Reply, TurnError> {
        Ok(match self {
            Agent::Classic(host) => {
                let turn = host.turns.open(session, conversation_id).await?;
                let invoked = host
                    .client
                    .invoke(conversation_id, text, turn.capability())
                    .await;
                let events = match invoked {
                    Ok(events) => events,
                    Err(error) => {
                        close(&host.turns, turn).await;
                        return Err(AgentFailure::from(error).into());
                    }
                };
                Reply::Classic(Box::new(ClassicReply {
                    events,
                    turn,
                    turns: host.turns.clone(),
                }))
            }
            Agent::Harness(host) => {
                let reply = host
                    .client
                    .send_text(conversation_id, text)
                    .await
                    .map_err(AgentFailure::from)?;
                Reply::Harness(Box::new(HarnessTurn::new(
                    host.clone(),
                    session.id.clone(),
                    conversation_id.to_owned(),
                    reply,
                )))
            }
        })
    }
}

/// A Classic reply and the turn it keeps open.
pub(super) struct ClassicReply {
    events: AgentReply,
    turn: OpenTurn,
    turns: Turns,
}

/// Both kinds are large; boxed, a reply moves as a pointer.
pub(super) enum Reply {
    Classic(Box<ClassicReply>),
    Harness(Box<HarnessTurn>),
}

impl Reply {
    /// The next event worth showing, or `None` once the reply is complete.
    pub(super) async fn next(&mut self) -> Result<Option<AgentEvent>, AgentFailure> {
        match self {
            Reply::Classic(reply) => Ok(reply.events.next().await?),
            Reply::Harness(turn) => Ok(turn.next().await?),
        }
    }

    /// Ends the turn, whether the reply completed or not: a Classic turn's
    /// capability is refused from now on.
    pub(super) async fn finish(self) {
        if let Reply::Classic(reply) = self {
            let ClassicReply { turn, turns, .. } = *reply;
            close(&turns, turn).await;
        }
    }
}

async fn close(turns: &Turns, turn: OpenTurn) {
    if let Err(error) = turns.close(turn).await {
        // Not fatal: the turn still ends at its deadline.
        tracing::error!(error = %error, "could not close a chat turn");
    }
}
