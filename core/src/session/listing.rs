//! A user's other sessions: where else they are signed in, and ending
//! those sessions from this one. A session is named to the browser by a
//! handle derived from its store id, never by the id itself.

use crate::audit::AuditLog;
use crate::ids::store_key;
use crate::store::{SessionRecord, StoreError};
use crate::time::now_unix;

use super::{Sessions, short};

/// How a session whose browser could not be told is named, whether its
/// agent said nothing recognisable or it was signed in before browsers
/// were recorded.
pub const UNKNOWN_DEVICE: &str = "Unknown browser";

/// Hex digits of a handle: unique enough among one user's sessions.
const HANDLE_LENGTH: usize = 16;

/// How a session is named in the list the browser sees.
pub fn handle(record: &SessionRecord) -> String {
    let mut digest = store_key(&record.id);
    digest.truncate(HANDLE_LENGTH);
    digest
}

impl Sessions {
    /// The live sessions of `current`'s user, most recently seen first.
    /// `current` is always among them, even while the store's index has
    /// not caught up with a sign-in a moment ago.
    pub async fn of_user(&self, current: &SessionRecord) -> Result<Vec<SessionRecord>, StoreError> {
        let mut sessions = self
            .store
            .list_sessions(&current.user.sub, now_unix())
            .await?;
        if !sessions.iter().any(|session| session.id == current.id) {
            sessions.insert(0, current.clone());
        }
        Ok(sessions)
    }

    /// Ends every session of `current`'s user except `current`; returns
    /// how many ended. Stops at the first store failure: what was ended
    /// stays ended, and asking again finishes the rest. Each end is
    /// audited.
    pub async fn end_others(
        &self,
        current: &SessionRecord,
        audit: &AuditLog,
    ) -> Result<usize, StoreError> {
        let others: Vec<SessionRecord> = self
            .of_user(current)
            .await?
            .into_iter()
            .filter(|session| session.id != current.id)
            .collect();
        for other in &others {
            self.end(current, other, audit).await?;
        }
        Ok(others.len())
    }

    /// Ends the session of `current`'s user named by `handle`; false when
    /// no other session of theirs has that handle (ended already, or never
    /// theirs). `current` itself is ended by signing out, not here.
    pub async fn end_by_handle(
        &self,
        current: &SessionRecord,
        handle_to_end: &str,
        audit: &AuditLog,
    ) -> Result<bool, StoreError> {
        let sessions = self.of_user(current).await?;
        let Some(other) = sessions
            .iter()
            .find(|session| session.id != current.id && handle(session) == handle_to_end)
        else {
            return Ok(false);
        };
        self.end(current, other, audit).await?;
        Ok(true)
    }

    async fn end(
        &self,
        current: &SessionRecord,
        other: &SessionRecord,
        audit: &AuditLog,
    ) -> Result<(), StoreError> {
        self.store.delete_session(&other.id).await?;
        tracing::info!(session = %short(&other.id), "signed out from another session");
        audit
            .record(
                "auth.sign_out_elsewhere",
                &current.user.email,
                &other.device,
                "signed-out",
            )
            .await;
        Ok(())
    }
}
