//! What the agent can ask Custodian to do: look up a user's Okta groups,
//! and reset a password once the administrator approves on their phone.
//! The Classic action-group Lambdas and the BFF (for the AgentCore
//! harness's inline functions) run these same functions; they differ
//! only in how they learn who is asking.
//!
//! Each action checks its target, then the actor's FGA permission, and
//! only then calls out, so a refusal never leaves anything half done.

mod actor;
mod approver;
mod context;
mod denial;
mod groups;
pub mod names;
mod password_reset;
mod target;

pub use actor::{Actor, ActorError};
pub use approver::{Approver, ApproverError, other_approver};
pub use context::ActionContext;
pub(crate) use groups::read_groups;
pub use groups::{get_user_groups, groups_target};
pub use password_reset::{request_password_reset, reset_target};
pub use target::valid_login;

/// How the agent should treat an action's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutcomeState {
    /// A normal answer (including "permission denied"), relayed by the model.
    Answer,
    /// The model should ask the user for what was missing and try again.
    Reprompt,
    /// The action failed; the body says why.
    Failure,
}

/// An action's answer, in words fit for the user and the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionOutcome {
    pub state: OutcomeState,
    pub body: String,
}

impl ActionOutcome {
    pub fn answer(body: impl Into<String>) -> Self {
        Self::new(OutcomeState::Answer, body)
    }

    pub fn reprompt(body: impl Into<String>) -> Self {
        Self::new(OutcomeState::Reprompt, body)
    }

    pub fn failure(body: impl Into<String>) -> Self {
        Self::new(OutcomeState::Failure, body)
    }

    fn new(state: OutcomeState, body: impl Into<String>) -> Self {
        Self {
            state,
            body: body.into(),
        }
    }

    /// A permission denial, a missing Guardian enrolment, Okta not
    /// connected, or a limit reached: the chat shows these as notices of
    /// their own.
    pub fn is_notice(&self) -> bool {
        is_notice_text(&self.body)
    }
}

/// Whether an action's answer is one the chat shows as a notice of its own,
/// by the fixed marker it starts with.
pub fn is_notice_text(text: &str) -> bool {
    [
        crate::fga::DENIAL_MARKER,
        crate::step_up::ENROLMENT_MARKER,
        crate::auth0::NOT_CONNECTED_MARKER,
        crate::limits::LIMIT_MARKER,
    ]
    .iter()
    .any(|marker| text.starts_with(marker))
}
