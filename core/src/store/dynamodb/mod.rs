//! The AWS store: DynamoDB. Sessions, login attempts, step-ups, open chat
//! turns and the limits' window counters and slots are items of the seed's
//! table (`bedrock-sessions`: partition key `session_id`, TTL attribute
//! `ttl`); conversations, and the entries that list step-ups by
//! conversation, live in a second table laid out for listing by owner; so
//! does the audit log.
//! infra/README.md ("Data model") explains the layout.
//!
//! TTL deletion is lazy (it can lag by days), so every read checks expiry
//! itself. Every state change that must happen once is a conditional write.

mod attributes;
mod audit;
mod conversation_edits;
mod conversations;
mod counters;
mod error;
mod sessions;
mod step_ups;
mod turns;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::retry::RetryConfig;
use url::Url;

use super::{
    AuditEntry, AuditPage, AuditQuery, Conversation, ConversationList, ConversationPage,
    LimitDecision, LoginAttempt, Message, SessionRecord, SlotClaim, SlotDecision, StepUpRecord,
    Store, StoreResult, TurnRecord, WindowHit,
};

/// Partition key of the sessions table (the seed's name).
pub const SESSIONS_PARTITION_KEY: &str = "session_id";
/// Partition and sort keys of the conversations table.
pub const CONVERSATIONS_PARTITION_KEY: &str = "pk";
pub const CONVERSATIONS_SORT_KEY: &str = "sk";
/// Epoch seconds after which DynamoDB may delete an item.
pub const TTL_ATTRIBUTE: &str = "ttl";
/// The sessions table's index of a user's sessions: partition key
/// `SESSION_OWNER` (the user's `sub`, set on session items only, so the
/// index holds nothing else), projecting the record and its TTL.
pub const SESSIONS_BY_OWNER_INDEX: &str = "sessions_by_owner";
pub const SESSION_OWNER: &str = "owner";
/// A session item's record: the session as JSON, its tokens sealed.
pub const SESSION_RECORD: &str = "record";

/// Attempts per request, the first included. Throttling and transient
/// errors are retried with jittered exponential backoff between
/// `INITIAL_BACKOFF` and `MAX_BACKOFF`; a person is waiting, so the whole
/// budget stays within a few seconds.
pub const MAX_ATTEMPTS: u32 = 5;
const INITIAL_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(2);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DynamoTables {
    /// Sessions, login attempts, step-ups, open turns and limits: the seed's
    /// `bedrock-sessions`.
    pub sessions: String,
    pub conversations: String,
}

#[derive(Clone)]
pub struct DynamoStore {
    client: Client,
    tables: Arc<DynamoTables>,
}

impl fmt::Debug for DynamoStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynamoStore")
            .field("tables", &self.tables)
            .finish_non_exhaustive()
    }
}

impl DynamoStore {
    /// `endpoint` replaces the regional one (a local DynamoDB or moto);
    /// region and credentials come from `sdk_config`.
    pub fn new(
        sdk_config: &aws_config::SdkConfig,
        tables: DynamoTables,
        endpoint: Option<&Url>,
    ) -> DynamoStore {
        let retry = RetryConfig::standard()
            .with_max_attempts(MAX_ATTEMPTS)
            .with_initial_backoff(INITIAL_BACKOFF)
            .with_max_backoff(MAX_BACKOFF);
        let mut config = aws_sdk_dynamodb::config::Builder::from(sdk_config).retry_config(retry);
        if let Some(endpoint) = endpoint {
            config = config.endpoint_url(endpoint.as_str().trim_end_matches('/'));
        }
        DynamoStore {
            client: Client::from_conf(config.build()),
            tables: Arc::new(tables),
        }
    }
}

#[async_trait::async_trait]
impl Store for DynamoStore {
    async fn put_session(&self, session: &SessionRecord) -> StoreResult<()> {
        self.put_session_item(session).await
    }

    async fn get_session(&self, id: &str, now: i64) -> StoreResult<Option<SessionRecord>> {
        self.get_session_item(id, now).await
    }

    async fn delete_session(&self, id: &str) -> StoreResult<()> {
        self.delete_session_item(id).await
    }

    async fn list_sessions(&self, owner: &str, now: i64) -> StoreResult<Vec<SessionRecord>> {
        self.list_owner_sessions(owner, now).await
    }

    async fn touch_session(&self, session: &SessionRecord) -> StoreResult<bool> {
        self.touch_session_item(session).await
    }

    async fn put_login_attempt(&self, attempt: &LoginAttempt) -> StoreResult<()> {
        self.put_login_item(attempt).await
    }

    async fn take_login_attempt(&self, id: &str, now: i64) -> StoreResult<Option<LoginAttempt>> {
        self.take_login_item(id, now).await
    }

    async fn create_conversation(&self, conversation: &Conversation) -> StoreResult<()> {
        self.create_conversation_items(conversation).await
    }

    async fn get_conversation(&self, owner: &str, id: &str) -> StoreResult<Option<Conversation>> {
        self.read_conversation(owner, id).await
    }

    async fn list_conversations(
        &self,
        owner: &str,
        page: &ConversationPage,
    ) -> StoreResult<ConversationList> {
        self.list_owner_conversations(owner, page).await
    }

    async fn append_message(&self, owner: &str, id: &str, message: &Message) -> StoreResult<()> {
        self.append_message_item(owner, id, message).await
    }

    async fn create_step_up(&self, record: &StepUpRecord) -> StoreResult<()> {
        self.create_step_up_items(record).await
    }

    async fn get_step_up(&self, owner: &str, id: &str) -> StoreResult<Option<StepUpRecord>> {
        self.get_step_up_item(owner, id).await
    }

    async fn rename_conversation(&self, owner: &str, id: &str, title: &str) -> StoreResult<bool> {
        self.rename_conversation_items(owner, id, title).await
    }

    async fn delete_conversation(&self, owner: &str, id: &str) -> StoreResult<bool> {
        self.delete_conversation_items(owner, id).await
    }

    async fn list_step_ups(
        &self,
        owner: &str,
        conversation_id: &str,
    ) -> StoreResult<Vec<StepUpRecord>> {
        self.list_step_up_items(owner, conversation_id).await
    }

    async fn update_step_up(
        &self,
        record: &StepUpRecord,
        expected_version: i64,
    ) -> StoreResult<bool> {
        self.update_step_up_item(record, expected_version).await
    }

    async fn hit_limit(&self, hit: &WindowHit) -> StoreResult<LimitDecision> {
        self.hit_window(hit).await
    }

    async fn claim_slot(&self, claim: &SlotClaim) -> StoreResult<SlotDecision> {
        self.claim_slot_item(claim).await
    }

    async fn release_slot(&self, key: &str, slots: u32, holder: &str) -> StoreResult<()> {
        self.release_slot_item(key, slots, holder).await
    }

    async fn open_turn(&self, turn: &TurnRecord) -> StoreResult<()> {
        self.open_turn_item(turn).await
    }

    async fn get_open_turn(&self, id: &str, now: i64) -> StoreResult<Option<TurnRecord>> {
        self.get_open_turn_item(id, now).await
    }

    async fn close_turn(&self, id: &str) -> StoreResult<()> {
        self.close_turn_item(id).await
    }

    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        self.append_audit_item(entry).await
    }

    async fn list_audit(&self, query: &AuditQuery) -> StoreResult<AuditPage> {
        self.list_audit_items(query).await
    }

    async fn purge_expired(&self, now: i64) -> StoreResult<u64> {
        self.purge_expired_items(now).await
    }
}
