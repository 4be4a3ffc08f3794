//! Audit events: one structured log line per security-relevant outcome,
//! naming who did what to whom — never a token.

/// Records `event` (for example `step_up.approved`) for `actor` acting on
/// `target`, with a short `outcome`.
pub fn record(event: &str, actor: &str, target: &str, outcome: &str) {
    tracing::info!(target: "audit", event, actor, subject = target, outcome, "audit");
}
