//! The Lambdas' side: who an action-group call acts for, decided by its
//! capability alone. Every refusal is audited; the agent hears only the
//! refusal's plain words.

use super::{Refusal, TurnClaims, Turns};
use crate::actions::{Actor, ActorError};
use crate::session::short;
use crate::store::TurnRecord;
use crate::time::now_unix;

/// Whom the audit names while the capability has not opened.
const UNKNOWN: &str = "unknown";

/// A call that may act: for this actor, in this conversation.
pub struct Admitted {
    pub actor: Actor,
    pub conversation_id: String,
}

/// Why a call may not act; the text is for the agent.
#[derive(Debug, thiserror::Error)]
pub enum Admission {
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The session has ended, or the store could not say.
    #[error(transparent)]
    Actor(#[from] ActorError),
}

/// Why `check` did not admit a call, and whether the audit hears of it.
enum NotAdmitted {
    /// Refused: `who` as far as known, and the audit outcome.
    Refused {
        who: String,
        outcome: &'static str,
        admission: Admission,
    },
    /// The store could not say; logged where it failed.
    Unanswered(ActorError),
}

impl NotAdmitted {
    fn refused(who: &str, refusal: Refusal) -> Self {
        Self::Refused {
            who: who.to_owned(),
            outcome: refusal.as_str(),
            admission: Admission::Refused(refusal),
        }
    }
}

impl Turns {
    /// Admits a call of `action` that carries `capability` (the session
    /// attribute) and came from the agent session `agent_session`.
    pub async fn admit(
        &self,
        capability: Option<&str>,
        agent_session: Option<&str>,
        action: &str,
    ) -> Result<Admitted, Admission> {
        match self.check(capability, agent_session).await {
            Ok(admitted) => Ok(admitted),
            Err(NotAdmitted::Refused {
                who,
                outcome,
                admission,
            }) => {
                self.audit
                    .record_refusal(action, &who, agent_session, outcome)
                    .await;
                Err(admission)
            }
            Err(NotAdmitted::Unanswered(error)) => Err(error.into()),
        }
    }

    async fn check(
        &self,
        capability: Option<&str>,
        agent_session: Option<&str>,
    ) -> Result<Admitted, NotAdmitted> {
        let sealed = capability
            .filter(|sealed| !sealed.trim().is_empty())
            .ok_or_else(|| NotAdmitted::refused(UNKNOWN, Refusal::Missing))?;
        let claims = match self.claims(sealed) {
            // Sealed with a key this process has not read yet (a rotation
            // elsewhere): read the keys again and try once more.
            Err(Refusal::Forged) if self.sessions.sealer().reload_keys().await => {
                self.claims(sealed)
            }
            opened => opened,
        }
        .map_err(|r| NotAdmitted::refused(UNKNOWN, r))?;
        let who = format!("session:{}", short(&claims.session_id));
        if agent_session != Some(claims.conversation_id.as_str()) {
            return Err(NotAdmitted::refused(&who, Refusal::OtherConversation));
        }
        let turn = self
            .open_turn_of(&claims)
            .await
            .map_err(NotAdmitted::Unanswered)?
            .map_err(|refusal| NotAdmitted::refused(&who, refusal))?;
        let actor = match Actor::by_session_id(&self.sessions, &claims.session_id).await {
            Ok(actor) => actor,
            Err(ActorError::Ended) => {
                return Err(NotAdmitted::Refused {
                    who,
                    outcome: "session-ended",
                    admission: ActorError::Ended.into(),
                });
            }
            Err(error) => return Err(NotAdmitted::Unanswered(error)),
        };
        // The BFF opened the turn for this user's conversation.
        if actor.session.user.sub != turn.owner {
            return Err(NotAdmitted::refused(&who, Refusal::Forged));
        }
        Ok(Admitted {
            actor,
            conversation_id: claims.conversation_id,
        })
    }

    /// The open turn the claims name, or why it is no use; an unreadable
    /// store is the outer error.
    async fn open_turn_of(
        &self,
        claims: &TurnClaims,
    ) -> Result<Result<TurnRecord, Refusal>, ActorError> {
        let turn = self
            .sessions
            .store()
            .get_open_turn(&claims.turn_id, now_unix())
            .await
            .map_err(|error| {
                tracing::warn!(error = %error, "could not read a turn for an action");
                ActorError::Unavailable
            })?;
        Ok(match turn {
            None => Err(Refusal::Replayed),
            Some(turn)
                if turn.session_id != claims.session_id
                    || turn.conversation_id != claims.conversation_id =>
            {
                Err(Refusal::Forged)
            }
            Some(turn) => Ok(turn),
        })
    }
}
