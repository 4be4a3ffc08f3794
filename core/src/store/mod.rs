//! Where sessions, login attempts, conversations and step-ups live. One trait, two
//! backends: an embedded SQLite file locally (shared by every local process)
//! and DynamoDB in AWS. Expiry is enforced on read; deletion of expired
//! records is lazy housekeeping, as with DynamoDB's TTL.

pub mod dynamodb;
mod embedded;
mod records;
mod schema;

pub use dynamodb::{DynamoStore, DynamoTables};
pub use embedded::EmbeddedStore;
pub use records::*;

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

    async fn put_login_attempt(&self, attempt: &LoginAttempt) -> StoreResult<()>;
    /// Removes and returns the attempt, atomically: of two concurrent takes
    /// only one gets it. An expired attempt is removed and reads as `None`.
    async fn take_login_attempt(&self, id: &str, now: i64) -> StoreResult<Option<LoginAttempt>>;

    /// Fails with `Conflict` if the id is taken.
    async fn create_conversation(&self, conversation: &Conversation) -> StoreResult<()>;
    /// `None` for a missing id and for another owner's.
    async fn get_conversation(&self, owner: &str, id: &str) -> StoreResult<Option<Conversation>>;
    /// Newest `updated_at` first.
    async fn list_conversations(&self, owner: &str) -> StoreResult<Vec<ConversationSummary>>;
    /// Appends and moves `updated_at` to the message's time; `Conflict` for
    /// a missing id or another owner's.
    async fn append_message(&self, owner: &str, id: &str, message: &Message) -> StoreResult<()>;

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

    /// Deletes expired sessions and login attempts; returns how many.
    async fn purge_expired(&self, now: i64) -> StoreResult<u64>;
}
