//! Audit events: every security-relevant outcome, naming who did what to
//! whom — never a token. Each is one structured log line and one entry of
//! the stored audit log, which the Audit page reads.

mod export;
mod links;
mod reading;

use std::sync::Arc;

pub use export::{time_utc, to_csv, to_json};
pub use links::{FILTER_MINUTE, trail_query};
pub use reading::{AuditReadError, MAX_EXPORT_ENTRIES};

use crate::ids::random_token;
use crate::settings::AuditSettings;
use crate::store::{AuditEntry, Store};
use crate::time::now_unix_ms;

/// Bedrock's agent session ids are at most this long; a caller that
/// invokes a Lambda directly may send anything, so the log keeps no more.
const MAX_AGENT_SESSION_CHARS: usize = 100;

/// Random bytes of an entry's id.
const ID_BYTES: usize = 12;

/// Records audit events; built once per process beside the store.
#[derive(Clone)]
pub struct AuditLog {
    store: Arc<dyn Store>,
    retention_seconds: i64,
}

impl AuditLog {
    pub fn new(store: Arc<dyn Store>, settings: &AuditSettings) -> Self {
        Self {
            store,
            retention_seconds: settings.retention_seconds(),
        }
    }

    /// The same log written through another handle on the store.
    pub fn on_store(&self, store: Arc<dyn Store>) -> Self {
        Self {
            store,
            retention_seconds: self.retention_seconds,
        }
    }

    /// Records `action` (for example `step_up.approved`) by `actor` on
    /// `target`, with a short `outcome`.
    pub async fn record(&self, action: &str, actor: &str, target: &str, outcome: &str) {
        tracing::info!(target: "audit", event = action, actor, subject = target, outcome, "audit");
        self.store_entry(action, actor, target, outcome).await;
    }

    /// Records an action-group call that was not let act: the `action`
    /// asked for, the agent session the call came from by its own account
    /// (in the log line only: it is the caller's claim), whom its
    /// capability named (`unknown` until it opened), and why (`outcome`).
    pub async fn record_refusal(
        &self,
        action: &str,
        actor: &str,
        agent_session: Option<&str>,
        outcome: &str,
    ) {
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
        self.store_entry("action.refused", actor, action, outcome)
            .await;
    }

    /// The decision has been made by now, so a store that fails does not
    /// undo it; the log line above stays its record, and this one says the
    /// entry is missing from the Audit page.
    async fn store_entry(&self, action: &str, actor: &str, target: &str, outcome: &str) {
        let at_ms = now_unix_ms();
        let entry = AuditEntry {
            id: random_token(ID_BYTES),
            at_ms,
            action: action.to_owned(),
            actor: actor.to_owned(),
            target: target.to_owned(),
            outcome: outcome.to_owned(),
            expires_at: at_ms / 1000 + self.retention_seconds,
        };
        if let Err(error) = self.store.append_audit(&entry).await {
            tracing::error!(
                target: "audit",
                event = action,
                %error,
                "audit entry not stored; the line before is its only record"
            );
        }
    }
}
