//! Harness sessions paused on an inline function call, by
//! `runtimeSessionId`. A new user message discards a paused turn.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// Oldest paused sessions are dropped beyond this.
const MAX_SESSIONS: usize = 1000;

#[derive(Clone, Debug)]
pub struct PausedCall {
    pub tool_use_id: String,
    pub name: String,
}

#[derive(Default)]
pub struct Sessions(Mutex<HashMap<String, (Instant, PausedCall)>>);

impl Sessions {
    pub fn pause(&self, session_id: &str, call: PausedCall) {
        let mut sessions = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if sessions.len() >= MAX_SESSIONS && !sessions.contains_key(session_id) {
            let oldest = sessions
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                sessions.remove(&oldest);
            }
        }
        sessions.insert(session_id.to_owned(), (Instant::now(), call));
    }

    pub fn discard(&self, session_id: &str) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(session_id);
    }

    /// Ends the pause if `tool_use_id` and `name` are the call the session
    /// waits for; otherwise says what is wrong.
    pub fn resume(&self, session_id: &str, tool_use_id: &str, name: &str) -> Result<(), String> {
        let mut sessions = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let Some((_, paused)) = sessions.get(session_id) else {
            return Err("This session is not waiting for a tool result.".to_owned());
        };
        if paused.tool_use_id != tool_use_id || paused.name != name {
            return Err(
                "The toolResult does not answer the tool use this session waits for.".to_owned(),
            );
        }
        sessions.remove(session_id);
        Ok(())
    }
}
