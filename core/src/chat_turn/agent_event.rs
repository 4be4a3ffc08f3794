//! What an agent's reply is made of, as the chat sees it, whichever host
//! (Bedrock Agents Classic or the AgentCore harness) answers.

/// What the chat shows while a reply comes in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AgentEvent {
    /// A piece of the final answer.
    Text(String),
    /// What the agent is doing ("thinking", "reading Okta groups", …).
    Status(String),
    /// A permission denial, a missing Guardian enrolment or Okta not
    /// connected, reported by an action and shown as its own notice.
    Denied(String),
    /// Why the agent stopped short, in Custodian's words, shown as a notice.
    Notice(String),
    /// An action (an action-group or inline-function call) has answered; what it did, such as
    /// asking for an approval, is now in the store.
    ActionFinished,
}

/// What each action is called in the chat while it runs.
pub fn tool_label(function: &str) -> &'static str {
    match function {
        "get_user_groups" => "Checking permission and asking Okta…",
        "authenticate_user" => "Checking permission and requesting your approval…",
        _ => "Working…",
    }
}
