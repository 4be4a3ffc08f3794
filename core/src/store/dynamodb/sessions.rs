//! Sessions and login attempts: single items in the sessions table, their
//! kind in the key's prefix, their expiry in the TTL attribute.

use aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};

use super::attributes::{Item, get_number, get_text, number, text};
use super::error::{is_condition_failed, unavailable};
use super::{
    DynamoStore, SESSION_OWNER, SESSION_RECORD, SESSIONS_BY_OWNER_INDEX, SESSIONS_PARTITION_KEY,
    TTL_ATTRIBUTE,
};
use crate::store::{LoginAttempt, SessionRecord, StoreError, StoreResult};

const SESSION_PREFIX: &str = "session#";
const LOGIN_PREFIX: &str = "login#";
const SEALED: &str = "sealed";

fn key(prefix: &str, id: &str) -> AttributeValue {
    text(format!("{prefix}{id}"))
}

fn session_record(item: &Item) -> StoreResult<SessionRecord> {
    // serde_json's message could quote the record; keep it out.
    serde_json::from_str(get_text(item, SESSION_RECORD, "session")?)
        .map_err(|_| StoreError::Corrupt("a session record does not decode".into()))
}

impl DynamoStore {
    /// One item of the sessions table by its partition key, read
    /// consistently.
    pub(super) async fn sessions_item(&self, key: AttributeValue) -> StoreResult<Option<Item>> {
        let output = self
            .client
            .get_item()
            .table_name(&self.tables.sessions)
            .key(SESSIONS_PARTITION_KEY, key)
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| unavailable("GetItem", e))?;
        Ok(output.item)
    }

    pub(super) async fn put_session_item(&self, session: &SessionRecord) -> StoreResult<()> {
        self.session_put(session)?
            .send()
            .await
            .map_err(|e| unavailable("PutItem", e))?;
        Ok(())
    }

    /// A PutItem conditioned on the item still existing.
    pub(super) async fn touch_session_item(&self, session: &SessionRecord) -> StoreResult<bool> {
        let touched = self
            .session_put(session)?
            .condition_expression("attribute_exists(#pk)")
            .expression_attribute_names("#pk", SESSIONS_PARTITION_KEY)
            .send()
            .await;
        match touched {
            Ok(_) => Ok(true),
            Err(error) if is_condition_failed(&error) => Ok(false),
            Err(error) => Err(unavailable("PutItem", error)),
        }
    }

    fn session_put(&self, session: &SessionRecord) -> StoreResult<PutItemFluentBuilder> {
        let record = serde_json::to_string(session)
            .map_err(|_| StoreError::Corrupt("a session record does not encode".into()))?;
        Ok(self
            .client
            .put_item()
            .table_name(&self.tables.sessions)
            .item(SESSIONS_PARTITION_KEY, key(SESSION_PREFIX, &session.id))
            .item(SESSION_OWNER, text(&session.user.sub))
            .item(SESSION_RECORD, text(record))
            .item(TTL_ATTRIBUTE, number(session.expires_at())))
    }

    pub(super) async fn get_session_item(
        &self,
        id: &str,
        now: i64,
    ) -> StoreResult<Option<SessionRecord>> {
        let Some(item) = self.sessions_item(key(SESSION_PREFIX, id)).await? else {
            return Ok(None);
        };
        if !is_live(&item, now, "session")? {
            return Ok(None);
        }
        let record = session_record(&item)?;
        Ok((now < record.expires_at()).then_some(record))
    }

    /// Reads the owner index to its end: a user has few live sessions.
    pub(super) async fn list_owner_sessions(
        &self,
        owner: &str,
        now: i64,
    ) -> StoreResult<Vec<SessionRecord>> {
        let items: Vec<Item> = self
            .client
            .query()
            .table_name(&self.tables.sessions)
            .index_name(SESSIONS_BY_OWNER_INDEX)
            .key_condition_expression("#owner = :owner")
            .filter_expression("#ttl > :now")
            .expression_attribute_names("#owner", SESSION_OWNER)
            .expression_attribute_names("#ttl", TTL_ATTRIBUTE)
            .expression_attribute_values(":owner", text(owner))
            .expression_attribute_values(":now", number(now))
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| unavailable("Query", e))?;
        let records = items
            .iter()
            .map(session_record)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(crate::store::sessions_seen_last_first(records, now))
    }

    pub(super) async fn delete_session_item(&self, id: &str) -> StoreResult<()> {
        self.client
            .delete_item()
            .table_name(&self.tables.sessions)
            .key(SESSIONS_PARTITION_KEY, key(SESSION_PREFIX, id))
            .send()
            .await
            .map_err(|e| unavailable("DeleteItem", e))?;
        Ok(())
    }

    pub(super) async fn put_login_item(&self, attempt: &LoginAttempt) -> StoreResult<()> {
        self.client
            .put_item()
            .table_name(&self.tables.sessions)
            .item(SESSIONS_PARTITION_KEY, key(LOGIN_PREFIX, &attempt.id))
            .item(SEALED, text(attempt.sealed.clone()))
            .item(TTL_ATTRIBUTE, number(attempt.expires_at))
            .send()
            .await
            .map_err(|e| unavailable("PutItem", e))?;
        Ok(())
    }

    /// One DeleteItem both removes and returns the item, so of two racing
    /// takers only one receives it; an expired attempt is removed all the same.
    pub(super) async fn take_login_item(
        &self,
        id: &str,
        now: i64,
    ) -> StoreResult<Option<LoginAttempt>> {
        let output = self
            .client
            .delete_item()
            .table_name(&self.tables.sessions)
            .key(SESSIONS_PARTITION_KEY, key(LOGIN_PREFIX, id))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(|e| unavailable("DeleteItem", e))?;
        let Some(item) = output.attributes else {
            return Ok(None);
        };
        if !is_live(&item, now, "login attempt")? {
            return Ok(None);
        }
        Ok(Some(LoginAttempt {
            id: id.to_owned(),
            sealed: get_text(&item, SEALED, "login attempt")?.to_owned(),
            expires_at: get_number(&item, TTL_ATTRIBUTE, "login attempt")?,
        }))
    }

    /// DynamoDB's TTL does this in AWS; this is for callers that want it now.
    /// Each delete is conditional, so an item renewed meanwhile is kept.
    pub(super) async fn purge_expired_items(&self, now: i64) -> StoreResult<u64> {
        let expired = self
            .client
            .scan()
            .table_name(&self.tables.sessions)
            .filter_expression("#ttl <= :now")
            .projection_expression("#pk")
            .expression_attribute_names("#ttl", TTL_ATTRIBUTE)
            .expression_attribute_names("#pk", SESSIONS_PARTITION_KEY)
            .expression_attribute_values(":now", number(now))
            .consistent_read(true)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| unavailable("Scan", e))?;
        let mut removed = 0;
        for item in expired {
            let Some(id) = item.get(SESSIONS_PARTITION_KEY) else {
                continue;
            };
            let deleted = self
                .client
                .delete_item()
                .table_name(&self.tables.sessions)
                .key(SESSIONS_PARTITION_KEY, id.clone())
                .condition_expression("#ttl <= :now")
                .expression_attribute_names("#ttl", TTL_ATTRIBUTE)
                .expression_attribute_values(":now", number(now))
                .send()
                .await;
            match deleted {
                Ok(_) => removed += 1,
                Err(error) if is_condition_failed(&error) => {}
                Err(error) => return Err(unavailable("DeleteItem", error)),
            }
        }
        Ok(removed)
    }
}

/// Whether `now` is before the item's TTL.
pub(super) fn is_live(item: &Item, now: i64, what: &str) -> StoreResult<bool> {
    Ok(now < get_number(item, TTL_ATTRIBUTE, what)?)
}
