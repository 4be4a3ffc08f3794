//! Every InvokeHarness request as received (path, query, headers, body),
//! so tests can prove what reached the harness.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use serde_json::Value;

use super::HarnessStandIn;

/// Oldest records are dropped beyond this.
const MAX_RECORDS: usize = 1000;

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedRequest {
    pub path_and_query: String,
    pub headers: BTreeMap<String, String>,
    /// The body as JSON, or as text when it is not JSON.
    pub body: Value,
}

#[derive(Default)]
pub struct RequestLog(Mutex<Vec<RecordedRequest>>);

impl RequestLog {
    pub fn record(&self, request: RecordedRequest) {
        let mut records = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if records.len() == MAX_RECORDS {
            records.remove(0);
        }
        records.push(request);
    }

    fn all(&self) -> Vec<RecordedRequest> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// `GET /__sandbox/harness/requests`
pub async fn list(State(harness): State<Arc<HarnessStandIn>>) -> Json<Vec<RecordedRequest>> {
    Json(harness.requests.all())
}
