//! Conversations in their own table (partition key `pk`, sort key `sk`):
//!
//! - `conversation#<id>` / `header`: owner, title, times, message count;
//! - `conversation#<id>` / `message#<seq>`: one item per message, so a long
//!   conversation never meets the 400 KB item limit; one Query reads the
//!   header and the messages in order;
//! - `owner#<sub>` / `recent#<updated_at>#<created_at>#<id>` (times
//!   zero-padded): the owner's listing entry (title and times). Its sort
//!   key is the listing order, so a sidebar page is one strongly
//!   consistent Query, newest first, with `Limit` and `ExclusiveStartKey`;
//!   a new latest message moves the entry (delete and put in one
//!   transaction with the header's times).
//!
//! The owner's partition also holds step-ups' listing entries
//! (`stepup#…`, see `step_ups.rs`); the sidebar's Query skips them by prefix.
//!
//! Writes that touch several of these are transactions, so the header, the
//! messages and the listing entry never disagree.

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::{
    TransactWriteItemsError, TransactWriteItemsOutput,
};
use aws_sdk_dynamodb::types::builders::PutBuilder;
use aws_sdk_dynamodb::types::{Delete, Put, ReturnValue, TransactWriteItem, Update};

use super::attributes::{Item, get_number, get_text, number, text};
use super::error::{
    any_throttled, cancellation_reasons, is_condition_failed, malformed_request, throttled,
    unavailable,
};
use super::{CONVERSATIONS_PARTITION_KEY as PK, CONVERSATIONS_SORT_KEY as SK, DynamoStore};
use crate::store::{
    Conversation, ConversationCursor, ConversationList, ConversationPage, ConversationSummary,
    Message, Role, StoreError, StoreResult,
};

pub(super) const CONVERSATION_PREFIX: &str = "conversation#";
const OWNER_PREFIX: &str = "owner#";
const LISTING_PREFIX: &str = "recent#";
pub(super) const HEADER: &str = "header";
pub(super) const MESSAGE_PREFIX: &str = "message#";

pub(super) const OWNER: &str = "owner";
pub(super) const TITLE: &str = "title";
const CREATED_AT: &str = "created_at";
pub(super) const UPDATED_AT: &str = "updated_at";
const MESSAGE_COUNT: &str = "message_count";
const ROLE: &str = "role";
const TEXT: &str = "text";
const AT: &str = "at";

/// A transaction holds at most 100 items: the header, the listing entry
/// and this many messages. Longer new conversations get the rest appended.
const MESSAGES_PER_CREATE: usize = 98;
/// With `#pk` named: the item does not exist yet.
const ABSENT: &str = "attribute_not_exists(#pk)";

pub(super) fn conversation_key(id: &str) -> String {
    format!("{CONVERSATION_PREFIX}{id}")
}

pub(super) fn owner_key(owner: &str) -> String {
    format!("{OWNER_PREFIX}{owner}")
}

/// Zero-padded, so that sort-key order is the listing order. Built only
/// from a position, and queried only inside the asker's partition: a
/// cursor never reaches another owner's items.
pub(super) fn listing_key(at: &ConversationCursor) -> String {
    format!(
        "{LISTING_PREFIX}{:020}#{:020}#{}",
        at.updated_at, at.created_at, at.id
    )
}

/// Zero-padded so that sort-key order is message order.
fn message_key(seq: i64) -> String {
    format!("{MESSAGE_PREFIX}{seq:010}")
}

/// The header's fields besides the owner.
pub(super) struct Header {
    pub(super) title: String,
    pub(super) created_at: i64,
    pub(super) updated_at: i64,
    pub(super) message_count: i64,
}

impl DynamoStore {
    pub(super) async fn create_conversation_items(
        &self,
        conversation: &Conversation,
    ) -> StoreResult<()> {
        let (first, rest) = conversation
            .messages
            .split_at(conversation.messages.len().min(MESSAGES_PER_CREATE));
        let header = self
            .put(conversation_key(&conversation.id), HEADER.to_owned())
            .item(OWNER, text(&conversation.owner))
            .item(TITLE, text(&conversation.title))
            .item(CREATED_AT, number(conversation.created_at))
            .item(UPDATED_AT, number(conversation.updated_at))
            .item(MESSAGE_COUNT, number(first.len() as i64))
            // Ids are global: nobody may take over another owner's.
            .condition_expression(ABSENT)
            .expression_attribute_names("#pk", PK);
        let mut items = vec![header, self.listing_put(conversation)];
        for (seq, message) in (1..).zip(first) {
            items.push(self.message_put(&conversation.id, seq, message));
        }
        let items = items
            .into_iter()
            .map(|put| Ok(TransactWriteItem::builder().put(put.build()?).build()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(malformed_request)?;

        if let Err(error) = self.transact(items).await {
            return Err(match cancellation_reasons(&error) {
                Some(reasons) if any_throttled(&reasons) => throttled(),
                Some(reasons) if reasons.iter().any(|r| r == "ConditionalCheckFailed") => {
                    StoreError::Conflict("a conversation with this id exists".into())
                }
                _ => unavailable("TransactWriteItems", error),
            });
        }
        for message in rest {
            self.append_message_item(&conversation.owner, &conversation.id, message)
                .await?;
        }
        Ok(())
    }

    pub(super) async fn read_conversation(
        &self,
        owner: &str,
        id: &str,
    ) -> StoreResult<Option<Conversation>> {
        let items = self.partition(conversation_key(id), None).await?;
        // `header` sorts before `message#…`.
        let Some((header, messages)) = items.split_first() else {
            return Ok(None);
        };
        if get_text(header, SK, "conversation")? != HEADER
            || get_text(header, OWNER, "conversation")? != owner
        {
            return Ok(None);
        }
        let header_fields = read_header(header)?;
        Ok(Some(Conversation {
            id: id.to_owned(),
            owner: owner.to_owned(),
            title: header_fields.title,
            created_at: header_fields.created_at,
            updated_at: header_fields.updated_at,
            messages: messages
                .iter()
                .map(read_message)
                .collect::<StoreResult<_>>()?,
        }))
    }

    pub(super) async fn list_owner_conversations(
        &self,
        owner: &str,
        page: &ConversationPage,
    ) -> StoreResult<ConversationList> {
        let start = page.after.as_ref().map(|after| {
            Item::from([
                (PK.to_owned(), text(owner_key(owner))),
                (SK.to_owned(), text(listing_key(after))),
            ])
        });
        let output = self
            .client
            .query()
            .table_name(&self.tables.conversations)
            .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
            .expression_attribute_names("#pk", PK)
            .expression_attribute_names("#sk", SK)
            .expression_attribute_values(":pk", text(owner_key(owner)))
            .expression_attribute_values(":prefix", text(LISTING_PREFIX))
            .scan_index_forward(false)
            .limit(page.rows_to_read() as i32)
            .set_exclusive_start_key(start)
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| unavailable("Query", e))?;
        let rows = output
            .items()
            .iter()
            .map(read_listing)
            .collect::<StoreResult<Vec<_>>>()?;
        // A Query stops at 1 MB too, before `Limit`; then it says where.
        Ok(page.finish(rows, output.last_evaluated_key().is_some()))
    }

    /// The header's counter hands out the message's number atomically, so
    /// concurrent appends never collide or retry. Then the message and, if
    /// it is the newest, the bumped times go in one transaction.
    pub(super) async fn append_message_item(
        &self,
        owner: &str,
        id: &str,
        message: &Message,
    ) -> StoreResult<()> {
        let counted = self
            .client
            .update_item()
            .table_name(&self.tables.conversations)
            .key(PK, text(conversation_key(id)))
            .key(SK, text(HEADER))
            .update_expression("ADD #count :one")
            // Also false when the header does not exist.
            .condition_expression("#owner = :owner")
            .expression_attribute_names("#count", MESSAGE_COUNT)
            .expression_attribute_names("#owner", OWNER)
            .expression_attribute_values(":one", number(1))
            .expression_attribute_values(":owner", text(owner))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        let header = match counted {
            Ok(output) => read_header(&output.attributes.unwrap_or_default())?,
            Err(error) if is_condition_failed(&error) => {
                return Err(StoreError::Conflict(
                    "no such conversation for this user".into(),
                ));
            }
            Err(error) => return Err(unavailable("UpdateItem", error)),
        };
        let seq = header.message_count;
        if message.at > header.updated_at && self.bump_with(owner, id, seq, message, header).await?
        {
            return Ok(());
        }
        // Stamped no later than the newest: it goes in alone, and must not
        // move the conversation down the list.
        self.client
            .put_item()
            .table_name(&self.tables.conversations)
            .set_item(Some(message_item(id, seq, message)))
            .condition_expression(ABSENT)
            .expression_attribute_names("#pk", PK)
            .send()
            .await
            .map_err(|e| unavailable("PutItem", e))?;
        Ok(())
    }

    /// Puts the message, moves the header's time to it and the listing
    /// entry to its new place, in one transaction. The header must still
    /// show the time read, so the entry removed is the one that exists;
    /// when another append moved it meanwhile, the header is read again.
    /// False when a newer message got there first.
    async fn bump_with(
        &self,
        owner: &str,
        id: &str,
        seq: i64,
        message: &Message,
        mut header: Header,
    ) -> StoreResult<bool> {
        while message.at > header.updated_at {
            let items = self.bump_items(owner, id, seq, message, &header)?;
            let Err(error) = self.transact(items).await else {
                return Ok(true);
            };
            match cancellation_reasons(&error).as_deref() {
                Some(reasons) if any_throttled(reasons) => return Err(throttled()),
                Some([_, moved, ..]) if moved == "ConditionalCheckFailed" => {
                    header = self.read_header_item(id).await?;
                }
                _ => return Err(unavailable("TransactWriteItems", error)),
            }
        }
        Ok(false)
    }

    fn bump_items(
        &self,
        owner: &str,
        id: &str,
        seq: i64,
        message: &Message,
        header: &Header,
    ) -> StoreResult<Vec<TransactWriteItem>> {
        let bump_header = Update::builder()
            .table_name(&self.tables.conversations)
            .key(PK, text(conversation_key(id)))
            .key(SK, text(HEADER))
            .update_expression("SET #updated = :at")
            .condition_expression("#updated = :was")
            .expression_attribute_names("#updated", UPDATED_AT)
            .expression_attribute_values(":at", number(message.at))
            .expression_attribute_values(":was", number(header.updated_at))
            .build()
            .map_err(malformed_request)?;
        let at = |updated_at| ConversationCursor {
            updated_at,
            created_at: header.created_at,
            id: id.to_owned(),
        };
        let old_listing = Delete::builder()
            .table_name(&self.tables.conversations)
            .key(PK, text(owner_key(owner)))
            .key(SK, text(listing_key(&at(header.updated_at))))
            .build()
            .map_err(malformed_request)?;
        let new_listing = self
            .put(owner_key(owner), listing_key(&at(message.at)))
            .item(TITLE, text(&header.title))
            .item(CREATED_AT, number(header.created_at))
            .item(UPDATED_AT, number(message.at))
            .build()
            .map_err(malformed_request)?;
        let message_put = self
            .message_put(id, seq, message)
            .build()
            .map_err(malformed_request)?;
        Ok(vec![
            TransactWriteItem::builder().put(message_put).build(),
            TransactWriteItem::builder().update(bump_header).build(),
            TransactWriteItem::builder().delete(old_listing).build(),
            TransactWriteItem::builder().put(new_listing).build(),
        ])
    }

    async fn read_header_item(&self, id: &str) -> StoreResult<Header> {
        let item = self
            .header_item(id)
            .await?
            .ok_or_else(|| StoreError::Conflict("no such conversation for this user".into()))?;
        read_header(&item)
    }

    /// The conversation's header item, read consistently.
    pub(super) async fn header_item(&self, id: &str) -> StoreResult<Option<Item>> {
        let output = self
            .client
            .get_item()
            .table_name(&self.tables.conversations)
            .key(PK, text(conversation_key(id)))
            .key(SK, text(HEADER))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| unavailable("GetItem", e))?;
        Ok(output.item)
    }

    /// Every item of one partition of the conversations table, or those
    /// whose sort key begins with `sort_prefix`: all pages, read consistently.
    pub(super) async fn partition(
        &self,
        key: String,
        sort_prefix: Option<&str>,
    ) -> StoreResult<Vec<Item>> {
        let query = self
            .client
            .query()
            .table_name(&self.tables.conversations)
            .expression_attribute_names("#pk", PK)
            .expression_attribute_values(":pk", text(key))
            .consistent_read(true);
        let query = match sort_prefix {
            None => query.key_condition_expression("#pk = :pk"),
            Some(prefix) => query
                .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expression_attribute_names("#sk", SK)
                .expression_attribute_values(":prefix", text(prefix)),
        };
        query
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| unavailable("Query", e))
    }

    pub(super) async fn transact(
        &self,
        items: Vec<TransactWriteItem>,
    ) -> Result<TransactWriteItemsOutput, SdkError<TransactWriteItemsError, HttpResponse>> {
        self.client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
    }

    fn put(&self, pk: String, sk: String) -> PutBuilder {
        Put::builder()
            .table_name(&self.tables.conversations)
            .item(PK, text(pk))
            .item(SK, text(sk))
    }

    fn listing_put(&self, conversation: &Conversation) -> PutBuilder {
        let at = ConversationCursor {
            updated_at: conversation.updated_at,
            created_at: conversation.created_at,
            id: conversation.id.clone(),
        };
        self.put(owner_key(&conversation.owner), listing_key(&at))
            .item(TITLE, text(&conversation.title))
            .item(CREATED_AT, number(conversation.created_at))
            .item(UPDATED_AT, number(conversation.updated_at))
    }

    /// Conditional, so a message is never overwritten.
    fn message_put(&self, id: &str, seq: i64, message: &Message) -> PutBuilder {
        Put::builder()
            .table_name(&self.tables.conversations)
            .set_item(Some(message_item(id, seq, message)))
            .condition_expression(ABSENT)
            .expression_attribute_names("#pk", PK)
    }
}

fn message_item(id: &str, seq: i64, message: &Message) -> Item {
    Item::from([
        (PK.to_owned(), text(conversation_key(id))),
        (SK.to_owned(), text(message_key(seq))),
        (ROLE.to_owned(), text(message.role.as_str())),
        (TEXT.to_owned(), text(&message.text)),
        (AT.to_owned(), number(message.at)),
    ])
}

pub(super) fn read_header(item: &Item) -> StoreResult<Header> {
    Ok(Header {
        title: get_text(item, TITLE, "conversation")?.to_owned(),
        created_at: get_number(item, CREATED_AT, "conversation")?,
        updated_at: get_number(item, UPDATED_AT, "conversation")?,
        message_count: get_number(item, MESSAGE_COUNT, "conversation")?,
    })
}

fn read_message(item: &Item) -> StoreResult<Message> {
    let role = get_text(item, ROLE, "message")?;
    Ok(Message {
        role: Role::parse(role)
            .ok_or_else(|| StoreError::Corrupt("a message has an unknown role".into()))?,
        text: get_text(item, TEXT, "message")?.to_owned(),
        at: get_number(item, AT, "message")?,
    })
}

fn read_listing(item: &Item) -> StoreResult<ConversationSummary> {
    let key = get_text(item, SK, "listing")?;
    let id = key
        .strip_prefix(LISTING_PREFIX)
        .and_then(|rest| rest.splitn(3, '#').nth(2))
        .ok_or_else(|| StoreError::Corrupt("a listing item has a malformed sort key".into()))?;
    Ok(ConversationSummary {
        id: id.to_owned(),
        title: get_text(item, TITLE, "listing")?.to_owned(),
        created_at: get_number(item, CREATED_AT, "listing")?,
        updated_at: get_number(item, UPDATED_AT, "listing")?,
    })
}
