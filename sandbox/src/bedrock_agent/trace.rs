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
            agent_version: AGENT_VERSION,
            event_time: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            trace,
        }
    }
}

/// The sandbox agent is always the working draft.
pub const AGENT_VERSION: &str = "DRAFT";

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

/// Steps of the orchestration loop.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub enum OrchestrationTrace {
    Rationale(Rationale),
    InvocationInput(InvocationInput),
    Observation(Observation),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rationale {
    pub trace_id: String,
    pub text: String,
}

/// The agent calling an action group (function schema, Lambda executor).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvocationInput {
    pub trace_id: String,
    pub invocation_type: &'static str,
    pub action_group_invocation_input: ActionGroupInvocationInput,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionGroupInvocationInput {
    pub action_group_name: String,
    pub function: String,
    pub parameters: Vec<Parameter>,
    pub execution_type: &'static str,
}

#[derive(Clone, Serialize)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

/// What the action group answered.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Observation {
    pub trace_id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub action_group_invocation_output: ActionGroupInvocationOutput,
}

#[derive(Serialize)]
pub struct ActionGroupInvocationOutput {
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> SessionIds {
        SessionIds {
            agent_id: "A".into(),
            agent_alias_id: "B".into(),
            session_id: "S1".into(),
        }
    }

    #[test]
    fn serialises_with_one_key_per_union() {
        let ids = ids();
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

    #[test]
    fn action_group_steps_have_bedrock_names() {
        let ids = ids();
        let input = InvocationInput {
            trace_id: "t-0".into(),
            invocation_type: "ACTION_GROUP",
            action_group_invocation_input: ActionGroupInvocationInput {
                action_group_name: "OktaOperations".into(),
                function: "get_user_groups".into(),
                parameters: vec![Parameter {
                    name: "user_email".into(),
                    kind: "string".into(),
                    value: "bob@example.com".into(),
                }],
                execution_type: "LAMBDA",
            },
        };
        let json = serde_json::to_value(TracePart::new(
            &ids,
            Trace::OrchestrationTrace(OrchestrationTrace::InvocationInput(input)),
        ))
        .unwrap();
        let input = &json["trace"]["orchestrationTrace"]["invocationInput"];
        assert_eq!(input["invocationType"], "ACTION_GROUP");
        let group = &input["actionGroupInvocationInput"];
        assert_eq!(group["actionGroupName"], "OktaOperations");
        assert_eq!(group["executionType"], "LAMBDA");
        assert_eq!(group["parameters"][0]["type"], "string");

        let observation = Observation {
            trace_id: "t-0".into(),
            kind: "ACTION_GROUP",
            action_group_invocation_output: ActionGroupInvocationOutput { text: "ok".into() },
        };
        let json = serde_json::to_value(TracePart::new(
            &ids,
            Trace::OrchestrationTrace(OrchestrationTrace::Observation(observation)),
        ))
        .unwrap();
        let observation = &json["trace"]["orchestrationTrace"]["observation"];
        assert_eq!(observation["type"], "ACTION_GROUP");
        assert_eq!(observation["actionGroupInvocationOutput"]["text"], "ok");
    }
}
