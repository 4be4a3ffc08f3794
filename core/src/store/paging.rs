//! Listing a user's conversations a page at a time, newest first. A page
//! ends with an opaque cursor: the last summary's place in the order
//! (`updated_at`, `created_at`, `id`), base64url-encoded. Each backend
//! turns it into a position inside the asking owner's own listing, so a
//! cursor from someone else only ever selects the asker's conversations.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::ConversationSummary;

/// Where the next page starts: just after this conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversationCursor {
    pub updated_at: i64,
    pub created_at: i64,
    pub id: String,
}

impl ConversationCursor {
    pub fn after(summary: &ConversationSummary) -> Self {
        Self {
            updated_at: summary.updated_at,
            created_at: summary.created_at,
            id: summary.id.clone(),
        }
    }

    pub fn encode(&self) -> String {
        let plain = format!("{}.{}.{}", self.updated_at, self.created_at, self.id);
        URL_SAFE_NO_PAD.encode(plain)
    }

    /// `None` for anything `encode` did not produce.
    pub fn decode(value: &str) -> Option<Self> {
        let plain = String::from_utf8(URL_SAFE_NO_PAD.decode(value).ok()?).ok()?;
        let mut parts = plain.splitn(3, '.');
        let updated_at = parts.next()?.parse().ok()?;
        let created_at = parts.next()?.parse().ok()?;
        let id = parts.next().filter(|id| !id.is_empty())?.to_owned();
        Some(Self {
            updated_at,
            created_at,
            id,
        })
    }
}

/// One page request: at most `limit` summaries (at least 1), after `after`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversationPage {
    pub limit: u32,
    pub after: Option<ConversationCursor>,
}

impl ConversationPage {
    pub fn first(limit: u32) -> Self {
        Self { limit, after: None }
    }

    /// How many rows a backend reads: one beyond the page tells whether
    /// another page follows.
    pub(crate) fn rows_to_read(&self) -> usize {
        self.limit.max(1) as usize + 1
    }

    /// Cuts rows read with `rows_to_read` to the page; `more` is true when
    /// the backend knows of rows beyond those it returned.
    pub(crate) fn finish(
        &self,
        mut rows: Vec<ConversationSummary>,
        more: bool,
    ) -> ConversationList {
        let limit = self.limit.max(1) as usize;
        let more = more || rows.len() > limit;
        rows.truncate(limit);
        ConversationList {
            next: rows.last().filter(|_| more).map(ConversationCursor::after),
            conversations: rows,
        }
    }
}

/// A page of summaries, newest first, and where the next one starts.
#[derive(Clone, Debug, PartialEq)]
pub struct ConversationList {
    pub conversations: Vec<ConversationSummary>,
    /// `None` on the last page.
    pub next: Option<ConversationCursor>,
}

#[cfg(test)]
mod tests {
    use super::ConversationCursor;

    #[test]
    fn cursors_round_trip_and_refuse_anything_else() {
        let cursor = ConversationCursor {
            updated_at: 1_700_000_030,
            created_at: 1_700_000_000,
            id: "a.b-c".into(),
        };
        assert_eq!(ConversationCursor::decode(&cursor.encode()), Some(cursor));
        for bad in ["", "not base64!", "MTIz", "YS5iLmM"] {
            assert_eq!(ConversationCursor::decode(bad), None, "{bad}");
        }
    }
}
