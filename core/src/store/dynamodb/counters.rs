//! Window counters and slots: single items of the sessions table whose
//! `ttl` is when the window ends or the slot frees, so DynamoDB's TTL (and
//! `purge_expired`) removes them like any expired session.
//!
//! - `limit#<key>`: `count` hits in the window that ends at `ttl`. A hit
//!   first tries to open a new window (conditional on none being open),
//!   then to count in the open one (`ADD`, conditional on the count being
//!   under the limit). Each write is atomic, so of concurrent hits exactly
//!   `limit` are counted, across every client.
//! - `slot#<key>#<n>`: held by `holder` until `ttl`. A claim puts a slot
//!   conditional on it being free; a release deletes it conditional on
//!   the holder.

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, ReturnValuesOnConditionCheckFailure};

use super::attributes::{Item, get_number, number, text};
use super::error::{is_condition_failed, unavailable};
use super::{DynamoStore, SESSIONS_PARTITION_KEY, TTL_ATTRIBUTE};
use crate::store::{LimitDecision, SlotClaim, SlotDecision, StoreError, StoreResult, WindowHit};

const WINDOW_PREFIX: &str = "limit#";
const SLOT_PREFIX: &str = "slot#";
const COUNT: &str = "count";
const HOLDER: &str = "holder";
/// Rounds of open-then-count before giving up; another round is needed
/// only when a window ends or is purged between the two writes.
const ROUNDS: usize = 3;

/// What counting in the open window found.
enum Counted {
    Allowed(u32),
    /// Full until this time; or, if that has passed, gone meanwhile.
    Full(i64),
    Missing,
}

fn slot_key(key: &str, slot: u32) -> AttributeValue {
    text(format!("{SLOT_PREFIX}{key}#{slot}"))
}

impl DynamoStore {
    pub(super) async fn hit_window(&self, hit: &WindowHit) -> StoreResult<LimitDecision> {
        if let Some(refused) = LimitDecision::for_zero_limit(hit) {
            return Ok(refused);
        }
        let (limit, now) = (hit.limit, hit.now);
        let pk = text(format!("{WINDOW_PREFIX}{}", hit.key));
        for _ in 0..ROUNDS {
            if self.open_window(&pk, now, hit.window_ends()).await? {
                return Ok(LimitDecision::Allowed { count: 1 });
            }
            match self.count_in_window(&pk, limit, now).await? {
                Counted::Allowed(count) => return Ok(LimitDecision::Allowed { count }),
                Counted::Full(ends) if ends > now => {
                    return Ok(LimitDecision::Refused { retry_at: ends });
                }
                Counted::Full(_) | Counted::Missing => continue,
            }
        }
        Err(StoreError::Unavailable(
            "a limit's window kept changing under concurrent hits".into(),
        ))
    }

    /// Starts a window with this hit, unless one is open; true if it did.
    async fn open_window(&self, pk: &AttributeValue, now: i64, ends: i64) -> StoreResult<bool> {
        let opened = self
            .client
            .update_item()
            .table_name(&self.tables.sessions)
            .key(SESSIONS_PARTITION_KEY, pk.clone())
            .update_expression("SET #count = :one, #ttl = :ends")
            .condition_expression("attribute_not_exists(#pk) OR #ttl <= :now")
            .expression_attribute_names("#pk", SESSIONS_PARTITION_KEY)
            .expression_attribute_names("#count", COUNT)
            .expression_attribute_names("#ttl", TTL_ATTRIBUTE)
            .expression_attribute_values(":one", number(1))
            .expression_attribute_values(":ends", number(ends))
            .expression_attribute_values(":now", number(now))
            .send()
            .await;
        match opened {
            Ok(_) => Ok(true),
            Err(error) if is_condition_failed(&error) => Ok(false),
            Err(error) => Err(unavailable("UpdateItem", error)),
        }
    }

    async fn count_in_window(
        &self,
        pk: &AttributeValue,
        limit: u32,
        now: i64,
    ) -> StoreResult<Counted> {
        let counted = self
            .client
            .update_item()
            .table_name(&self.tables.sessions)
            .key(SESSIONS_PARTITION_KEY, pk.clone())
            .update_expression("ADD #count :one")
            .condition_expression("#ttl > :now AND #count < :limit")
            .expression_attribute_names("#count", COUNT)
            .expression_attribute_names("#ttl", TTL_ATTRIBUTE)
            .expression_attribute_values(":one", number(1))
            .expression_attribute_values(":now", number(now))
            .expression_attribute_values(":limit", number(i64::from(limit)))
            .return_values(ReturnValue::UpdatedNew)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match counted {
            Ok(output) => {
                let attributes = output.attributes.unwrap_or_default();
                Ok(Counted::Allowed(count_of(&attributes)?))
            }
            Err(error) if is_condition_failed(&error) => Ok(match old_item(&error) {
                Some(item) => Counted::Full(get_number(&item, TTL_ATTRIBUTE, "limit window")?),
                None => Counted::Missing,
            }),
            Err(error) => Err(unavailable("UpdateItem", error)),
        }
    }

    pub(super) async fn claim_slot_item(&self, claim: &SlotClaim) -> StoreResult<SlotDecision> {
        let mut frees_at: Option<i64> = None;
        for slot in 0..claim.slots {
            let claimed = self
                .client
                .put_item()
                .table_name(&self.tables.sessions)
                .item(SESSIONS_PARTITION_KEY, slot_key(&claim.key, slot))
                .item(HOLDER, text(&claim.holder))
                .item(TTL_ATTRIBUTE, number(claim.expires_at))
                .condition_expression("attribute_not_exists(#pk) OR #ttl <= :now")
                .expression_attribute_names("#pk", SESSIONS_PARTITION_KEY)
                .expression_attribute_names("#ttl", TTL_ATTRIBUTE)
                .expression_attribute_values(":now", number(claim.now))
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                )
                .send()
                .await;
            match claimed {
                Ok(_) => return Ok(SlotDecision::Claimed),
                Err(error) if is_condition_failed(&error) => {
                    if let Some(item) = held_item(&error) {
                        let ttl = get_number(&item, TTL_ATTRIBUTE, "limit slot")?;
                        frees_at = Some(frees_at.map_or(ttl, |earliest| earliest.min(ttl)));
                    }
                }
                Err(error) => return Err(unavailable("PutItem", error)),
            }
        }
        Ok(SlotDecision::Full {
            frees_at: frees_at.unwrap_or(claim.now),
        })
    }

    pub(super) async fn release_slot_item(
        &self,
        key: &str,
        slots: u32,
        holder: &str,
    ) -> StoreResult<()> {
        for slot in 0..slots {
            let released = self
                .client
                .delete_item()
                .table_name(&self.tables.sessions)
                .key(SESSIONS_PARTITION_KEY, slot_key(key, slot))
                .condition_expression("#holder = :holder")
                .expression_attribute_names("#holder", HOLDER)
                .expression_attribute_values(":holder", text(holder))
                .send()
                .await;
            match released {
                Ok(_) => return Ok(()),
                Err(error) if is_condition_failed(&error) => {}
                Err(error) => return Err(unavailable("DeleteItem", error)),
            }
        }
        Ok(())
    }
}

fn count_of(attributes: &Item) -> StoreResult<u32> {
    let count = get_number(attributes, COUNT, "limit window")?;
    u32::try_from(count)
        .map_err(|_| StoreError::Corrupt("a limit window's count is out of range".into()))
}

/// The item a failed condition found, as DynamoDB returned it.
fn old_item<R>(error: &SdkError<UpdateItemError, R>) -> Option<Item> {
    match error.as_service_error()? {
        UpdateItemError::ConditionalCheckFailedException(failed) => failed.item.clone(),
        _ => None,
    }
}

fn held_item<R>(error: &SdkError<PutItemError, R>) -> Option<Item> {
    match error.as_service_error()? {
        PutItemError::ConditionalCheckFailedException(failed) => failed.item.clone(),
        _ => None,
    }
}
