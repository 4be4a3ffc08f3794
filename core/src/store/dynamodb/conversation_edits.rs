//! Renaming and deleting a conversation. Both change the header and the
//! owner's listing entry together, in one transaction. The entry's key
//! holds the header's time, which a concurrent append may move; the
//! transaction checks the time it read, and on a move reads it again.

use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{Delete, DeleteRequest, TransactWriteItem, Update, WriteRequest};

use super::attributes::{Item, get_text, number, text};
use super::conversations::{
    HEADER, Header, MESSAGE_PREFIX, OWNER, TITLE, UPDATED_AT, conversation_key, listing_key,
    owner_key, read_header,
};
use super::error::{
    any_throttled, cancellation_reasons, malformed_request, throttled, unavailable,
};
use super::{CONVERSATIONS_PARTITION_KEY as PK, CONVERSATIONS_SORT_KEY as SK, DynamoStore};
use crate::store::{ConversationCursor, StoreError, StoreResult};

/// Appends that keep moving the header between a read and the write are
/// outrun this many times before the edit gives up.
const ATTEMPTS: usize = 5;
/// BatchWriteItem takes at most this many requests.
const BATCH: usize = 25;
/// The header is the owner's and still has the time read.
const UNMOVED: &str = "#owner = :owner AND #updated = :was";

impl DynamoStore {
    pub(super) async fn rename_conversation_items(
        &self,
        owner: &str,
        id: &str,
        title: &str,
    ) -> StoreResult<bool> {
        for _ in 0..ATTEMPTS {
            let Some(header) = self.owned_header(owner, id).await? else {
                return Ok(false);
            };
            let header_update = Update::builder()
                .table_name(&self.tables.conversations)
                .key(PK, text(conversation_key(id)))
                .key(SK, text(HEADER))
                .update_expression("SET #title = :title")
                .condition_expression(UNMOVED)
                .expression_attribute_names("#title", TITLE)
                .expression_attribute_values(":title", text(title));
            let header_update = unmoved(header_update, owner, &header)
                .build()
                .map_err(malformed_request)?;
            let (pk, sk) = self.entry_key(owner, id, &header);
            let entry = Update::builder()
                .table_name(&self.tables.conversations)
                .key(PK, text(pk))
                .key(SK, text(sk))
                .update_expression("SET #title = :title")
                .condition_expression("attribute_exists(#title)")
                .expression_attribute_names("#title", TITLE)
                .expression_attribute_values(":title", text(title))
                .build()
                .map_err(malformed_request)?;
            let items = vec![
                TransactWriteItem::builder().update(header_update).build(),
                TransactWriteItem::builder().update(entry).build(),
            ];
            if self.edited(items).await? {
                return Ok(true);
            }
        }
        Err(edit_outrun())
    }

    /// The header and the listing entry go first, together: from then on
    /// the conversation is gone for every read. Its messages and step-ups,
    /// unreachable by then, follow.
    pub(super) async fn delete_conversation_items(
        &self,
        owner: &str,
        id: &str,
    ) -> StoreResult<bool> {
        let mut deleted = false;
        for _ in 0..ATTEMPTS {
            let Some(header) = self.owned_header(owner, id).await? else {
                return Ok(false);
            };
            let (pk, sk) = self.entry_key(owner, id, &header);
            let items = vec![
                TransactWriteItem::builder()
                    .delete(self.header_delete(owner, id, &header)?)
                    .build(),
                TransactWriteItem::builder()
                    .delete(
                        Delete::builder()
                            .table_name(&self.tables.conversations)
                            .key(PK, text(pk))
                            .key(SK, text(sk))
                            .build()
                            .map_err(malformed_request)?,
                    )
                    .build(),
            ];
            if self.edited(items).await? {
                deleted = true;
                break;
            }
        }
        if !deleted {
            return Err(edit_outrun());
        }
        let messages = self
            .partition(conversation_key(id), Some(MESSAGE_PREFIX))
            .await?;
        let mut leftovers: Vec<(String, Item)> = messages
            .iter()
            .map(|item| (self.tables.conversations.clone(), key_of(item)))
            .collect();
        leftovers.extend(self.step_up_keys(owner, id).await?);
        self.delete_all(leftovers).await?;
        Ok(true)
    }

    /// The header, if it is the owner's.
    async fn owned_header(&self, owner: &str, id: &str) -> StoreResult<Option<Header>> {
        match self.header_item(id).await? {
            Some(item) if get_text(&item, OWNER, "conversation")? == owner => {
                Ok(Some(read_header(&item)?))
            }
            _ => Ok(None),
        }
    }

    /// The key of the listing entry for the header's present time.
    fn entry_key(&self, owner: &str, id: &str, header: &Header) -> (String, String) {
        let at = ConversationCursor {
            updated_at: header.updated_at,
            created_at: header.created_at,
            id: id.to_owned(),
        };
        (owner_key(owner), listing_key(&at))
    }

    fn header_delete(&self, owner: &str, id: &str, header: &Header) -> StoreResult<Delete> {
        Delete::builder()
            .table_name(&self.tables.conversations)
            .key(PK, text(conversation_key(id)))
            .key(SK, text(HEADER))
            .condition_expression(UNMOVED)
            .expression_attribute_names("#owner", OWNER)
            .expression_attribute_names("#updated", UPDATED_AT)
            .expression_attribute_values(":owner", text(owner))
            .expression_attribute_values(":was", number(header.updated_at))
            .build()
            .map_err(malformed_request)
    }

    /// True when written; false when a condition failed (the header moved
    /// or went), so the caller reads it again.
    async fn edited(&self, items: Vec<TransactWriteItem>) -> StoreResult<bool> {
        let Err(error) = self.transact(items).await else {
            return Ok(true);
        };
        match cancellation_reasons(&error).as_deref() {
            Some(reasons) if any_throttled(reasons) => Err(throttled()),
            Some(reasons) if reasons.iter().any(|r| r == "ConditionalCheckFailed") => Ok(false),
            _ => Err(unavailable("TransactWriteItems", error)),
        }
    }

    /// Deletes the items `(table, key)`, in batches, until none is left
    /// unprocessed.
    async fn delete_all(&self, keys: Vec<(String, Item)>) -> StoreResult<()> {
        for batch in keys.chunks(BATCH) {
            let mut requests = std::collections::HashMap::<String, Vec<WriteRequest>>::new();
            for (table, key) in batch {
                let delete = DeleteRequest::builder()
                    .set_key(Some(key.clone()))
                    .build()
                    .map_err(malformed_request)?;
                requests
                    .entry(table.clone())
                    .or_default()
                    .push(WriteRequest::builder().delete_request(delete).build());
            }
            for _ in 0..ATTEMPTS {
                let output = self
                    .client
                    .batch_write_item()
                    .set_request_items(Some(requests))
                    .send()
                    .await
                    .map_err(|e| unavailable("BatchWriteItem", e))?;
                requests = output.unprocessed_items.unwrap_or_default();
                if requests.values().all(Vec::is_empty) {
                    break;
                }
            }
            if !requests.values().all(Vec::is_empty) {
                return Err(throttled());
            }
        }
        Ok(())
    }
}

/// `update` on the header, with the names and values of [`UNMOVED`].
fn unmoved(update: UpdateBuilder, owner: &str, header: &Header) -> UpdateBuilder {
    update
        .expression_attribute_names("#owner", OWNER)
        .expression_attribute_names("#updated", UPDATED_AT)
        .expression_attribute_values(":owner", text(owner))
        .expression_attribute_values(":was", number(header.updated_at))
}

/// The key attributes of a conversations-table item.
fn key_of(item: &Item) -> Item {
    item.iter()
        .filter(|(name, _)| *name == PK || *name == SK)
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

fn edit_outrun() -> StoreError {
    StoreError::Conflict("the conversation kept changing while it was edited".into())
}
