//! A record of every InvokeAgent call, so tests can prove what reached the
//! agent and the benchmark can time what the BFF adds to a streamed reply.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

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
    /// When the first piece of the answer was handed to the response
    /// stream, in microseconds since the Unix epoch; absent until then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_chunk_sent_at_micros: Option<u64>,
}

/// Which record a turn writes its timings into.
#[derive(Clone, Copy)]
pub struct InvocationId(u64);

#[derive(Default)]
pub struct InvocationLog(Mutex<Records>);

#[derive(Default)]
struct Records {
    next_id: u64,
    entries: VecDeque<(u64, Invocation)>,
}

impl InvocationLog {
    pub fn record(&self, invocation: Invocation) -> InvocationId {
        let mut records = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if records.entries.len() == MAX_RECORDS {
            records.entries.pop_front();
        }
        let id = records.next_id;
        records.next_id += 1;
        records.entries.push_back((id, invocation));
        InvocationId(id)
    }

    /// Notes that the turn recorded as `id` has just sent its first chunk.
    pub fn first_chunk_sent(&self, InvocationId(id): InvocationId) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|since| u64::try_from(since.as_micros()).unwrap_or(u64::MAX))
            .unwrap_or_default();
        let mut records = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, invocation)) = records.entries.iter_mut().find(|(at, _)| *at == id) {
            invocation.first_chunk_sent_at_micros.get_or_insert(now);
        }
    }

    fn all(&self) -> Vec<Invocation> {
        let records = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        records
            .entries
            .iter()
            .map(|(_, invocation)| invocation.clone())
            .collect()
    }
}

/// `GET /__sandbox/agent/invocations`
pub async fn list(State(runtime): State<Arc<AgentRuntime>>) -> Json<Vec<Invocation>> {
    Json(runtime.invocations.all())
}
