//! Open chat turns: `turn#<id>` items in the sessions table, the record as
//! JSON and the turn's deadline as the TTL. Closing deletes the item, so an
//! item that is there and unexpired is an open turn.

use super::attributes::{Item, get_text, number, text};
use super::error::{is_condition_failed, unavailable};
use super::sessions::is_live;
use super::{DynamoStore, SESSIONS_PARTITION_KEY, TTL_ATTRIBUTE};
use crate::store::{StoreError, StoreResult, TurnRecord};

const TURN_PREFIX: &str = "turn#";
const RECORD: &str = "record";

fn turn_key(id: &str) -> String {
    format!("{TURN_PREFIX}{id}")
}

impl DynamoStore {
    /// One conditional PutItem: a turn id is never reused.
    pub(super) async fn open_turn_item(&self, turn: &TurnRecord) -> StoreResult<()> {
        let json = serde_json::to_string(turn)
            .map_err(|_| StoreError::Corrupt("a turn record does not encode".into()))?;
        let item = Item::from([
            (SESSIONS_PARTITION_KEY.to_owned(), text(turn_key(&turn.id))),
            (RECORD.to_owned(), text(json)),
            (TTL_ATTRIBUTE.to_owned(), number(turn.expires_at)),
        ]);
        let written = self
            .client
            .put_item()
            .table_name(&self.tables.sessions)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(#key)")
            .expression_attribute_names("#key", SESSIONS_PARTITION_KEY)
            .send()
            .await;
        match written {
            Ok(_) => Ok(()),
            Err(error) if is_condition_failed(&error) => {
                Err(StoreError::Conflict("a turn with this id exists".into()))
            }
            Err(error) => Err(unavailable("PutItem", error)),
        }
    }

    /// Read consistently: a turn closed a moment ago must read as closed.
    pub(super) async fn get_open_turn_item(
        &self,
        id: &str,
        now: i64,
    ) -> StoreResult<Option<TurnRecord>> {
        let Some(item) = self.sessions_item(text(turn_key(id))).await? else {
            return Ok(None);
        };
        // TTL deletion is lazy: an expired item is a closed turn.
        if !is_live(&item, now, "turn")? {
            return Ok(None);
        }
        let record: TurnRecord = serde_json::from_str(get_text(&item, RECORD, "turn")?)
            .map_err(|_| StoreError::Corrupt("a turn record does not decode".into()))?;
        Ok((record.id == id && now < record.expires_at).then_some(record))
    }

    pub(super) async fn close_turn_item(&self, id: &str) -> StoreResult<()> {
        self.client
            .delete_item()
            .table_name(&self.tables.sessions)
            .key(SESSIONS_PARTITION_KEY, text(turn_key(id)))
            .send()
            .await
            .map_err(|e| unavailable("DeleteItem", e))?;
        Ok(())
    }
}
