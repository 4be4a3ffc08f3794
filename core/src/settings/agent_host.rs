//! Which service runs Custodian's agent, and the AgentCore harness's fields.
//!
//! `agentHost` is `bedrock-agent` (Bedrock Agents Classic, configured in the
//! `bedrock` section; the default, so existing files keep their meaning) or
//! `agentcore-harness` (the Bedrock AgentCore managed harness, configured in
//! the `harness` section).

use serde::Deserialize;
use serde::de::{Deserializer, Error};
use url::Url;

use super::fields;

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum AgentHost {
    /// Bedrock Agents Classic: InvokeAgent on the agent in `bedrock`.
    #[default]
    BedrockAgent,
    /// The AgentCore managed harness: InvokeHarness on the harness in `harness`.
    AgentcoreHarness,
}

impl AgentHost {
    /// As written in settings.
    pub fn as_str(self) -> &'static str {
        match self {
            AgentHost::BedrockAgent => "bedrock-agent",
            AgentHost::AgentcoreHarness => "agentcore-harness",
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HarnessSettings {
    /// The harness's ARN, as `CreateHarness` and the CloudFormation
    /// `AWS::BedrockAgentCore::Harness` return it.
    #[serde(deserialize_with = "harness_arn")]
    pub harness_arn: String,
    /// `None` means the region named in the ARN.
    #[serde(default, deserialize_with = "fields::optional_string")]
    pub region: Option<String>,
    /// A harness version or endpoint name (`qualifier` of InvokeHarness);
    /// `None` means the harness's default.
    #[serde(default, deserialize_with = "fields::optional_string")]
    pub qualifier: Option<String>,
    /// `None` means the real regional endpoint.
    #[serde(default, deserialize_with = "fields::optional_http_url")]
    pub endpoint: Option<Url>,
}

impl HarnessSettings {
    /// The region to call: the one set, else the ARN's own.
    pub fn region(&self) -> &str {
        match &self.region {
            Some(region) => region,
            // Checked at load: a harness ARN always names its region.
            None => self.harness_arn.split(':').nth(3).unwrap_or_default(),
        }
    }
}

fn harness_arn<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let value = String::deserialize(d)?;
    check_harness_arn(value.trim()).map_err(D::Error::custom)?;
    Ok(value.trim().to_owned())
}

/// The InvokeHarness API reference's pattern for `harnessArn`:
/// `arn:([^:]+)?:bedrock-agentcore:[a-z0-9-]+:[0-9]{12}:harness/[a-zA-Z][a-zA-Z0-9_]{0,39}-[a-zA-Z0-9]{10}`.
pub fn check_harness_arn(arn: &str) -> Result<(), String> {
    const EXPECTED: &str = "expected a harness ARN like \
         arn:aws:bedrock-agentcore:us-east-1:123456789012:harness/name-abcdefghij";
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts[..] else {
        return Err(EXPECTED.to_owned());
    };
    let valid = prefix == "arn"
        && !partition.contains(':')
        && service == "bedrock-agentcore"
        && !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && account.len() == 12
        && account.chars().all(|c| c.is_ascii_digit())
        && resource.strip_prefix("harness/").is_some_and(is_harness_id);
    if valid {
        Ok(())
    } else {
        Err(EXPECTED.to_owned())
    }
}

/// `[a-zA-Z][a-zA-Z0-9_]{0,39}-[a-zA-Z0-9]{10}`: the harness name, a dash,
/// and a ten-character suffix.
fn is_harness_id(id: &str) -> bool {
    let Some((name, suffix)) = id.rsplit_once('-') else {
        return false;
    };
    let name_ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.len() <= 40
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    name_ok && suffix.len() == 10 && suffix.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harness_arns_follow_the_api_pattern() {
        for good in [
            "arn:aws:bedrock-agentcore:us-east-1:123456789012:harness/custodian-AbCdE12345",
            "arn:aws-us-gov:bedrock-agentcore:us-gov-west-1:123456789012:harness/a_b-0123456789",
        ] {
            assert_eq!(check_harness_arn(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "custodian-AbCdE12345",
            "arn:aws:bedrock:us-east-1:123456789012:harness/custodian-AbCdE12345",
            "arn:aws:bedrock-agentcore::123456789012:harness/custodian-AbCdE12345",
            "arn:aws:bedrock-agentcore:us-east-1:1234:harness/custodian-AbCdE12345",
            "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/custodian-AbCdE12345",
            "arn:aws:bedrock-agentcore:us-east-1:123456789012:harness/custodian-short",
            "arn:aws:bedrock-agentcore:us-east-1:123456789012:harness/9lives-AbCdE12345",
        ] {
            assert!(check_harness_arn(bad).is_err(), "{bad}");
        }
    }
}
