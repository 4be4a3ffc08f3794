//! A record of every InvokeAgent call, so tests can prove what reached the agent.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use super::AgentRuntime;

/// Oldest records are dropped beyond this, so a long session stays small.
const MAX_RECORDS: usize = 1000;

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocation {
    pub session_id: String,
    pub input_text: String,
    pub session_attributes: BTreeMap<String, String>,
    pub prompt_session_attributes: BTreeMap<String, String>,
    pub stream_final_response: bool,
    pub enable_trace: bool,
}

#[derive(Default)]
pub struct InvocationLog(Mutex<Vec<Invocation>>);

impl InvocationLog {
    pub fn record(&self, invocation: Invocation) {
        let mut records = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if records.len() == MAX_RECORDS {
            records.remove(0);
        }
        records.push(invocation);
    }

    fn all(&self) -> Vec<Invocation> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// `GET /__sandbox/agent/invocations`
pub async fn list(State(runtime): State<Arc<AgentRuntime>>) -> Json<Vec<Invocation>> {
    Json(runtime.invocations.all())
}
