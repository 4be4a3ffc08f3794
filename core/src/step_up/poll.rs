//! Bringing a step-up up to date when the browser asks. The store's
//! conditional update (on the record's version) makes every transition
//! happen once, whatever the number of tabs, requests or processes polling.

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};

use super::reset::PasswordReset;
use super::{SLOW_DOWN_SECONDS, next_poll_after};
use crate::actions::ActionContext;
use crate::auth0::{CibaError, CibaPoll, OidcLogin};
use crate::sealing::Sealer;
use crate::store::{Message, Role, StepUpRecord, StepUpState, Store, StoreResult};
use crate::time::{now_unix, now_unix_ms};

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

    async fn cancel_pending(&self, record: StepUpRecord) -> StoreResult<Advance> {
        if record.state != StepUpState::Pending {
            return Ok(Advance::Unchanged(record));
        }
        self.finish(
            record,
            StepUpState::Cancelled,
            "You cancelled the request; nothing was changed.".into(),
        )
        .await
    }

    async fn advance(&self, record: StepUpRecord) -> StoreResult<Advance> {
        if record.state != StepUpState::Pending {
            return Ok(Advance::Unchanged(record));
        }
        // Times are whole seconds rounded down: only a full second past
        // `expires_at` is surely past Auth0's own expiry.
        let now = now_unix();
        if now > record.expires_at {
            return self
                .finish(
                    record,
                    StepUpState::Expired,
                    "The approval request expired before it was answered; nothing was changed."
                        .into(),
                )
                .await;
        }
        let now_ms = now_unix_ms();
        if now_ms < record.next_poll_at_ms {
            return Ok(Advance::Unchanged(record));
        }
        // Claim this poll slot first, so concurrent requests do not all ask.
        let mut claimed = record.clone();
        claimed.next_poll_at_ms = next_poll_after(now_ms, record.interval);
        if !self.store.update_step_up(&claimed, record.version).await? {
            return Ok(Advance::Lost);
        }
        claimed.version += 1;

        let Some(auth_req_id) = self.auth_req_id(&claimed) else {
            return self
                .finish(
                    claimed,
                    StepUpState::Failed,
                    "The approval request could not be read back, so nothing was changed.".into(),
                )
                .await;
        };
        match self.clients.ciba.poll(&auth_req_id).await {
            CibaPoll::Pending => {
                if claimed.problem.is_none() {
                    return Ok(Advance::Stored(claimed));
                }
                let mut updated = claimed.clone();
                updated.problem = None;
                self.store_change(updated, claimed.version).await
            }
            CibaPoll::SlowDown => {
                let mut updated = claimed.clone();
                updated.interval += SLOW_DOWN_SECONDS;
                updated.next_poll_at_ms = next_poll_after(now_ms, updated.interval);
                self.store_change(updated, claimed.version).await
            }
            CibaPoll::Unreachable => {
                let mut updated = claimed.clone();
                updated.problem =
                    Some("Auth0 could not be reached; Custodian keeps checking.".into());
                self.store_change(updated, claimed.version).await
            }
            CibaPoll::Denied => {
                self.finish(
                    claimed,
                    StepUpState::Denied,
                    "You denied the request on your phone, so nothing was changed.".into(),
                )
                .await
            }
            CibaPoll::Expired => {
                self.finish(
                    claimed,
                    StepUpState::Expired,
                    "The approval request expired before it was answered; nothing was changed."
                        .into(),
                )
                .await
            }
            CibaPoll::Invalid => {
                self.finish(
                    claimed,
                    StepUpState::Failed,
                    "Auth0 no longer recognises this approval request, so nothing was changed."
                        .into(),
                )
                .await
            }
            CibaPoll::NotEnrolled { confirmed } => {
                let why = CibaError::NotEnrolled { confirmed }.to_string();
                let text = super::enrolment_guidance(&why, self.clients.ciba.enrolment_url());
                self.finish(claimed, StepUpState::Failed, text).await
            }
            CibaPoll::Approved { id_token } => self.approved(claimed, id_token).await,
        }
    }

    /// The approval arrived: check it is the owner's own, then move
    /// Pending → Approved; only the request that wins that change runs the
    /// reset, so it runs once.
    async fn approved(&self, record: StepUpRecord, id_token: SecretString) -> StoreResult<Advance> {
        match self.login.verify_ciba_id_token(&id_token).await {
            Ok(sub) if sub == record.owner => {}
            Ok(_) => {
                crate::audit::record(
                    "step_up.rejected",
                    &record.actor_email,
                    &record.target,
                    "approver-mismatch",
                );
                return self
                    .finish(
                        record,
                        StepUpState::Failed,
                        "The approval came from a different account than yours, so nothing was changed."
                            .into(),
                    )
                    .await;
            }
            Err(error) => {
                return self
                    .finish(
                        record,
                        StepUpState::Failed,
                        format!(
                            "The approval could not be verified ({error}), so nothing was changed."
                        ),
                    )
                    .await;
            }
        }
        let mut approved = record.clone();
        approved.state = StepUpState::Approved;
        approved.problem = None;
        approved.sealed_auth_req_id = String::new();
        if !self.store.update_step_up(&approved, record.version).await? {
            return Ok(Advance::Lost);
        }
        approved.version += 1;
        self.no_longer_pending(&record).await;
        crate::audit::record(
            "step_up.approved",
            &record.actor_email,
            &record.target,
            "approved",
        );

        let mut done = approved.clone();
        done.problem = None;
        let text = match self.reset.run(&approved).await {
            Ok(link) => {
                done.state = StepUpState::Completed;
                done.sealed_reset_link =
                    link.map(|link| self.sealer.seal(link.expose_secret().as_bytes()));
                crate::audit::record(
                    "password.reset",
                    &record.actor_email,
                    &record.target,
                    "reset",
                );
                if done.sealed_reset_link.is_some() {
                    format!(
                        "The password of {} was reset. A one-time reset link is ready for you on the approval card.",
                        record.target
                    )
                } else {
                    format!(
                        "The password of {} was reset. Okta emailed them a link to choose a new one.",
                        record.target
                    )
                }
            }
            Err(reason) => {
                done.state = StepUpState::Failed;
                crate::audit::record(
                    "password.reset",
                    &record.actor_email,
                    &record.target,
                    "failed",
                );
                format!(
                    "You approved the request, but the password of {} was not reset: {reason}.",
                    record.target
                )
            }
        };
        done.outcome = Some(text.clone());
        if !self.store.update_step_up(&done, approved.version).await? {
            // Only the winner of Pending → Approved writes here; losing now
            // means the store changed underneath us. Report, don't redo.
            tracing::error!(step_up = %crate::session::short(&record.id), "approved step-up changed while its reset ran");
            return Ok(Advance::Lost);
        }
        done.version += 1;
        let role = if done.state == StepUpState::Completed {
            Role::Assistant
        } else {
            Role::Notice
        };
        self.append(&done, role, text).await;
        Ok(Advance::Stored(done))
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
        if !self.store.update_step_up(&done, record.version).await? {
            return Ok(Advance::Lost);
        }
        done.version += 1;
        if record.state == StepUpState::Pending {
            self.no_longer_pending(&record).await;
        }
        crate::audit::record(
            &format!("step_up.{}", state.as_str()),
            &record.actor_email,
            &record.target,
            state.as_str(),
        );
        self.append(&done, Role::Notice, text).await;
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

    fn auth_req_id(&self, record: &StepUpRecord) -> Option<SecretString> {
        let bytes = self.sealer.unseal(&record.sealed_auth_req_id).ok()?;
        String::from_utf8(bytes).ok().map(SecretString::from)
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
