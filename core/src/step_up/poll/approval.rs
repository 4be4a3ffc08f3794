//! The phone's approval arrived: check it is the expected approver's (the
//! owner's own for a reset, the named approver's for access), then record
//! Pending → Approved. What the approval allows follows as for any approved
//! step-up, so a request cut off right after this write leaves it to the
//! next poll.

use secrecy::SecretString;

use super::{Advance, StepUpPoller, event_prefix};
use crate::store::{StepUpRecord, StepUpState, StoreResult};
use crate::time::now_unix_ms;

impl StepUpPoller {
    pub(super) async fn approved(
        &self,
        record: StepUpRecord,
        id_token: SecretString,
    ) -> StoreResult<Advance> {
        match self.login.verify_ciba_id_token(&id_token).await {
            Ok(sub) if sub == expected_approver(&record) => {}
            Ok(_) => {
                self.clients
                    .audit
                    .record(
                        &format!("{}.rejected", event_prefix(&record)),
                        &record.actor_email,
                        &record.target,
                        "approver-mismatch",
                    )
                    .await;
                let text = match &record.elevation {
                    Some(elevation) => crate::elevation::text::wrong_approver(elevation),
                    None => "The approval came from a different account than yours, so nothing was changed.".into(),
                };
                return self.finish(record, StepUpState::Failed, text).await;
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
        let mut own = record.clone();
        own.problem = None;
        own.failed_polls = 0;
        own.sealed_auth_req_id = String::new();
        own.approved_at_ms = Some(now_unix_ms());
        let second_waiting = own
            .second
            .as_ref()
            .is_some_and(|second| second.state != StepUpState::Approved);
        if second_waiting {
            // Dual control: nothing runs until the second administrator
            // approves too.
            self.clients
                .audit
                .record(
                    "step_up.approved",
                    &record.actor_email,
                    &record.target,
                    "waiting-for-second",
                )
                .await;
            return self.store_change(own, record.version).await;
        }
        self.all_approved(own, record.version).await
    }

    /// Every approval the step-up needs is in: record Approved, then do
    /// what it allows (grant the access, or reset the password).
    pub(super) async fn all_approved(
        &self,
        mut approved: StepUpRecord,
        expected_version: i64,
    ) -> StoreResult<Advance> {
        approved.state = StepUpState::Approved;
        approved.approved_at_ms = Some(now_unix_ms());
        if !self
            .store
            .update_step_up(&approved, expected_version)
            .await?
        {
            return Ok(Advance::Lost);
        }
        approved.version = expected_version + 1;
        self.no_longer_pending(&approved).await;
        self.clients
            .audit
            .record(
                &format!("{}.approved", event_prefix(&approved)),
                &approved.actor_email,
                &approved.target,
                "approved",
            )
            .await;
        if approved.elevation.is_some() {
            self.grant(approved).await
        } else {
            self.advance_approved(approved).await
        }
    }
}

/// Whose approval counts: the named approver's for access, the actor's
/// own for a reset.
fn expected_approver(record: &StepUpRecord) -> &str {
    match &record.elevation {
        Some(elevation) => &elevation.approver_sub,
        None => &record.owner,
    }
}
