//! Opening a turn (the BFF, before it asks the agent) and closing it (when
//! the reply ends): the store's record of the turn is what makes its
//! capability usable, and only while it is there.

use super::{TurnCapability, TurnClaims};
use crate::audit::AuditLog;
use crate::ids::random_token;
use crate::session::Sessions;
use crate::store::{SessionRecord, StoreError, TurnRecord};
use crate::time::now_unix;

/// Turns of one deployment: its store and key, and how long a turn lasts.
#[derive(Clone)]
pub struct Turns {
    pub(super) sessions: Sessions,
    lifetime_seconds: u32,
    /// Where the Lambdas' refusals are recorded.
    pub(super) audit: AuditLog,
}

/// A turn the BFF opened: its capability goes to the agent, and the turn
/// is closed when the reply ends.
#[derive(Debug)]
pub struct OpenTurn {
    id: String,
    capability: TurnCapability,
}

impl OpenTurn {
    pub fn capability(&self) -> &TurnCapability {
        &self.capability
    }
}

impl Turns {
    /// `lifetime_seconds` is the chat turn's deadline
    /// (`app.turnDeadlineSeconds`): no capability outlives its turn.
    pub fn new(sessions: Sessions, lifetime_seconds: u32, audit: AuditLog) -> Self {
        Self {
            sessions,
            lifetime_seconds,
            audit,
        }
    }

    /// Records a turn of `session` in `conversation_id` as open until the
    /// turn's deadline, and seals its capability. The caller has checked
    /// that the conversation is the session user's (or is a new one).
    pub async fn open(
        &self,
        session: &SessionRecord,
        conversation_id: &str,
    ) -> Result<OpenTurn, StoreError> {
        let record = TurnRecord {
            id: random_token(32),
            session_id: session.id.clone(),
            owner: session.user.sub.clone(),
            conversation_id: conversation_id.to_owned(),
            expires_at: now_unix() + i64::from(self.lifetime_seconds),
        };
        self.sessions.store().open_turn(&record).await?;
        let claims = TurnClaims {
            session_id: record.session_id,
            conversation_id: record.conversation_id,
            turn_id: record.id.clone(),
            expires_at: record.expires_at,
        };
        Ok(OpenTurn {
            capability: TurnCapability::seal(self.sessions.sealer(), &claims),
            id: record.id,
        })
    }

    /// Ends the turn: from now on its capability is refused as replayed.
    /// Should this fail, the turn still ends at its deadline.
    pub async fn close(&self, turn: OpenTurn) -> Result<(), StoreError> {
        self.sessions.store().close_turn(&turn.id).await
    }

    /// What a capability says, if it opens and is unexpired; whether its
    /// turn is still open is [`Turns::admit`]'s business.
    pub fn claims(&self, sealed: &str) -> Result<TurnClaims, super::Refusal> {
        TurnCapability::open(
            self.sessions.sealer(),
            sealed,
            self.lifetime_seconds.into(),
            now_unix(),
        )
    }
}
