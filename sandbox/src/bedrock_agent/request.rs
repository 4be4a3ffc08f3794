//! The InvokeAgent request body and its validation.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::error::AwsError;

/// Bedrock's limit on `inputText`.
const MAX_INPUT_CHARS: usize = 25_000;

/// The fields the sandbox reads; others (memoryId, …) are accepted and ignored.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvokeAgentRequest {
    pub input_text: Option<String>,
    #[serde(default)]
    pub enable_trace: bool,
    #[serde(default)]
    pub session_state: SessionState,
    #[serde(default)]
    pub streaming_configurations: StreamingConfigurations,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionState {
    #[serde(default)]
    pub session_attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub prompt_session_attributes: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamingConfigurations {
    #[serde(default)]
    pub stream_final_response: bool,
}

impl InvokeAgentRequest {
    pub fn parse(body: &[u8]) -> Result<Self, AwsError> {
        let request: Self = serde_json::from_slice(body)
            .map_err(|err| AwsError::validation(format!("Malformed request body: {err}")))?;
        match &request.input_text {
            None => Err(AwsError::validation("inputText is required.")),
            Some(text) if text.chars().count() > MAX_INPUT_CHARS => Err(AwsError::validation(
                format!("inputText must be at most {MAX_INPUT_CHARS} characters."),
            )),
            Some(_) => Ok(request),
        }
    }

    pub fn input_text(&self) -> &str {
        self.input_text.as_deref().unwrap_or_default()
    }
}

/// Bedrock's session id rule: 2–100 characters of `[0-9a-zA-Z._:-]`.
pub fn validate_session_id(session_id: &str) -> Result<(), AwsError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-');
    if (2..=100).contains(&session_id.len()) && session_id.chars().all(allowed) {
        Ok(())
    } else {
        Err(AwsError::validation(
            "sessionId must be 2-100 characters of [0-9a-zA-Z._:-].",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_sdk_shape() {
        let body = br#"{"inputText":"hi","enableTrace":true,
            "sessionState":{"sessionAttributes":{"session_ref":"abc"}},
            "streamingConfigurations":{"streamFinalResponse":true}}"#;
        let request = InvokeAgentRequest::parse(body).unwrap();
        assert_eq!(request.input_text(), "hi");
        assert!(request.enable_trace);
        assert!(request.streaming_configurations.stream_final_response);
        assert_eq!(
            request.session_state.session_attributes["session_ref"],
            "abc"
        );
    }

    #[test]
    fn refuses_malformed_bodies() {
        assert!(InvokeAgentRequest::parse(b"not json").is_err());
        assert!(InvokeAgentRequest::parse(b"{}").is_err());
        assert!(InvokeAgentRequest::parse(br#"{"inputText": 3}"#).is_err());
    }

    #[test]
    fn validates_session_ids() {
        assert!(validate_session_id("abc-123:x.y_z").is_ok());
        assert!(validate_session_id("a").is_err());
        assert!(validate_session_id("has space").is_err());
    }
}
