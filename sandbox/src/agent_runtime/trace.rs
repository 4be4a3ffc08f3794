//! Trace event payloads. Each union object has exactly one key, as in Bedrock.

use chrono::{SecondsFormat, Utc};
use serde::Serialize;

/// The envelope of every trace event.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TracePart<'a> {
    pub agent_id: &'a str,
    pub agent_alias_id: &'a str,
    pub session_id: &'a str,
    pub agent_version: &'static str,
    pub event_time: String,
    pub trace: Trace,
}

impl<'a> TracePart<'a> {
    pub fn new(ids: &'a SessionIds, trace: Trace) -> Self {
        Self {
            agent_id: &ids.agent_id,
            agent_alias_id: &ids.agent_alias_id,
            session_id: &ids.session_id,
            agent_version: "DRAFT",
            event_time: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            trace,
        }
    }
}

/// Which agent conversation a stream belongs to.
pub struct SessionIds {
    pub agent_id: String,
    pub agent_alias_id: String,
    pub session_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Trace {
    OrchestrationTrace(OrchestrationTrace),
}

/// Steps of the orchestration loop; invocation inputs and observations join
/// this enum when the router starts calling action groups.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub enum OrchestrationTrace {
    Rationale(Rationale),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rationale {
    pub trace_id: String,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_with_one_key_per_union() {
        let ids = SessionIds {
            agent_id: "A".into(),
            agent_alias_id: "B".into(),
            session_id: "S1".into(),
        };
        let rationale = Rationale {
            trace_id: "t-0".into(),
            text: "why".into(),
        };
        let part = TracePart::new(
            &ids,
            Trace::OrchestrationTrace(OrchestrationTrace::Rationale(rationale)),
        );
        let json = serde_json::to_value(&part).unwrap();
        assert_eq!(json["agentVersion"], "DRAFT");
        assert_eq!(json["sessionId"], "S1");
        assert_eq!(
            json["trace"]["orchestrationTrace"]["rationale"]["text"],
            "why"
        );
        assert_eq!(json["trace"].as_object().unwrap().len(), 1);
    }
}
