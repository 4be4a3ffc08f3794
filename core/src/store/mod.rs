//! Where sessions, login attempts, conversations, step-ups, open chat
//! turns and the counters behind rate limits live. One trait, two
//! backends: an embedded SQLite file locally (shared by every local process)
//! and DynamoDB in AWS. Expiry is enforced on read; deletion of expired
//! records is lazy housekeeping, as with DynamoDB's TTL.

mod audit;
mod counters;
pub mod dynamodb;
#[cfg(feature = "embedded-store")]
mod embedded;
#[cfg(feature = "embedded-store")]
mod embedded_audit;
#[cfg(feature = "embedded-store")]
mod embedded_counters;
mod paging;
mod records;
#[cfg(feature = "embedded-store")]
mod schema;
mod search;

pub use audit::{AuditCursor, AuditEntry, AuditFilter, AuditPage, AuditQuery, MAX_AUDIT_PAGE};
pub use counters::{LimitDecision, SlotClaim, SlotDecision, WindowHit};
pub use dynamodb::{DynamoStore, DynamoTables};
#[cfg(feature = "embedded-store")]
pub use embedded::EmbeddedStore;
pub use paging::{ConversationCursor, ConversationList, ConversationPage};
pub use records::*;
pub use search::{SearchQuery, search_conversations};

/// Messages name what failed, never a record's contents.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the session store is unavailable: {0}")]
    Unavailable(String),
    #[error("a stored record is unreadable: {0}")]
    Corrupt(String),
    #[error("conflict: {0}")]
    Conflict(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Times are Unix seconds, passed in so that expiry is testable.
#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// Inserts or replaces.
    async fn put_session(&self, session: &SessionRecord) -> StoreResult<()>;
    /// `None` when missing or when `now` has reached either expiry.
    async fn get_session(&self, id: &str, now: i64) -> StoreResult<Option<SessionRecord>>;
    async fn delete_session(&self, id: &str) -> StoreResult<()>;
    /// Replaces a session only while it is still stored; false when it is
    /// gone, so a late idle-expiry touch never re-creates a session that
    /// sign-out deleted meanwhile.
    async fn touch_session(&self, session: &SessionRecord) -> StoreResult<bool>;
    /// The live sessions of the user with this `sub`, most recently seen
    /// first. On DynamoDB this reads an index, which may lag a write by a
    /// moment.
    async fn list_sessions(&self, owner: &str, now: i64) -> StoreResult<Vec<SessionRecord>>;

    async fn put_login_attempt(&self, attempt: &LoginAttempt) -> StoreResult<()>;
    /// Removes and returns the attempt, atomically: of two concurrent takes
    /// only one gets it. An expired attempt is removed and reads as `None`.
    async fn take_login_attempt(&self, id: &str, now: i64) -> StoreResult<Option<LoginAttempt>>;

    /// Fails with `Conflict` if the id is taken.
    async fn create_conversation(&self, conversation: &Conversation) -> StoreResult<()>;
    /// `None` for a missing id and for another owner's.
    async fn get_conversation(&self, owner: &str, id: &str) -> StoreResult<Option<Conversation>>;
    /// One page of the owner's conversations, newest `updated_at` first
    /// (ties: newest `created_at`, then highest id). Pages taken cursor by
    /// cursor list every conversation once; a cursor only ever selects
    /// `owner`'s own conversations.
    async fn list_conversations(
        &self,
        owner: &str,
        page: &ConversationPage,
    ) -> StoreResult<ConversationList>;
    /// Appends and moves `updated_at` to the message's time; `Conflict` for
    /// a missing id or another owner's.
    async fn append_message(&self, owner: &str, id: &str, message: &Message) -> StoreResult<()>;
    /// Gives the owner's conversation a new title; its place in the list
    /// stays. False for a missing id and for another owner's.
    async fn rename_conversation(&self, owner: &str, id: &str, title: &str) -> StoreResult<bool>;
    /// Deletes the owner's conversation with its messages and step-ups. It
    /// is gone for every read at once; false for a missing id and for
    /// another owner's, which stays as it was.
    async fn delete_conversation(&self, owner: &str, id: &str) -> StoreResult<bool>;

    /// Fails with `Conflict` if the id is taken, by any owner.
    async fn create_step_up(&self, record: &StepUpRecord) -> StoreResult<()>;
    /// `None` for a missing id and for another owner's. Step-ups do not
    /// expire in the store: a final one is kept as long as its conversation.
    async fn get_step_up(&self, owner: &str, id: &str) -> StoreResult<Option<StepUpRecord>>;
    /// The owner's step-ups in one conversation, oldest first.
    async fn list_step_ups(
        &self,
        owner: &str,
        conversation_id: &str,
    ) -> StoreResult<Vec<StepUpRecord>>;
    /// Stores `record` (with `version` = expected_version + 1) only if the stored version is still
    /// `expected_version` and the owner matches; returns false if someone else changed it first.
    ///
    /// This is the guard for every transition that must happen once: of
    /// concurrent updates from the same version exactly one returns true,
    /// across handles and processes. A missing id is false too. The id,
    /// owner, conversation and creation time are fixed at creation: an
    /// update that changes one of them changes nothing and returns false.
    async fn update_step_up(
        &self,
        record: &StepUpRecord,
        expected_version: i64,
    ) -> StoreResult<bool>;

    /// Counts one hit on its window counter and allows it while the window
    /// has seen fewer than its limit. A window opens at the first hit when
    /// none is open (missing, or ended by the hit's time) and ends its
    /// `window_seconds` later, which is also when the counter expires.
    /// Atomic across handles and processes: of concurrent hits on one
    /// window, exactly `limit` are allowed. A refused hit is not counted.
    async fn hit_limit(&self, hit: &WindowHit) -> StoreResult<LimitDecision>;

    /// Claims one of the slots of the claim's key until its expiry (or
    /// until released). A slot whose expiry the claim's time has reached
    /// is free. Atomic like `hit_limit`: of concurrent claims, at most
    /// `slots` win.
    async fn claim_slot(&self, claim: &SlotClaim) -> StoreResult<SlotDecision>;
    /// Frees the slot of `key` that `holder` holds, if any; another
    /// holder's slot is left alone.
    async fn release_slot(&self, key: &str, slots: u32, holder: &str) -> StoreResult<()>;

    /// Records a turn as open until its `expires_at`. Fails with
    /// `Conflict` if the id is taken.
    async fn open_turn(&self, turn: &TurnRecord) -> StoreResult<()>;
    /// The turn while it is open: `None` once closed, when `now` has reached
    /// its expiry, and for an unknown id.
    async fn get_open_turn(&self, id: &str, now: i64) -> StoreResult<Option<TurnRecord>>;
    /// Closes the turn for good; closing a closed or unknown turn is no error.
    async fn close_turn(&self, id: &str) -> StoreResult<()>;

    /// Adds an entry to the audit log. Fails with `Conflict` if the id is
    /// taken.
    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<()>;
    /// One page of the unexpired entries matching the query's filter,
    /// newest first (ties: highest id). Pages taken cursor by cursor list
    /// every matching entry once.
    async fn list_audit(&self, query: &AuditQuery) -> StoreResult<AuditPage>;

    /// Deletes expired sessions, login attempts, window counters, slots,
    /// turns and audit entries; returns how many.
    async fn purge_expired(&self, now: i64) -> StoreResult<u64>;
}

/// The live ones of `records`, most recently seen first (ties: newest
/// sign-in first), as both backends answer `list_sessions`.
pub(crate) fn sessions_seen_last_first(
    mut records: Vec<SessionRecord>,
    now: i64,
) -> Vec<SessionRecord> {
    records.retain(|record| now < record.expires_at());
    records.sort_by(|a, b| {
        (b.last_seen_at, b.created_at, &b.id).cmp(&(a.last_seen_at, a.created_at, &a.id))
    });
    records
}
