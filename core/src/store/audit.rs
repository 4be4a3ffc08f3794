//! The stored audit log: one entry per security-relevant decision, read
//! back newest first a page at a time, filtered by who, what, on whom, how
//! it ended and when. Entries are never changed; each is deleted once its
//! retention has passed (`expires_at`, like every other record's TTL).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// One decision. Names and outcomes only: never a token or a secret.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AuditEntry {
    /// Random; orders entries of the same millisecond.
    pub id: String,
    /// Milliseconds since the Unix epoch.
    pub at_ms: i64,
    /// What happened, dotted: `step_up.approved`, `okta.groups`.
    pub action: String,
    /// Who did it: an email, or `unknown` / `-` before sign-in.
    pub actor: String,
    /// On what or whom.
    pub target: String,
    pub outcome: String,
    /// Unix seconds after which the entry is gone.
    pub expires_at: i64,
}

/// What a listing keeps; an unset field keeps every entry. Text fields
/// match whole values; `action` also matches every action under it
/// (`step_up` matches `step_up.approved`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub target: Option<String>,
    pub action: Option<String>,
    pub outcome: Option<String>,
    /// Entries at or after this millisecond.
    pub from_ms: Option<i64>,
    /// Entries before this millisecond.
    pub until_ms: Option<i64>,
}

impl AuditFilter {
    pub fn matches(&self, entry: &AuditEntry) -> bool {
        let equal =
            |wanted: &Option<String>, value: &str| wanted.as_deref().is_none_or(|w| w == value);
        let action = self.action.as_deref().is_none_or(|wanted| {
            entry.action == wanted
                || entry
                    .action
                    .strip_prefix(wanted)
                    .is_some_and(|rest| rest.starts_with('.'))
        });
        equal(&self.actor, &entry.actor)
            && equal(&self.target, &entry.target)
            && equal(&self.outcome, &entry.outcome)
            && action
            && self.from_ms.is_none_or(|from| entry.at_ms >= from)
            && self.until_ms.is_none_or(|until| entry.at_ms < until)
    }
}

/// Where the next page starts: just before (older than) this entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditCursor {
    pub at_ms: i64,
    pub id: String,
}

impl AuditCursor {
    pub fn before(entry: &AuditEntry) -> Self {
        Self {
            at_ms: entry.at_ms,
            id: entry.id.clone(),
        }
    }

    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}.{}", self.at_ms, self.id))
    }

    /// `None` for anything `encode` did not produce.
    pub fn decode(value: &str) -> Option<Self> {
        let plain = String::from_utf8(URL_SAFE_NO_PAD.decode(value).ok()?).ok()?;
        let (at_ms, id) = plain.split_once('.')?;
        Some(Self {
            at_ms: at_ms.parse().ok()?,
            id: Some(id).filter(|id| !id.is_empty())?.to_owned(),
        })
    }
}

/// One page request: at most `limit` entries (1 to `MAX_AUDIT_PAGE`)
/// matching `filter`, older than `before`, unexpired at `now` (seconds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditQuery {
    pub filter: AuditFilter,
    pub limit: u32,
    pub before: Option<AuditCursor>,
    pub now: i64,
}

/// The most entries one page holds.
pub const MAX_AUDIT_PAGE: u32 = 500;

impl AuditQuery {
    pub(crate) fn page_size(&self) -> usize {
        self.limit.clamp(1, MAX_AUDIT_PAGE) as usize
    }
}

/// A page of entries, newest first, and where the next one starts (`None`
/// on the last page). A backend that filters as it reads may return fewer
/// than the limit with a cursor still set: more may match further back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub next: Option<AuditCursor>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str) -> AuditEntry {
        AuditEntry {
            id: "e1".into(),
            at_ms: 1_000,
            action: action.into(),
            actor: "admin@example.com".into(),
            target: "bob@example.com".into(),
            outcome: "approved".into(),
            expires_at: 2_000,
        }
    }

    #[test]
    fn an_action_filter_keeps_the_action_and_those_under_it() {
        let filter = |action: &str| AuditFilter {
            action: Some(action.into()),
            ..AuditFilter::default()
        };
        assert!(filter("step_up").matches(&entry("step_up.approved")));
        assert!(filter("step_up.approved").matches(&entry("step_up.approved")));
        assert!(!filter("step").matches(&entry("step_up.approved")));
        assert!(!filter("step_up.approved").matches(&entry("step_up")));
    }

    #[test]
    fn the_time_range_includes_its_start_and_excludes_its_end() {
        let range = |from, until| AuditFilter {
            from_ms: Some(from),
            until_ms: Some(until),
            ..AuditFilter::default()
        };
        assert!(range(1_000, 1_001).matches(&entry("a")));
        assert!(!range(999, 1_000).matches(&entry("a")));
        assert!(!range(1_001, 2_000).matches(&entry("a")));
    }

    #[test]
    fn cursors_round_trip_and_refuse_anything_else() {
        let cursor = AuditCursor {
            at_ms: 1_700_000_000_123,
            id: "a.b-c".into(),
        };
        assert_eq!(AuditCursor::decode(&cursor.encode()), Some(cursor));
        for bad in ["", "not base64!", "MTIz", "YS4"] {
            assert_eq!(AuditCursor::decode(bad), None, "{bad}");
        }
    }
}
