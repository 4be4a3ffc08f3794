//! The audit log as files: CSV for spreadsheets, JSON for tools. Times are
//! UTC in RFC 3339 with milliseconds; both formats have the same fields in
//! the same order.

use std::borrow::Cow;

use chrono::{DateTime, SecondsFormat};
use serde::Serialize;

use crate::store::AuditEntry;

const FIELDS: [&str; 6] = ["time", "action", "actor", "target", "outcome", "id"];

/// An entry's time for people and files: `2026-12-01T13:45:02.123Z`.
pub fn time_utc(at_ms: i64) -> String {
    DateTime::from_timestamp_millis(at_ms)
        .map(|time| time.to_rfc3339_opts(SecondsFormat::Millis, true))
        .unwrap_or_default()
}

#[derive(Serialize)]
struct Row<'a> {
    time: String,
    action: &'a str,
    actor: &'a str,
    target: &'a str,
    outcome: &'a str,
    id: &'a str,
}

impl<'a> Row<'a> {
    fn of(entry: &'a AuditEntry) -> Self {
        Self {
            time: time_utc(entry.at_ms),
            action: &entry.action,
            actor: &entry.actor,
            target: &entry.target,
            outcome: &entry.outcome,
            id: &entry.id,
        }
    }

    fn cells(&self) -> [Cow<'a, str>; 6] {
        [
            Cow::Owned(self.time.clone()),
            inert(self.action),
            inert(self.actor),
            inert(self.target),
            inert(self.outcome),
            inert(self.id),
        ]
    }
}

/// Spreadsheets run a cell that starts with one of these as a formula
/// (OWASP, "CSV Injection"); a leading apostrophe keeps it text.
fn inert(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

pub fn to_json(entries: &[AuditEntry]) -> String {
    let rows: Vec<Row> = entries.iter().map(Row::of).collect();
    serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into())
}

/// With a header row, also when nothing matched.
pub fn to_csv(entries: &[AuditEntry]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail short of running out of it.
    let _ = writer.write_record(FIELDS);
    for entry in entries {
        let _ = writer.write_record(Row::of(entry).cells().iter().map(|cell| cell.as_ref()));
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(actor: &str, target: &str) -> AuditEntry {
        AuditEntry {
            id: "id1".into(),
            at_ms: 1_764_596_702_123,
            action: "okta.groups".into(),
            actor: actor.into(),
            target: target.into(),
            outcome: "read".into(),
            expires_at: 0,
        }
    }

    #[test]
    fn csv_has_a_header_quotes_commas_and_defuses_formulas() {
        let csv = to_csv(&[entry("admin@example.com", "=HYPERLINK(\"x\",\"y\"),z")]);
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("time,action,actor,target,outcome,id"));
        assert_eq!(
            lines.next(),
            Some(
                "2025-12-01T13:45:02.123Z,okta.groups,admin@example.com,\"'=HYPERLINK(\"\"x\"\",\"\"y\"\"),z\",read,id1"
            )
        );
        assert_eq!(to_csv(&[]), "time,action,actor,target,outcome,id\n");
    }

    #[test]
    fn json_keeps_values_as_they_are() {
        let json: serde_json::Value =
            serde_json::from_str(&to_json(&[entry("-", "bob@example.com")])).unwrap();
        assert_eq!(json[0]["actor"], "-");
        assert_eq!(json[0]["time"], "2025-12-01T13:45:02.123Z");
        let keys: Vec<&str> = json[0]
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(keys.len(), FIELDS.len());
    }
}
