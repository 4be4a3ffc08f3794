//! Audit events: one structured log line per security-relevant outcome,
//! naming who did what to whom — never a token.

/// Bedrock's agent session ids are at most this long; a caller that
/// invokes a Lambda directly may send anything, so the log keeps no more.
const MAX_AGENT_SESSION_CHARS: usize = 100;

/// Records `event` (for example `step_up.approved`) for `actor` acting on
/// `target`, with a short `outcome`.
pub fn record(event: &str, actor: &str, target: &str, outcome: &str) {
    tracing::info!(target: "audit", event, actor, subject = target, outcome, "audit");
}

/// Records an action-group call that was not let act: the `action` asked
/// for, the agent session the call came from by its own account, whom its
/// capability named (`unknown` until it opened), and why (`outcome`).
pub fn record_refusal(action: &str, actor: &str, agent_session: Option<&str>, outcome: &str) {
    let agent_session: String = agent_session
        .unwrap_or_default()
        .chars()
        .take(MAX_AGENT_SESSION_CHARS)
        .collect();
    tracing::info!(
        target: "audit",
        event = "action.refused",
        actor,
        subject = action,
        agent_session,
        outcome,
        "audit"
    );
}
