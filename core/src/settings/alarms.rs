//! `alarms`: where the AWS stack's CloudWatch alarms notify. Only the CDK
//! app acts on it (infra/README.md, "Alarms"); the app itself accepts it so
//! one settings file serves both, with the same unknown-field checks.

use serde::Deserialize;

use super::fields;

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AlarmSettings {
    /// An address the stack subscribes to a new `custodian-alarms` topic.
    #[serde(default, deserialize_with = "fields::optional_string")]
    pub email: Option<String>,
    /// An existing SNS topic to notify instead.
    #[serde(default, deserialize_with = "fields::optional_string")]
    pub topic_arn: Option<String>,
}
