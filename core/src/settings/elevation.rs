//! `elevation`: how long an approver may grant a denied permission for.
//! Durations are written as people write them (`"1h"`, `"30m"`), a JSON
//! list or, from an environment variable, a comma-separated string.

use std::time::Duration;

use serde::Deserialize;
use serde::de::{Deserializer, Error};

/// The longest grant: a working day. Longer access is a standing grant,
/// which belongs in FGA itself rather than in a chat request.
pub const MAX_ELEVATION: Duration = Duration::from_secs(12 * 3600);
/// Shorter grants would lapse before the approver's answer is read.
pub const MIN_ELEVATION: Duration = Duration::from_secs(10);
/// The chat offers one button per choice; more would crowd the notice.
const MAX_CHOICES: usize = 4;

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ElevationSettings {
    /// The durations a denied user may ask for, in the order offered.
    #[serde(default = "default_durations", deserialize_with = "durations")]
    pub durations: Vec<Duration>,
}

impl Default for ElevationSettings {
    fn default() -> Self {
        Self {
            durations: default_durations(),
        }
    }
}

fn default_durations() -> Vec<Duration> {
    vec![Duration::from_secs(3600)]
}

fn durations<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Duration>, D::Error> {
    let durations = super::fields::list_or_text(d)?
        .iter()
        .map(|text| parse_one(text))
        .collect::<Result<Vec<_>, String>>()
        .map_err(D::Error::custom)?;
    if durations.is_empty() || durations.len() > MAX_CHOICES {
        return Err(D::Error::custom(format!(
            "must list 1 to {MAX_CHOICES} durations, e.g. [\"1h\", \"4h\"]"
        )));
    }
    Ok(durations)
}

fn parse_one(text: &str) -> Result<Duration, String> {
    let duration = humantime::parse_duration(text)
        .map_err(|_| format!("{text:?} is not a duration such as \"30m\" or \"1h\""))?;
    if !(MIN_ELEVATION..=MAX_ELEVATION).contains(&duration) {
        return Err(format!(
            "{text:?} must be between {} and {}",
            humantime::format_duration(MIN_ELEVATION),
            humantime::format_duration(MAX_ELEVATION)
        ));
    }
    Ok(duration)
}

/// "1 hour", "90 minutes", "30 seconds": how a choice reads on its button.
pub fn duration_label(duration: Duration) -> String {
    let seconds = duration.as_secs();
    let (amount, unit) = if seconds.is_multiple_of(3600) {
        (seconds / 3600, "hour")
    } else if seconds.is_multiple_of(60) {
        (seconds / 60, "minute")
    } else {
        (seconds, "second")
    };
    let plural = if amount == 1 { "" } else { "s" };
    format!("{amount} {unit}{plural}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(value: serde_json::Value) -> Result<ElevationSettings, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    #[test]
    fn durations_read_from_a_list_or_a_comma_separated_string() {
        let listed = read(serde_json::json!({ "durations": ["1h", "15m"] })).unwrap();
        assert_eq!(
            listed.durations,
            [Duration::from_secs(3600), Duration::from_secs(900)]
        );
        let text = read(serde_json::json!({ "durations": "20s, 4h" })).unwrap();
        assert_eq!(
            text.durations,
            [Duration::from_secs(20), Duration::from_secs(4 * 3600)]
        );
        assert_eq!(read(serde_json::json!({})).unwrap().durations.len(), 1);
    }

    #[test]
    fn bad_durations_are_named() {
        let error = read(serde_json::json!({ "durations": ["soon"] })).unwrap_err();
        assert!(error.contains("\"soon\" is not a duration"), "{error}");
        let error = read(serde_json::json!({ "durations": ["13h"] })).unwrap_err();
        assert!(error.contains("must be between 10s and 12h"), "{error}");
        let error = read(serde_json::json!({ "durations": [] })).unwrap_err();
        assert!(error.contains("1 to 4 durations"), "{error}");
    }

    #[test]
    fn labels_read_as_words() {
        assert_eq!(duration_label(Duration::from_secs(3600)), "1 hour");
        assert_eq!(duration_label(Duration::from_secs(4 * 3600)), "4 hours");
        assert_eq!(duration_label(Duration::from_secs(90 * 60)), "90 minutes");
        assert_eq!(duration_label(Duration::from_secs(20)), "20 seconds");
    }
}
