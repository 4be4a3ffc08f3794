//! A pending step-up: asking Auth0 whether the phone answered, no sooner
//! than the interval, and reading its answer. Only a definite answer ends
//! the step-up; a rate limit or an outage only spaces the next poll out.

use secrecy::SecretString;

use super::{Advance, StepUpPoller};
use crate::auth0::{CibaError, CibaPoll};
use crate::step_up::backoff::next_poll_after_trouble;
use crate::step_up::{SLOW_DOWN_SECONDS, next_poll_after};
use crate::store::{StepUpRecord, StepUpState, StoreResult};
use crate::time::{now_unix, now_unix_ms};

const EXPIRED: &str = "The approval request expired before it was answered; nothing was changed.";

fn expired_text(record: &StepUpRecord) -> String {
    match &record.elevation {
        Some(elevation) => crate::elevation::text::expired(elevation),
        None => EXPIRED.to_owned(),
    }
}

impl StepUpPoller {
    pub(super) async fn advance_pending(&self, record: StepUpRecord) -> StoreResult<Advance> {
        // Times are whole seconds rounded down: only a full second past
        // `expires_at` is surely past Auth0's own expiry.
        if now_unix() > record.expires_at {
            let text = expired_text(&record);
            return self.finish(record, StepUpState::Expired, text).await;
        }
        let now_ms = now_unix_ms();
        // The requester's own request is answered or not due: the second
        // administrator's (under dual control) may be.
        if record.approved_at_ms.is_some() || now_ms < record.next_poll_at_ms {
            return self.advance_second(record).await;
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
        let answer = self.clients.ciba.poll(&auth_req_id).await;
        self.on_answer(claimed, answer, now_ms).await
    }

    async fn on_answer(
        &self,
        claimed: StepUpRecord,
        answer: CibaPoll,
        now_ms: i64,
    ) -> StoreResult<Advance> {
        let (state, text) = match answer {
            CibaPoll::Pending => return self.keep_waiting(claimed, 0, now_ms).await,
            CibaPoll::SlowDown => {
                return self.keep_waiting(claimed, SLOW_DOWN_SECONDS, now_ms).await;
            }
            CibaPoll::Unreachable => {
                let problem = "Auth0 could not be reached; Custodian keeps checking.";
                return self.trouble(claimed, None, problem.into(), now_ms).await;
            }
            CibaPoll::RateLimited {
                retry_after_seconds,
            } => {
                let problem = "Auth0 is limiting how often Custodian may ask; Custodian keeps checking, less often.";
                return self
                    .trouble(claimed, retry_after_seconds, problem.into(), now_ms)
                    .await;
            }
            CibaPoll::Unrecognised { answer } => {
                let problem = format!(
                    "Auth0 gave an unexpected answer ({answer}); Custodian keeps checking until the request expires."
                );
                return self.trouble(claimed, None, problem, now_ms).await;
            }
            CibaPoll::Approved { id_token } => return self.approved(claimed, id_token).await,
            CibaPoll::Denied => (
                StepUpState::Denied,
                match &claimed.elevation {
                    Some(elevation) => crate::elevation::text::denied(elevation),
                    None => "You denied the request on your phone, so nothing was changed.".into(),
                },
            ),
            CibaPoll::Expired => (StepUpState::Expired, expired_text(&claimed)),
            CibaPoll::Invalid => (
                StepUpState::Failed,
                "Auth0 no longer recognises this approval request, so nothing was changed."
                    .to_owned(),
            ),
            CibaPoll::NotEnrolled { confirmed } => {
                let why = CibaError::NotEnrolled { confirmed }.to_string();
                let text =
                    crate::step_up::enrolment_guidance(&why, self.clients.ciba.enrolment_url());
                (StepUpState::Failed, text)
            }
        };
        self.finish(claimed, state, text).await
    }

    /// Auth0 says "not yet": clear any trouble shown, and grow the interval
    /// by `slower` seconds (after `slow_down`).
    async fn keep_waiting(
        &self,
        claimed: StepUpRecord,
        slower: i64,
        now_ms: i64,
    ) -> StoreResult<Advance> {
        if slower == 0 && claimed.problem.is_none() && claimed.failed_polls == 0 {
            return Ok(Advance::Stored(claimed));
        }
        let mut updated = claimed.clone();
        updated.problem = None;
        updated.failed_polls = 0;
        updated.interval += slower;
        updated.next_poll_at_ms = next_poll_after(now_ms, updated.interval);
        self.store_change(updated, claimed.version).await
    }

    /// No answer from Auth0: show `problem`, keep the request, and ask
    /// again later the more failures there were in a row.
    async fn trouble(
        &self,
        claimed: StepUpRecord,
        retry_after_seconds: Option<i64>,
        problem: String,
        now_ms: i64,
    ) -> StoreResult<Advance> {
        let mut updated = claimed.clone();
        updated.failed_polls = claimed.failed_polls.saturating_add(1);
        updated.next_poll_at_ms = next_poll_after_trouble(
            now_ms,
            claimed.interval,
            updated.failed_polls,
            retry_after_seconds,
            claimed.expires_at,
        );
        tracing::warn!(
            step_up = %crate::session::short(&claimed.id),
            failed_polls = updated.failed_polls,
            wait_ms = updated.next_poll_at_ms - now_ms,
            "no answer from Auth0 to a step-up poll; asking again later"
        );
        updated.problem = Some(problem);
        self.store_change(updated, claimed.version).await
    }

    fn auth_req_id(&self, record: &StepUpRecord) -> Option<SecretString> {
        self.unsealed(&record.sealed_auth_req_id)
    }

    /// A sealed `auth_req_id`, opened; `None` when it does not open.
    pub(super) fn unsealed(&self, sealed: &str) -> Option<SecretString> {
        let bytes = self.sealer.unseal(sealed).ok()?;
        String::from_utf8(bytes).ok().map(SecretString::from)
    }
}
