//! The audit log in the conversations table: every entry is an item of the
//! one partition `audit`, sorted by `<at_ms zero-padded>#<id>`, so a page
//! is a descending Query over a time range of it. Entries carry the TTL
//! attribute (their time plus the retention); TTL deletion lags, so reads
//! skip expired entries themselves.
//!
//! One partition takes about a thousand writes a second, far above the
//! decisions a company's administrators make. The filters other than time
//! are applied to what the Query returns, by the same rules the embedded
//! store's SQL follows (`AuditFilter::matches`); a page that runs out of
//! its read budget before it fills ends with a cursor, so the caller reads
//! on from where it stopped.

use super::attributes::{Item, get_number, get_text, number, text};
use super::error::{is_condition_failed, unavailable};
use super::{
    CONVERSATIONS_PARTITION_KEY as PK, CONVERSATIONS_SORT_KEY as SK, DynamoStore, TTL_ATTRIBUTE,
};
use crate::store::{AuditCursor, AuditEntry, AuditPage, AuditQuery, StoreError, StoreResult};

const PARTITION: &str = "audit";
const ID: &str = "id";
const AT_MS: &str = "at_ms";
const ACTION: &str = "action";
const ACTOR: &str = "actor";
const TARGET: &str = "target";
const OUTCOME: &str = "outcome";

/// Items one Query call reads, and the calls one page may make.
const ITEMS_PER_QUERY: i32 = 200;
const QUERIES_PER_PAGE: usize = 5;

/// Zero-padded, so that sort-key order is time order.
fn sort_key(at_ms: i64, id: &str) -> String {
    format!("{at_ms:015}#{id}")
}

/// The Query's inclusive sort-key range: from `from_ms` up to the earlier
/// of `until_ms` and the cursor. Neither upper end can equal a stored key
/// except the cursor's own entry, which the page skips.
fn key_range(query: &AuditQuery) -> (String, String) {
    let low = format!("{:015}", query.filter.from_ms.unwrap_or(0).max(0));
    let until = query
        .filter
        .until_ms
        .map(|until| format!("{:015}", until.max(0)));
    let before = query.before.as_ref().map(|c| sort_key(c.at_ms, &c.id));
    let high = match (until, before) {
        (Some(until), Some(before)) => until.min(before),
        (Some(bound), None) | (None, Some(bound)) => bound,
        // Above every zero-padded time.
        (None, None) => "~".to_owned(),
    };
    (low, high)
}

fn encode(entry: &AuditEntry) -> Item {
    Item::from([
        (PK.to_owned(), text(PARTITION)),
        (SK.to_owned(), text(sort_key(entry.at_ms, &entry.id))),
        (ID.to_owned(), text(&entry.id)),
        (AT_MS.to_owned(), number(entry.at_ms)),
        (ACTION.to_owned(), text(&entry.action)),
        (ACTOR.to_owned(), text(&entry.actor)),
        (TARGET.to_owned(), text(&entry.target)),
        (OUTCOME.to_owned(), text(&entry.outcome)),
        (TTL_ATTRIBUTE.to_owned(), number(entry.expires_at)),
    ])
}

fn decode(item: &Item) -> StoreResult<AuditEntry> {
    const WHAT: &str = "audit entry";
    Ok(AuditEntry {
        id: get_text(item, ID, WHAT)?.to_owned(),
        at_ms: get_number(item, AT_MS, WHAT)?,
        action: get_text(item, ACTION, WHAT)?.to_owned(),
        actor: get_text(item, ACTOR, WHAT)?.to_owned(),
        target: get_text(item, TARGET, WHAT)?.to_owned(),
        outcome: get_text(item, OUTCOME, WHAT)?.to_owned(),
        expires_at: get_number(item, TTL_ATTRIBUTE, WHAT)?,
    })
}

impl DynamoStore {
    /// One conditional PutItem: an entry is never replaced.
    pub(super) async fn append_audit_item(&self, entry: &AuditEntry) -> StoreResult<()> {
        let written = self
            .client
            .put_item()
            .table_name(&self.tables.conversations)
            .set_item(Some(encode(entry)))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", PK)
            .send()
            .await;
        match written {
            Ok(_) => Ok(()),
            Err(error) if is_condition_failed(&error) => Err(StoreError::Conflict(
                "an audit entry with this id exists".into(),
            )),
            Err(error) => Err(unavailable("PutItem", error)),
        }
    }

    /// Reads newest first until the page and one more entry are found, the
    /// range ends, or the read budget is spent.
    pub(super) async fn list_audit_items(&self, query: &AuditQuery) -> StoreResult<AuditPage> {
        let (low, high) = key_range(query);
        let size = query.page_size();
        let mut entries = Vec::with_capacity(size + 1);
        let mut start = None;
        let mut last_read = None;
        for _ in 0..QUERIES_PER_PAGE {
            let read = self
                .client
                .query()
                .table_name(&self.tables.conversations)
                .key_condition_expression("#pk = :pk AND #sk BETWEEN :low AND :high")
                .expression_attribute_names("#pk", PK)
                .expression_attribute_names("#sk", SK)
                .expression_attribute_values(":pk", text(PARTITION))
                .expression_attribute_values(":low", text(&low))
                .expression_attribute_values(":high", text(&high))
                .scan_index_forward(false)
                .limit(ITEMS_PER_QUERY)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(|error| unavailable("Query", error))?;
            for item in read.items() {
                let entry = decode(item)?;
                last_read = Some(AuditCursor::before(&entry));
                if query.before.as_ref() == last_read.as_ref()
                    || entry.expires_at <= query.now
                    || !query.filter.matches(&entry)
                {
                    continue;
                }
                entries.push(entry);
                if entries.len() > size {
                    entries.truncate(size);
                    let next = entries.last().map(AuditCursor::before);
                    return Ok(AuditPage { entries, next });
                }
            }
            start = read.last_evaluated_key;
            if start.is_none() {
                return Ok(AuditPage {
                    entries,
                    next: None,
                });
            }
        }
        // The budget ran out: the next page reads on from the last entry read.
        Ok(AuditPage {
            entries,
            next: last_read,
        })
    }
}
