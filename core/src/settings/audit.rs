//! `audit`: how long the stored audit log keeps its entries.

use serde::Deserialize;

use super::fields;

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditSettings {
    /// Days an entry is kept; then the store deletes it (DynamoDB's TTL in
    /// AWS, the local sweep otherwise).
    #[serde(
        default = "default_retention_days",
        deserialize_with = "fields::audit_retention_days"
    )]
    pub retention_days: u32,
}

impl Default for AuditSettings {
    fn default() -> Self {
        Self {
            retention_days: default_retention_days(),
        }
    }
}

impl AuditSettings {
    pub fn retention_seconds(&self) -> i64 {
        i64::from(self.retention_days) * 86_400
    }
}

fn default_retention_days() -> u32 {
    90
}
