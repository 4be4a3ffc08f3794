//! Scripted misbehaviour for tests: the next InvokeHarness turn fails with
//! an exception event, or asks for a tool use the router would not.
//! `POST /__sandbox/harness/faults` queues one.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::HarnessStandIn;

/// The exception events InvokeHarness's stream union defines.
pub const STREAM_EXCEPTIONS: [&str; 3] = [
    "internalServerException",
    "validationException",
    "runtimeClientError",
];

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum HarnessFault {
    /// After `messageStart`, the stream ends with this exception event.
    #[serde(rename_all = "camelCase")]
    Exception { exception_type: String },
    /// The next user message is answered with a call of `name` whose input
    /// JSON text is `input`, whatever the caller offered.
    ToolUse { name: String, input: String },
}

#[derive(Default)]
pub struct FaultQueue(Mutex<VecDeque<HarnessFault>>);

impl FaultQueue {
    pub fn push(&self, fault: HarnessFault) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(fault);
    }

    pub fn take(&self) -> Option<HarnessFault> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
    }
}

pub async fn add(
    State(harness): State<Arc<HarnessStandIn>>,
    Json(fault): Json<HarnessFault>,
) -> Result<StatusCode, (StatusCode, String)> {
    if let HarnessFault::Exception { exception_type } = &fault
        && !STREAM_EXCEPTIONS.contains(&exception_type.as_str())
    {
        let known = STREAM_EXCEPTIONS.join(", ");
        return Err((
            StatusCode::BAD_REQUEST,
            format!("exceptionType must be one of {known}"),
        ));
    }
    harness.faults.push(fault);
    Ok(StatusCode::NO_CONTENT)
}
