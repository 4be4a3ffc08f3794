//! A reply from the AgentCore harness, with its inline function calls run
//! here: when the harness pauses on a call, the call runs as the very
//! action the Classic Lambdas run, for the turn's own session, and the
//! result goes back to continue the reply. The events the chat sees are
//! the ones a Classic reply gives: a status while an action runs, a
//! denial as a notice of its own, and the end of each action.

use std::collections::VecDeque;

use super::{AgentEvent, tool_label};
use crate::actions::names::{AUTHENTICATE_USER, GET_USER_GROUPS, USER_EMAIL, USER_ID};
use crate::actions::{
    ActionOutcome, Actor, OutcomeState, get_user_groups, groups_target, request_password_reset,
    reset_target,
};
use crate::harness::{
    HarnessError, HarnessEvent, HarnessReply, ToolAnswer, ToolCall, ToolRefusal, ToolResult,
};

use super::agent::HarnessHost;

/// Rounds of function calls one message may take. The two functions
/// answer in one round each; more means the model is looping.
const MAX_ROUNDS: usize = 4;

/// A call the harness is waiting on once its stream has paused.
enum Waiting {
    Call(ToolCall),
    Refused(ToolRefusal),
}

pub(super) struct HarnessTurn {
    host: HarnessHost,
    /// The turn's own session: the only actor a function runs for.
    session_id: String,
    conversation_id: String,
    reply: HarnessReply,
    waiting: Vec<Waiting>,
    ready: VecDeque<AgentEvent>,
    rounds: usize,
}

impl HarnessTurn {
    pub(super) fn new(
        host: HarnessHost,
        session_id: String,
        conversation_id: String,
        reply: HarnessReply,
    ) -> Self {
        Self {
            host,
            session_id,
            conversation_id,
            reply,
            waiting: Vec::new(),
            ready: VecDeque::new(),
            rounds: 0,
        }
    }

    /// The next event worth showing, or `None` once the reply is complete.
    pub(super) async fn next(&mut self) -> Result<Option<AgentEvent>, HarnessError> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Ok(Some(event));
            }
            match self.reply.next().await? {
                Some(HarnessEvent::Text(text)) => return Ok(Some(AgentEvent::Text(text))),
                Some(HarnessEvent::ToolUse(call)) => {
                    let label = tool_label(call.name()).to_owned();
                    self.waiting.push(Waiting::Call(call));
                    return Ok(Some(AgentEvent::Status(label)));
                }
                // Custodian's own words, so the user sees why whatever the
                // model makes of the refusal.
                Some(HarnessEvent::ToolRefused(refusal)) => {
                    let notice = refusal.reason().to_owned();
                    self.waiting.push(Waiting::Refused(refusal));
                    return Ok(Some(AgentEvent::Notice(notice)));
                }
                Some(HarnessEvent::Stop(reason)) => {
                    if let Some(text) = reason.explanation() {
                        return Ok(Some(AgentEvent::Notice(text)));
                    }
                }
                None if self.waiting.is_empty() => return Ok(None),
                None => self.answer_waiting().await?,
            }
        }
    }

    /// Runs or refuses every call the paused message made, then continues
    /// the reply with their results.
    async fn answer_waiting(&mut self) -> Result<(), HarnessError> {
        self.rounds += 1;
        if self.rounds > MAX_ROUNDS {
            tracing::warn!(rounds = self.rounds, "harness kept calling functions");
            return Err(HarnessError::TooManyActions);
        }
        let mut answers = Vec::new();
        for waiting in std::mem::take(&mut self.waiting) {
            answers.push(match waiting {
                Waiting::Call(call) => {
                    let outcome = self.run(&call).await;
                    if outcome.is_notice() {
                        self.ready
                            .push_back(AgentEvent::Denied(outcome.body.clone()));
                    }
                    ToolAnswer::to_call(&call, tool_result(outcome))
                }
                Waiting::Refused(refusal) => ToolAnswer::refusing(&refusal),
            });
        }
        self.ready.push_back(AgentEvent::ActionFinished);
        self.ready
            .push_back(AgentEvent::Status("Reading the result…".to_owned()));
        self.reply = self
            .host
            .client
            .send_tool_results(&self.conversation_id, &answers)
            .await?;
        Ok(())
    }

    /// Runs one checked call as the turn's own session (no capability: the
    /// BFF has the session at hand): the target first, then who is asking,
    /// then the action.
    async fn run(&self, call: &ToolCall) -> ActionOutcome {
        let actions = self.host.actions.as_ref();
        let target = match call.name() {
            GET_USER_GROUPS => groups_target(call.argument(USER_EMAIL)),
            AUTHENTICATE_USER => reset_target(call.argument(USER_ID)),
            // The call was checked against the offered functions.
            other => {
                tracing::error!(function = other, "checked harness call has no action");
                return ActionOutcome::failure(
                    "Custodian has no such action, so nothing was done.",
                );
            }
        };
        let target = match target {
            Ok(target) => target,
            Err(reprompt) => return reprompt,
        };
        let actor = match Actor::by_session_id(&actions.sessions, &self.session_id).await {
            Ok(actor) => actor,
            Err(error) => return ActionOutcome::failure(error.to_string()),
        };
        if call.name() == GET_USER_GROUPS {
            get_user_groups(actions, &actor, target).await
        } else {
            request_password_reset(actions, &actor, target, &self.conversation_id).await
        }
    }
}

/// A failure goes back as an error result; an answer or a request for
/// more detail as a normal one, which the model relays or acts on.
fn tool_result(outcome: ActionOutcome) -> ToolResult {
    match outcome.state {
        OutcomeState::Answer | OutcomeState::Reprompt => ToolResult::success(outcome.body),
        OutcomeState::Failure => ToolResult::error(outcome.body),
    }
}
