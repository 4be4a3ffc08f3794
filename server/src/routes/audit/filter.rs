//! The Audit page's query string: the filter fields, a time range in UTC
//! and where the page starts. Every field is optional; a bad one is named.

use chrono::NaiveDateTime;
use custodian_core::audit::FILTER_MINUTE;
use custodian_core::store::{AuditCursor, AuditFilter};
use serde::Deserialize;

/// As the browser sends the form (a `datetime-local` input is
/// `YYYY-MM-DDTHH:MM`, seconds optional); empty fields are unset.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct AuditParams {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub until: String,
    /// The cursor of an "older entries" link.
    #[serde(default)]
    pub before: String,
}

/// Longest text a filter field takes: the longest email address.
const MAX_FIELD_CHARS: usize = 254;

impl AuditParams {
    /// The filter, or what is wrong with the first bad field.
    pub fn filter(&self) -> Result<AuditFilter, String> {
        Ok(AuditFilter {
            actor: text("Actor", &self.actor)?,
            target: text("Target", &self.target)?,
            action: text("Action", &self.action)?,
            outcome: text("Outcome", &self.outcome)?,
            from_ms: time("From", &self.from)?,
            until_ms: time("Until", &self.until)?,
        })
    }

    pub fn cursor(&self) -> Result<Option<AuditCursor>, String> {
        if self.before.is_empty() {
            return Ok(None);
        }
        AuditCursor::decode(&self.before).map(Some).ok_or_else(|| {
            "This page's link is damaged. Start again from the newest entries.".into()
        })
    }

    /// The same filter as a query string, for links (export, pages).
    pub fn query_string(&self) -> String {
        let fields = [
            ("actor", &self.actor),
            ("target", &self.target),
            ("action", &self.action),
            ("outcome", &self.outcome),
            ("from", &self.from),
            ("until", &self.until),
        ];
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in fields
            .into_iter()
            .filter(|(_, value)| !value.trim().is_empty())
        {
            query.append_pair(name, value.trim());
        }
        query.finish()
    }
}

fn text(label: &str, value: &str) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.chars().count() > MAX_FIELD_CHARS {
        return Err(format!("{label}: at most {MAX_FIELD_CHARS} characters."));
    }
    Ok(Some(value.to_owned()).filter(|value| !value.is_empty()))
}

fn time(label: &str, value: &str) -> Result<Option<i64>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    [FILTER_MINUTE, "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
        .map(|time| Some(time.and_utc().timestamp_millis()))
        .ok_or_else(|| format!("{label}: not a date and time; use YYYY-MM-DDTHH:MM (UTC)."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_are_unset_and_times_are_utc() {
        let params = AuditParams {
            actor: "  admin@example.com ".into(),
            from: "2026-12-01T13:45".into(),
            until: "2026-12-01T14:00:30".into(),
            ..AuditParams::default()
        };
        let filter = params.filter().unwrap();
        assert_eq!(filter.actor.as_deref(), Some("admin@example.com"));
        assert_eq!(filter.target, None);
        assert_eq!(filter.from_ms, Some(1_796_132_700_000));
        assert_eq!(filter.until_ms, Some(1_796_133_630_000));
        assert_eq!(
            params.query_string(),
            "actor=admin%40example.com&from=2026-12-01T13%3A45&until=2026-12-01T14%3A00%3A30"
        );
    }

    #[test]
    fn a_bad_field_is_named() {
        let bad_time = AuditParams {
            until: "yesterday".into(),
            ..AuditParams::default()
        };
        assert!(
            bad_time
                .filter()
                .unwrap_err()
                .starts_with("Until: not a date")
        );
        let long = AuditParams {
            target: "x".repeat(255),
            ..AuditParams::default()
        };
        assert!(
            long.filter()
                .unwrap_err()
                .starts_with("Target: at most 254")
        );
        let damaged = AuditParams {
            before: "!!".into(),
            ..AuditParams::default()
        };
        assert!(damaged.cursor().is_err());
    }
}
