//! A store handle that answers like the store it wraps until a test makes
//! one of its operations fail the way an unreachable DynamoDB or a locked
//! SQLite file does (`StoreError::Unavailable`). The app under test gets
//! this handle, so its real code meets the failure.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use custodian_core::store::{
    AuditEntry, AuditPage, AuditQuery, Conversation, ConversationList, ConversationPage,
    LimitDecision, LoginAttempt, Message, SessionRecord, SlotClaim, SlotDecision, StepUpRecord,
    Store, StoreError, StoreResult, TurnRecord, WindowHit,
};

pub struct FaultyStore {
    inner: Arc<dyn Store>,
    /// The trait methods, by name, that fail until `recover`.
    failing: Mutex<HashSet<&'static str>>,
    /// How often each operation was asked for, failing or not.
    calls: Mutex<HashMap<&'static str, usize>>,
}

impl FaultyStore {
    pub fn new(inner: Arc<dyn Store>) -> Arc<Self> {
        Arc::new(Self {
            inner,
            failing: Mutex::default(),
            calls: Mutex::default(),
        })
    }

    /// Makes the named operation (a `Store` method's name) fail.
    pub fn fail(&self, operation: &'static str) {
        self.failing().insert(operation);
    }

    /// Every operation answers again.
    pub fn recover(&self) {
        self.failing().clear();
    }

    /// How many times the named operation has been asked for so far.
    pub fn calls(&self, operation: &'static str) -> usize {
        let calls = self.calls.lock().unwrap_or_else(PoisonError::into_inner);
        calls.get(operation).copied().unwrap_or(0)
    }

    fn failing(&self) -> std::sync::MutexGuard<'_, HashSet<&'static str>> {
        self.failing.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn check(&self, operation: &'static str) -> StoreResult<()> {
        *self
            .calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(operation)
            .or_default() += 1;
        if self.failing().contains(operation) {
            return Err(StoreError::Unavailable(format!(
                "{operation}: injected fault"
            )));
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl Store for FaultyStore {
    async fn put_session(&self, session: &SessionRecord) -> StoreResult<()> {
        self.check("put_session")?;
        self.inner.put_session(session).await
    }

    async fn get_session(&self, id: &str, now: i64) -> StoreResult<Option<SessionRecord>> {
        self.check("get_session")?;
        self.inner.get_session(id, now).await
    }

    async fn delete_session(&self, id: &str) -> StoreResult<()> {
        self.check("delete_session")?;
        self.inner.delete_session(id).await
    }

    async fn list_sessions(&self, owner: &str, now: i64) -> StoreResult<Vec<SessionRecord>> {
        self.check("list_sessions")?;
        self.inner.list_sessions(owner, now).await
    }

    async fn touch_session(&self, session: &SessionRecord) -> StoreResult<bool> {
        self.check("touch_session")?;
        self.inner.touch_session(session).await
    }

    async fn put_login_attempt(&self, attempt: &LoginAttempt) -> StoreResult<()> {
        self.check("put_login_attempt")?;
        self.inner.put_login_attempt(attempt).await
    }

    async fn take_login_attempt(&self, id: &str, now: i64) -> StoreResult<Option<LoginAttempt>> {
        self.check("take_login_attempt")?;
        self.inner.take_login_attempt(id, now).await
    }

    async fn create_conversation(&self, conversation: &Conversation) -> StoreResult<()> {
        self.check("create_conversation")?;
        self.inner.create_conversation(conversation).await
    }

    async fn get_conversation(&self, owner: &str, id: &str) -> StoreResult<Option<Conversation>> {
        self.check("get_conversation")?;
        self.inner.get_conversation(owner, id).await
    }

    async fn list_conversations(
        &self,
        owner: &str,
        page: &ConversationPage,
    ) -> StoreResult<ConversationList> {
        self.check("list_conversations")?;
        self.inner.list_conversations(owner, page).await
    }

    async fn append_message(&self, owner: &str, id: &str, message: &Message) -> StoreResult<()> {
        self.check("append_message")?;
        self.inner.append_message(owner, id, message).await
    }

    async fn rename_conversation(&self, owner: &str, id: &str, title: &str) -> StoreResult<bool> {
        self.check("rename_conversation")?;
        self.inner.rename_conversation(owner, id, title).await
    }

    async fn delete_conversation(&self, owner: &str, id: &str) -> StoreResult<bool> {
        self.check("delete_conversation")?;
        self.inner.delete_conversation(owner, id).await
    }

    async fn create_step_up(&self, record: &StepUpRecord) -> StoreResult<()> {
        self.check("create_step_up")?;
        self.inner.create_step_up(record).await
    }

    async fn get_step_up(&self, owner: &str, id: &str) -> StoreResult<Option<StepUpRecord>> {
        self.check("get_step_up")?;
        self.inner.get_step_up(owner, id).await
    }

    async fn list_step_ups(
        &self,
        owner: &str,
        conversation_id: &str,
    ) -> StoreResult<Vec<StepUpRecord>> {
        self.check("list_step_ups")?;
        self.inner.list_step_ups(owner, conversation_id).await
    }

    async fn update_step_up(
        &self,
        record: &StepUpRecord,
        expected_version: i64,
    ) -> StoreResult<bool> {
        self.check("update_step_up")?;
        self.inner.update_step_up(record, expected_version).await
    }

    async fn hit_limit(&self, hit: &WindowHit) -> StoreResult<LimitDecision> {
        self.check("hit_limit")?;
        self.inner.hit_limit(hit).await
    }

    async fn claim_slot(&self, claim: &SlotClaim) -> StoreResult<SlotDecision> {
        self.check("claim_slot")?;
        self.inner.claim_slot(claim).await
    }

    async fn release_slot(&self, key: &str, slots: u32, holder: &str) -> StoreResult<()> {
        self.check("release_slot")?;
        self.inner.release_slot(key, slots, holder).await
    }

    async fn open_turn(&self, turn: &TurnRecord) -> StoreResult<()> {
        self.check("open_turn")?;
        self.inner.open_turn(turn).await
    }

    async fn get_open_turn(&self, id: &str, now: i64) -> StoreResult<Option<TurnRecord>> {
        self.check("get_open_turn")?;
        self.inner.get_open_turn(id, now).await
    }

    async fn close_turn(&self, id: &str) -> StoreResult<()> {
        self.check("close_turn")?;
        self.inner.close_turn(id).await
    }

    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        self.check("append_audit")?;
        self.inner.append_audit(entry).await
    }

    async fn list_audit(&self, query: &AuditQuery) -> StoreResult<AuditPage> {
        self.check("list_audit")?;
        self.inner.list_audit(query).await
    }

    async fn purge_expired(&self, now: i64) -> StoreResult<u64> {
        self.check("purge_expired")?;
        self.inner.purge_expired(now).await
    }
}
