//! Bringing a step-up up to date when the browser asks. The store's
//! conditional update (on the record's version) makes every transition
//! happen once, whatever the number of tabs, requests or processes polling.
//!
//! Any poll moves a step-up on from where the last one left it, so a
//! request cut off half way (a timeout, a dropped connection, a crash)
//! never strands it: `pending` asks Auth0, `approval` records the answer,
//! and `reset_intent` runs the reset once — or, when a claimed reset never
//! reported back, ends the step-up saying its outcome is unknown.

mod approval;
mod elevation_grant;
mod pending;
mod reset_intent;
mod second_approval;

use std::sync::Arc;

use secrecy::SecretString;

use super::reset::PasswordReset;
use crate::actions::ActionContext;
use crate::auth0::OidcLogin;
use crate::sealing::Sealer;
use crate::store::{Message, Role, StepUpRecord, StepUpState, Store, StoreResult};
use crate::time::now_unix;

/// What the caller asked for.
#[derive(Clone, Copy)]
enum Step {
    Poll,
    Cancel,
}

/// How a step towards a final state went.
enum Advance {
    /// Nothing to do now.
    Unchanged(StepUpRecord),
    /// Moved on and stored.
    Stored(StepUpRecord),
    /// Someone else changed the record first: read it again.
    Lost,
}

/// Cheap to clone (shared handles), so a reset can run on a task of its
/// own that outlives the request that started it.
#[derive(Clone)]
pub struct StepUpPoller {
    store: Arc<dyn Store>,
    sealer: Arc<Sealer>,
    clients: Arc<ActionContext>,
    login: Arc<OidcLogin>,
    reset: PasswordReset,
}

impl StepUpPoller {
    /// `send_email`: whether Okta emails the reset link (`okta.resetSendsEmail`)
    /// rather than returning it for the card.
    pub fn new(clients: Arc<ActionContext>, login: Arc<OidcLogin>, send_email: bool) -> Self {
        Self {
            store: clients.sessions.store().clone(),
            sealer: clients.sessions.sealer().clone(),
            clients: clients.clone(),
            login,
            reset: PasswordReset {
                clients,
                send_email,
            },
        }
    }

    /// The step-up `id` of `owner`, advanced as far as it can be now. Asks
    /// Auth0 at most once, and never before the record's `next_poll_at_ms`.
    pub async fn poll(&self, owner: &str, id: &str) -> StoreResult<Option<StepUpRecord>> {
        self.settle(owner, id, Step::Poll).await
    }

    /// Cancels a pending step-up; the phone's answer is then ignored.
    pub async fn cancel(&self, owner: &str, id: &str) -> StoreResult<Option<StepUpRecord>> {
        self.settle(owner, id, Step::Cancel).await
    }

    /// The one-time reset link, handed out once and then deleted.
    pub async fn take_reset_link(
        &self,
        owner: &str,
        id: &str,
    ) -> StoreResult<Option<SecretString>> {
        for _ in 0..3 {
            let Some(record) = self.store.get_step_up(owner, id).await? else {
                return Ok(None);
            };
            let Some(sealed) = record.sealed_reset_link.clone() else {
                return Ok(None);
            };
            let mut taken = record.clone();
            taken.sealed_reset_link = None;
            if self.store.update_step_up(&taken, record.version).await? {
                let link = self
                    .sealer
                    .unseal(&sealed)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .map(SecretString::from);
                return Ok(link);
            }
        }
        Ok(None)
    }

    async fn settle(&self, owner: &str, id: &str, step: Step) -> StoreResult<Option<StepUpRecord>> {
        // A lost race means another request moved the record on; one more
        // read shows what it did.
        for _ in 0..3 {
            let Some(record) = self.store.get_step_up(owner, id).await? else {
                return Ok(None);
            };
            let advanced = match step {
                Step::Poll => self.advance(record).await?,
                Step::Cancel => self.cancel_pending(record).await?,
            };
            match advanced {
                Advance::Unchanged(record) | Advance::Stored(record) => return Ok(Some(record)),
                Advance::Lost => continue,
            }
        }
        self.store.get_step_up(owner, id).await
    }

    async fn advance(&self, record: StepUpRecord) -> StoreResult<Advance> {
        match record.state {
            StepUpState::Pending => self.advance_pending(record).await,
            StepUpState::Approved if record.elevation.is_some() => self.grant(record).await,
            StepUpState::Approved => self.advance_approved(record).await,
            _ => Ok(Advance::Unchanged(record)),
        }
    }

    async fn cancel_pending(&self, record: StepUpRecord) -> StoreResult<Advance> {
        if record.state != StepUpState::Pending {
            return Ok(Advance::Unchanged(record));
        }
        let text = match record.elevation {
            Some(_) => crate::elevation::text::cancelled(),
            None => "You cancelled the request; nothing was changed.".into(),
        };
        self.finish(record, StepUpState::Cancelled, text).await
    }

    /// Moves to a final state with a readable outcome, also added to the
    /// conversation.
    async fn finish(
        &self,
        record: StepUpRecord,
        state: StepUpState,
        text: String,
    ) -> StoreResult<Advance> {
        let mut done = record.clone();
        done.state = state;
        done.outcome = Some(text.clone());
        done.problem = None;
        done.sealed_auth_req_id = String::new();
        if let Some(second) = done.second.as_mut() {
            second.sealed_auth_req_id = String::new();
        }
        if !self.store.update_step_up(&done, record.version).await? {
            return Ok(Advance::Lost);
        }
        done.version += 1;
        if record.state == StepUpState::Pending {
            self.no_longer_pending(&record).await;
        }
        self.clients
            .audit
            .record(
                &format!("{}.{}", event_prefix(&record), state.as_str()),
                &record.actor_email,
                &record.target,
                state.as_str(),
            )
            .await;
        self.append(&done, Role::Notice, text).await;
        Ok(Advance::Stored(done))
    }

    /// Stores the outcome of a claimed action (a reset, a grant) on the
    /// claimed version — only the claimer writes here — and adds it to the
    /// conversation: a reply when it completed, a notice otherwise.
    async fn record_outcome(
        &self,
        claimed: &StepUpRecord,
        mut done: StepUpRecord,
        state: StepUpState,
        text: String,
    ) -> StoreResult<Advance> {
        done.state = state;
        done.problem = None;
        done.outcome = Some(text.clone());
        if !self.store.update_step_up(&done, claimed.version).await? {
            tracing::error!(
                step_up = %crate::session::short(&claimed.id),
                "a claimed step-up changed while its action ran"
            );
            return Ok(Advance::Lost);
        }
        done.version += 1;
        let role = if state == StepUpState::Completed {
            Role::Assistant
        } else {
            Role::Notice
        };
        self.append(&done, role, text).await;
        Ok(Advance::Stored(done))
    }

    /// Frees the request's pending slot for the user's next one.
    async fn no_longer_pending(&self, record: &StepUpRecord) {
        self.clients
            .limits
            .release_step_up(self.store.as_ref(), &record.owner, &record.id)
            .await;
    }

    async fn store_change(&self, record: StepUpRecord, expected: i64) -> StoreResult<Advance> {
        if !self.store.update_step_up(&record, expected).await? {
            return Ok(Advance::Lost);
        }
        let mut stored = record;
        stored.version = expected + 1;
        Ok(Advance::Stored(stored))
    }

    async fn append(&self, record: &StepUpRecord, role: Role, text: String) {
        let message = Message {
            role,
            text,
            at: now_unix(),
        };
        if let Err(error) = self
            .store
            .append_message(&record.owner, &record.conversation_id, &message)
            .await
        {
            tracing::error!(error = %error, "could not add a step-up outcome to its conversation");
        }
    }
}

/// Audit actions of a reset's approval start `step_up.`, of an access
/// request `elevation.`.
fn event_prefix(record: &StepUpRecord) -> &'static str {
    if record.elevation.is_some() {
        "elevation"
    } else {
        "step_up"
    }
}
