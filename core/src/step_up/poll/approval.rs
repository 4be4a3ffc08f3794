//! The phone's approval arrived: check it is the owner's own, then record
//! Pending → Approved. The reset follows as for any approved step-up, so a
//! request cut off right after this write leaves it to the next poll.

use secrecy::SecretString;

use super::{Advance, StepUpPoller};
use crate::store::{StepUpRecord, StepUpState, StoreResult};
use crate::time::now_unix_ms;

impl StepUpPoller {
    pub(super) async fn approved(
        &self,
        record: StepUpRecord,
        id_token: SecretString,
    ) -> StoreResult<Advance> {
        match self.login.verify_ciba_id_token(&id_token).await {
            Ok(sub) if sub == record.owner => {}
            Ok(_) => {
                self.clients
                    .audit
                    .record(
                        "step_up.rejected",
                        &record.actor_email,
                        &record.target,
                        "approver-mismatch",
                    )
                    .await;
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
        approved.failed_polls = 0;
        approved.sealed_auth_req_id = String::new();
        approved.approved_at_ms = Some(now_unix_ms());
        if !self.store.update_step_up(&approved, record.version).await? {
            return Ok(Advance::Lost);
        }
        approved.version += 1;
        self.no_longer_pending(&record).await;
        self.clients
            .audit
            .record(
                "step_up.approved",
                &record.actor_email,
                &record.target,
                "approved",
            )
            .await;
        self.advance_approved(approved).await
    }
}
