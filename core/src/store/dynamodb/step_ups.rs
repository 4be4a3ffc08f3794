//! Step-ups, in two items written together:
//!
//! - the record: `stepup#<id>` in the sessions table, the whole record as
//!   JSON plus the attributes the conditional update checks (`owner`,
//!   `conversation_id`, `created_at`, `version`) and no `ttl`, so it is kept
//!   as long as its conversation. Reading and updating it by id is one
//!   strongly consistent item operation; fields added to the record later
//!   read with defaults from older items;
//! - the listing entry: `owner#<sub>` / `stepup#<conversation>#<created>#<id>`
//!   in the conversations table, naming the record's id. It never changes,
//!   so a conversation's step-ups are one Query plus a read of each record.

use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use futures::future::try_join_all;

use super::attributes::{Item, get_number, get_text, number, text};
use super::conversations::owner_key;
use super::error::{
    any_throttled, cancellation_reasons, is_condition_failed, malformed_request, throttled,
    unavailable,
};
use super::{
    CONVERSATIONS_PARTITION_KEY as PK, CONVERSATIONS_SORT_KEY as SK, DynamoStore,
    SESSIONS_PARTITION_KEY,
};
use crate::store::{StepUpRecord, StoreError, StoreResult};

const STEP_UP_PREFIX: &str = "stepup#";
/// The record as JSON; its secrets are sealed.
const RECORD: &str = "record";
const OWNER: &str = "owner";
const CONVERSATION: &str = "conversation_id";
const CREATED_AT: &str = "created_at";
const VERSION: &str = "version";
/// On the listing entry: the record's id.
const ID: &str = "id";

fn record_key(id: &str) -> String {
    format!("{STEP_UP_PREFIX}{id}")
}

/// The listing entries of one conversation share this prefix.
fn listing_prefix(conversation_id: &str) -> String {
    format!("{STEP_UP_PREFIX}{conversation_id}#")
}

/// Zero-padded so that sort-key order is creation order.
fn listing_key(record: &StepUpRecord) -> String {
    format!(
        "{}{:010}#{}",
        listing_prefix(&record.conversation_id),
        record.created_at,
        record.id
    )
}

impl DynamoStore {
    /// Puts the record and its listing entry in one transaction, neither
    /// over an existing item: an id is never reused, whoever holds it.
    pub(super) async fn create_step_up_items(&self, record: &StepUpRecord) -> StoreResult<()> {
        let put_record = Put::builder()
            .table_name(&self.tables.sessions)
            .set_item(Some(record_item(record)?))
            .condition_expression("attribute_not_exists(#key)")
            .expression_attribute_names("#key", SESSIONS_PARTITION_KEY)
            .build()
            .map_err(malformed_request)?;
        let put_listing = Put::builder()
            .table_name(&self.tables.conversations)
            .item(PK, text(owner_key(&record.owner)))
            .item(SK, text(listing_key(record)))
            .item(ID, text(&record.id))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", PK)
            .build()
            .map_err(malformed_request)?;
        let written = self
            .client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(put_record).build())
            .transact_items(TransactWriteItem::builder().put(put_listing).build())
            .send()
            .await;
        match written {
            Ok(_) => Ok(()),
            Err(error) => Err(match cancellation_reasons(&error) {
                Some(reasons) if any_throttled(&reasons) => throttled(),
                Some(reasons) if reasons.iter().any(|r| r == "ConditionalCheckFailed") => {
                    StoreError::Conflict("a step-up with this id exists".into())
                }
                _ => unavailable("TransactWriteItems", error),
            }),
        }
    }

    pub(super) async fn get_step_up_item(
        &self,
        owner: &str,
        id: &str,
    ) -> StoreResult<Option<StepUpRecord>> {
        let Some(item) = self.sessions_item(text(record_key(id))).await? else {
            return Ok(None);
        };
        // Another owner learns nothing about the item, not even its state.
        if get_text(&item, OWNER, "step-up")? != owner {
            return Ok(None);
        }
        let record = decode(&item)?;
        Ok((record.owner == owner && record.id == id).then_some(record))
    }

    pub(super) async fn list_step_up_items(
        &self,
        owner: &str,
        conversation_id: &str,
    ) -> StoreResult<Vec<StepUpRecord>> {
        let prefix = listing_prefix(conversation_id);
        let entries = self.partition(owner_key(owner), Some(&prefix)).await?;
        let ids = entries
            .iter()
            .map(|entry| get_text(entry, ID, "step-up listing"))
            .collect::<StoreResult<Vec<_>>>()?;
        // A handful per conversation: read them side by side.
        let records =
            try_join_all(ids.into_iter().map(|id| self.get_step_up_item(owner, id))).await?;
        // The prefix also matches a conversation whose id extends this one's
        // with `#`; the record itself says which conversation it is in.
        let mut records: Vec<_> = records
            .into_iter()
            .flatten()
            .filter(|record| record.conversation_id == conversation_id)
            .collect();
        // Same order as the embedded store: oldest first, ties by id.
        records.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(records)
    }

    /// The keys, `(table, key)`, of the conversation's step-ups: each
    /// record and its listing entry.
    pub(super) async fn step_up_keys(
        &self,
        owner: &str,
        conversation_id: &str,
    ) -> StoreResult<Vec<(String, Item)>> {
        let records = self.list_step_up_items(owner, conversation_id).await?;
        let mut keys = Vec::with_capacity(records.len() * 2);
        for record in records {
            keys.push((
                self.tables.sessions.clone(),
                Item::from([(
                    SESSIONS_PARTITION_KEY.to_owned(),
                    text(record_key(&record.id)),
                )]),
            ));
            keys.push((
                self.tables.conversations.clone(),
                Item::from([
                    (PK.to_owned(), text(owner_key(owner))),
                    (SK.to_owned(), text(listing_key(&record))),
                ]),
            ));
        }
        Ok(keys)
    }

    /// One conditional PutItem: DynamoDB checks the stored version and the
    /// fixed fields and writes atomically, so of racing updates from the same
    /// version exactly one succeeds.
    pub(super) async fn update_step_up_item(
        &self,
        record: &StepUpRecord,
        expected_version: i64,
    ) -> StoreResult<bool> {
        let record = record.as_update_of(expected_version);
        let written = self
            .client
            .put_item()
            .table_name(&self.tables.sessions)
            .set_item(Some(record_item(&record)?))
            // Also false when the item does not exist.
            .condition_expression(
                "#owner = :owner AND #conversation = :conversation \
                 AND #created = :created AND #version = :expected",
            )
            .expression_attribute_names("#owner", OWNER)
            .expression_attribute_names("#conversation", CONVERSATION)
            .expression_attribute_names("#created", CREATED_AT)
            .expression_attribute_names("#version", VERSION)
            .expression_attribute_values(":owner", text(&record.owner))
            .expression_attribute_values(":conversation", text(&record.conversation_id))
            .expression_attribute_values(":created", number(record.created_at))
            .expression_attribute_values(":expected", number(expected_version))
            .send()
            .await;
        match written {
            Ok(_) => Ok(true),
            Err(error) if is_condition_failed(&error) => Ok(false),
            Err(error) => Err(unavailable("PutItem", error)),
        }
    }
}

fn record_item(record: &StepUpRecord) -> StoreResult<Item> {
    let json = serde_json::to_string(record)
        .map_err(|_| StoreError::Corrupt("a step-up record does not encode".into()))?;
    Ok(Item::from([
        (
            SESSIONS_PARTITION_KEY.to_owned(),
            text(record_key(&record.id)),
        ),
        (OWNER.to_owned(), text(&record.owner)),
        (CONVERSATION.to_owned(), text(&record.conversation_id)),
        (CREATED_AT.to_owned(), number(record.created_at)),
        (VERSION.to_owned(), number(record.version)),
        (RECORD.to_owned(), text(json)),
    ]))
}

/// serde_json's message could quote the record; keep it out.
fn decode(item: &Item) -> StoreResult<StepUpRecord> {
    let record: StepUpRecord = serde_json::from_str(get_text(item, RECORD, "step-up")?)
        .map_err(|_| StoreError::Corrupt("a step-up record does not decode".into()))?;
    // The update's condition reads the version beside the JSON; they must agree.
    if get_number(item, VERSION, "step-up")? != record.version {
        return Err(StoreError::Corrupt(
            "a step-up item's version disagrees with its record".into(),
        ));
    }
    Ok(record)
}
