//! An approved step-up's password reset, run at most once. The permission
//! is checked again, then the intent is claimed in the store (one
//! conditional write, so one process wins) before Okta is called. Whoever
//! finds a claim with no outcome waits for it a while, then ends the
//! step-up saying the outcome is unknown — never resetting a second time.

use std::time::Duration;

use secrecy::ExposeSecret;

use super::{Advance, StepUpPoller};
use crate::fga::{Decision, Permission};
use crate::step_up::outcome_text;
use crate::step_up::reset::ResetError;
use crate::store::{StepUpRecord, StepUpState, StoreResult};
use crate::time::now_unix_ms;

/// The whole reset (session, Token Vault, Okta with its short rate-limit
/// waits) gets this long, so the request that runs it answers before the
/// BFF's 25 s timeout.
const RESET_DEADLINE: Duration = Duration::from_secs(20);
/// A claim this old with no outcome was abandoned: three times the
/// deadline, so a running reset's own write, or a clock a little off
/// between processes, is never taken for one.
pub(super) const RESET_ABANDONED_AFTER_MS: i64 = 60_000;
/// An approval not acted on for this long no longer starts a reset.
pub(super) const APPROVAL_USABLE_FOR_MS: i64 = 10 * 60_000;

/// When the reset was claimed, if it was. An Approved record written
/// before claims were kept ran its reset unrecorded: it counts as claimed
/// by its request's expiry, when the approval had arrived at the latest.
fn claimed_at_ms(record: &StepUpRecord) -> Option<i64> {
    match (record.reset_started_at_ms, record.approved_at_ms) {
        (Some(started), _) => Some(started),
        (None, Some(_)) => None,
        (None, None) => Some(record.expires_at * 1000),
    }
}

impl StepUpPoller {
    pub(super) async fn advance_approved(&self, record: StepUpRecord) -> StoreResult<Advance> {
        let now_ms = now_unix_ms();
        let Some(started_at_ms) = claimed_at_ms(&record) else {
            if record
                .approved_at_ms
                .is_some_and(|at| now_ms - at > APPROVAL_USABLE_FOR_MS)
            {
                let text = outcome_text::approval_too_old(&record.target);
                return self.finish(record, StepUpState::Failed, text).await;
            }
            return self.start_reset(record).await;
        };
        if now_ms - started_at_ms < RESET_ABANDONED_AFTER_MS {
            // Another request is resetting right now; its outcome follows.
            return Ok(Advance::Unchanged(record));
        }
        tracing::warn!(
            step_up = %crate::session::short(&record.id),
            "a claimed password reset never reported back; its outcome is unknown"
        );
        self.clients
            .audit
            .record(
                "password.reset",
                &record.actor_email,
                &record.target,
                "unknown",
            )
            .await;
        let text = outcome_text::reset_unknown(&record.target, started_at_ms);
        self.finish(record, StepUpState::Failed, text).await
    }

    /// Checks the permission again, claims the reset, and runs it on a task
    /// of its own: the request that started it may be cut off, the reset
    /// and its outcome's write are not.
    async fn start_reset(&self, record: StepUpRecord) -> StoreResult<Advance> {
        if let Some(refusal) = self.permission_refusal(&record).await {
            return self.finish(record, StepUpState::Failed, refusal).await;
        }
        let mut claimed = record.clone();
        claimed.reset_started_at_ms = Some(now_unix_ms());
        if !self.store.update_step_up(&claimed, record.version).await? {
            return Ok(Advance::Lost);
        }
        claimed.version += 1;
        let this = self.clone();
        match tokio::spawn(async move { this.reset_and_record(claimed).await }).await {
            Ok(advanced) => advanced,
            // The claim stays, and a later poll settles it.
            Err(_) => {
                tracing::error!("a password reset task ended without an outcome");
                Ok(Advance::Lost)
            }
        }
    }

    /// Why the reset may not run now, if FGA does not clearly allow it:
    /// the permission may have been revoked while the push was pending.
    async fn permission_refusal(&self, record: &StepUpRecord) -> Option<String> {
        let (email, target) = (&record.actor_email, &record.target);
        match self
            .clients
            .fga
            .check(email, Permission::ResetPassword)
            .await
        {
            Decision::Allowed => None,
            Decision::Denied => {
                self.clients
                    .audit
                    .record("step_up.refused", email, target, "permission-revoked")
                    .await;
                Some(outcome_text::permission_revoked(email, target))
            }
            Decision::Unavailable => {
                self.clients
                    .audit
                    .record("step_up.refused", email, target, "permission-unconfirmed")
                    .await;
                Some(outcome_text::permission_unconfirmed(target))
            }
        }
    }

    /// Runs the claimed reset within the deadline and stores its outcome
    /// on the claimed version: only the claimer writes here.
    async fn reset_and_record(&self, claimed: StepUpRecord) -> StoreResult<Advance> {
        let (actor, target) = (&claimed.actor_email, &claimed.target);
        let mut done = claimed.clone();
        let (state, event, text) =
            match tokio::time::timeout(RESET_DEADLINE, self.reset.run(&claimed)).await {
                Ok(Ok(link)) => {
                    done.sealed_reset_link =
                        link.map(|link| self.sealer.seal(link.expose_secret().as_bytes()));
                    let text = outcome_text::reset_done(target, done.sealed_reset_link.is_some());
                    (StepUpState::Completed, "reset", text)
                }
                Ok(Err(ResetError::NotDone(reason))) => (
                    StepUpState::Failed,
                    "failed",
                    outcome_text::reset_failed(target, &reason),
                ),
                // Okta may have acted on a call that got no answer, or one
                // cut off now: not known.
                Ok(Err(ResetError::OutcomeUnknown)) | Err(_) => {
                    let started = claimed.reset_started_at_ms.unwrap_or_else(now_unix_ms);
                    (
                        StepUpState::Failed,
                        "unknown",
                        outcome_text::reset_unknown(target, started),
                    )
                }
            };
        self.clients
            .audit
            .record("password.reset", actor, target, event)
            .await;
        self.record_outcome(&claimed, done, state, text).await
    }
}
