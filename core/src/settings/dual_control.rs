//! `dualControl`: which accounts need two administrators to approve a
//! password reset.

use serde::Deserialize;
use serde::de::{Deserializer, Error};

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DualControlSettings {
    /// Okta group names (any case): resetting the password of a member
    /// needs a second administrator's approval. Empty turns dual control
    /// off.
    #[serde(default, deserialize_with = "group_names")]
    pub privileged_groups: Vec<String>,
}

/// Group names, each within Okta's length limit.
fn group_names<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let names = super::fields::list_or_text(d)?;
    if names.iter().any(|name| name.chars().count() > 255) {
        return Err(D::Error::custom(
            "a group name is longer than Okta's 255 characters",
        ));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::DualControlSettings;

    #[test]
    fn groups_read_from_a_list_or_text_and_blanks_are_dropped() {
        let listed: DualControlSettings =
            serde_json::from_value(serde_json::json!({ "privilegedGroups": ["IT Admins", " "] }))
                .unwrap();
        assert_eq!(listed.privileged_groups, ["IT Admins"]);
        let text: DualControlSettings =
            serde_json::from_value(serde_json::json!({ "privilegedGroups": "IT Admins, Finance" }))
                .unwrap();
        assert_eq!(text.privileged_groups, ["IT Admins", "Finance"]);
        let none: DualControlSettings = serde_json::from_value(serde_json::json!({})).unwrap();
        assert!(none.privileged_groups.is_empty());
    }
}
