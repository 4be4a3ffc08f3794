//! Dual control's second approval: the other administrator's request is
//! polled on its own schedule beside the requester's. Its approval counts
//! only from that administrator; once both are in, the step-up is Approved
//! and the reset follows; a denial or expiry of either ends it.

use secrecy::SecretString;

use super::{Advance, StepUpPoller};
use crate::auth0::CibaPoll;
use crate::step_up::{SLOW_DOWN_SECONDS, next_poll_after};
use crate::store::{StepUpRecord, StepUpState, StoreResult};
use crate::time::now_unix_ms;

impl StepUpPoller {
    /// Asks Auth0 about the second approval when it is due.
    pub(super) async fn advance_second(&self, record: StepUpRecord) -> StoreResult<Advance> {
        let Some(second) = record
            .second
            .clone()
            .filter(|second| second.state == StepUpState::Pending)
        else {
            return Ok(Advance::Unchanged(record));
        };
        let now_ms = now_unix_ms();
        if now_ms < second.next_poll_at_ms {
            return Ok(Advance::Unchanged(record));
        }
        let mut claimed = record.clone();
        if let Some(second) = claimed.second.as_mut() {
            second.next_poll_at_ms = next_poll_after(now_ms, second.interval);
        }
        if !self.store.update_step_up(&claimed, record.version).await? {
            return Ok(Advance::Lost);
        }
        claimed.version += 1;
        let Some(auth_req_id) = self.unsealed(&second.sealed_auth_req_id) else {
            let text =
                "The second approval request could not be read back, so nothing was changed.";
            return self.finish(claimed, StepUpState::Failed, text.into()).await;
        };
        let answer = self.clients.ciba.poll(&auth_req_id).await;
        self.on_second_answer(claimed, answer).await
    }

    async fn on_second_answer(
        &self,
        claimed: StepUpRecord,
        answer: CibaPoll,
    ) -> StoreResult<Advance> {
        let Some(second) = claimed.second.clone() else {
            return Ok(Advance::Unchanged(claimed));
        };
        let (who, target) = (&second.approver_email, &claimed.target);
        let (state, text) = match answer {
            CibaPoll::Pending => return Ok(Advance::Stored(claimed)),
            CibaPoll::SlowDown => return self.second_slower(claimed).await,
            CibaPoll::Unreachable
            | CibaPoll::RateLimited { .. }
            | CibaPoll::Unrecognised { .. } => {
                let mut updated = claimed.clone();
                updated.problem = Some(
                    "Auth0 did not answer about the second approval; Custodian keeps checking."
                        .into(),
                );
                return self.store_change(updated, claimed.version).await;
            }
            CibaPoll::Approved { id_token } => {
                return self.second_approved(claimed, id_token).await;
            }
            CibaPoll::Denied => (
                StepUpState::Denied,
                format!(
                    "{who} denied the second approval, so the password of {target} was not reset."
                ),
            ),
            CibaPoll::Expired => (
                StepUpState::Expired,
                format!(
                    "{who} did not answer the second approval in time, so the password of {target} was not reset."
                ),
            ),
            CibaPoll::Invalid | CibaPoll::NotEnrolled { .. } => (
                StepUpState::Failed,
                format!(
                    "Auth0 no longer recognises the second approval request to {who}, so the password of {target} was not reset."
                ),
            ),
        };
        self.finish(claimed, state, text).await
    }

    async fn second_slower(&self, claimed: StepUpRecord) -> StoreResult<Advance> {
        let mut updated = claimed.clone();
        if let Some(second) = updated.second.as_mut() {
            second.interval += SLOW_DOWN_SECONDS;
            second.next_poll_at_ms = next_poll_after(now_unix_ms(), second.interval);
        }
        self.store_change(updated, claimed.version).await
    }

    /// The second administrator approved: check it is them, then either
    /// wait for the requester's own approval or move on to the reset.
    async fn second_approved(
        &self,
        record: StepUpRecord,
        id_token: SecretString,
    ) -> StoreResult<Advance> {
        let Some(second) = record.second.clone() else {
            return Ok(Advance::Unchanged(record));
        };
        match self.login.verify_ciba_id_token(&id_token).await {
            Ok(sub) if sub == second.approver_sub => {}
            Ok(_) => {
                let text = format!(
                    "The second approval came from a different account than {}'s, so nothing was changed.",
                    second.approver_email
                );
                return self.finish(record, StepUpState::Failed, text).await;
            }
            Err(error) => {
                let text = format!(
                    "The second approval could not be verified ({error}), so nothing was changed."
                );
                return self.finish(record, StepUpState::Failed, text).await;
            }
        }
        let mut updated = record.clone();
        if let Some(second) = updated.second.as_mut() {
            second.state = StepUpState::Approved;
            second.sealed_auth_req_id = String::new();
        }
        updated.problem = None;
        self.clients
            .audit
            .record(
                "step_up.second_approved",
                &second.approver_email,
                &record.target,
                "approved",
            )
            .await;
        if updated.approved_at_ms.is_none() {
            // The requester's own approval is still to come.
            return self.store_change(updated, record.version).await;
        }
        self.all_approved(updated, record.version).await
    }
}
