//! How much one user keeps: conversations per user and messages per
//! conversation. Both bound what the store holds for a person and what
//! the sidebar and a conversation's page must load. Unlike the rate
//! limits these do not pass with time, so a refusal says what to do
//! instead of when to try again.

use super::wording::count;
use super::{LIMIT_MARKER, Limits};
use crate::store::{Conversation, ConversationPage, SessionRecord, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum CapacityError {
    /// The message, starting with [`LIMIT_MARKER`], says what to do instead.
    #[error("{0}")]
    Full(String),
    /// The count could not be read, so nothing is started (fail closed).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Limits {
    /// Refuses a new conversation once `session`'s user has the most
    /// allowed.
    ///
    /// Counted by reading one listing page of `max` summaries rather than
    /// a counter: a page is one bounded Query (or index range) that is
    /// right by construction, also for conversations stored before the
    /// limit existed, with no counter to drift from the listing. Two
    /// conversations started at the same instant by the same person can
    /// both pass at `max - 1`; that overshoot is bounded by that person's
    /// concurrent requests (themselves limited by `chatTurnsPerMinute`),
    /// which is enough for a cap on storage, not a security boundary.
    pub async fn admit_new_conversation(
        &self,
        store: &dyn Store,
        session: &SessionRecord,
    ) -> Result<(), CapacityError> {
        let max = self.settings.conversations_per_user;
        let page = ConversationPage::first(max);
        let listed = store.list_conversations(&session.user.sub, &page).await?;
        if (listed.conversations.len() as u64) < u64::from(max) {
            return Ok(());
        }
        let what = format!(
            "You have {}, the most Custodian keeps for one person, so this one was not started.",
            count(max, "conversation", "conversations")
        );
        Err(self
            .full(
                session,
                "conversation.capped",
                &what,
                "Continue one of your existing conversations instead.",
            )
            .await)
    }

    /// Refuses a turn in a conversation that already holds the most
    /// messages allowed. A turn adds its question, the answer and any
    /// notices, so a conversation may end a few messages over.
    pub async fn admit_message(
        &self,
        session: &SessionRecord,
        conversation: &Conversation,
    ) -> Result<(), CapacityError> {
        let max = self.settings.messages_per_conversation;
        if (conversation.messages.len() as u64) < u64::from(max) {
            return Ok(());
        }
        let what = format!(
            "This conversation has {}, the most one can hold, so this one was not sent.",
            count(max, "message", "messages")
        );
        Err(self
            .full(
                session,
                "conversation.full",
                &what,
                "Start a new conversation to continue.",
            )
            .await)
    }

    async fn full(
        &self,
        session: &SessionRecord,
        event: &str,
        what: &str,
        instead: &str,
    ) -> CapacityError {
        self.audit
            .record(event, &session.user.email, "-", "refused")
            .await;
        CapacityError::Full(format!("{LIMIT_MARKER} {what} {instead}"))
    }
}
