//! The agent a turn talks to, as the `agentHost` setting chose it, and its
//! reply read as one kind of event whichever host answers.

use std::sync::Arc;

use super::AgentEvent;
use crate::actions::ActionContext;
use crate::bedrock_agent::{AgentClient, AgentError, AgentReply};
use crate::harness::{HarnessClient, HarnessError};
use crate::store::SessionRecord;

use super::harness_turn::HarnessTurn;

#[derive(Clone)]
pub enum Agent {
    /// Bedrock Agents Classic: actions run in the action-group Lambdas,
    /// which find the session by the reference sent as a session attribute.
    Classic(AgentClient),
    /// The AgentCore harness: its inline functions run here, in the BFF,
    /// for the turn's own session; nothing about the session is sent.
    Harness(HarnessHost),
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
    /// Sends the user's message; the reply streams from the result.
    pub(super) async fn ask(
        &self,
        conversation_id: &str,
        text: &str,
        session: &SessionRecord,
    ) -> Result<Reply, AgentFailure> {
        Ok(match self {
            Agent::Classic(client) => Reply::Classic(Box::new(
                client.invoke(conversation_id, text, &session.id).await?,
            )),
            Agent::Harness(host) => {
                let reply = host.client.send_text(conversation_id, text).await?;
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

/// Both kinds are large; boxed, a reply moves as a pointer.
pub(super) enum Reply {
    Classic(Box<AgentReply>),
    Harness(Box<HarnessTurn>),
}

impl Reply {
    /// The next event worth showing, or `None` once the reply is complete.
    pub(super) async fn next(&mut self) -> Result<Option<AgentEvent>, AgentFailure> {
        match self {
            Reply::Classic(reply) => Ok(reply.next().await?),
            Reply::Harness(turn) => Ok(turn.next().await?),
        }
    }
}
