//! An approved access request: the approver is checked again, the grant
//! is claimed in the store (one conditional write, so one process writes
//! to FGA), then written as a tuple valid until its expiry. Writing it
//! again is harmless (the earlier time-limited tuple is replaced), so a
//! claim that never reported back is simply tried again.

use chrono::{TimeDelta, Utc};

use super::reset_intent::{APPROVAL_USABLE_FOR_MS, RESET_ABANDONED_AFTER_MS};
use super::{Advance, StepUpPoller};
use crate::elevation::text;
use crate::fga::Granted;
use crate::store::{Elevation, Role, StepUpRecord, StepUpState, StoreResult};
use crate::time::{now_unix, now_unix_ms};

impl StepUpPoller {
    pub(super) async fn grant(&self, record: StepUpRecord) -> StoreResult<Advance> {
        let Some(elevation) = record.elevation.clone() else {
            return Ok(Advance::Unchanged(record));
        };
        let now_ms = now_unix_ms();
        if record
            .reset_started_at_ms
            .is_some_and(|started| now_ms - started < RESET_ABANDONED_AFTER_MS)
        {
            // Another request is granting right now; its outcome follows.
            return Ok(Advance::Unchanged(record));
        }
        if record
            .approved_at_ms
            .is_some_and(|at| now_ms - at > APPROVAL_USABLE_FOR_MS)
        {
            return self
                .finish(record, StepUpState::Failed, text::approval_too_old())
                .await;
        }
        if !self.still_approver(&elevation).await {
            let refusal = text::no_longer_approver(&elevation);
            return self.finish(record, StepUpState::Failed, refusal).await;
        }
        let mut claimed = record.clone();
        claimed.reset_started_at_ms = Some(now_ms);
        if !self.store.update_step_up(&claimed, record.version).await? {
            return Ok(Advance::Lost);
        }
        claimed.version += 1;
        self.write_grant(claimed, elevation).await
    }

    /// Whether FGA still names the approver an approver: their right to
    /// grant may have been taken away while the request waited.
    async fn still_approver(&self, elevation: &Elevation) -> bool {
        self.clients
            .fga
            .approvers(elevation.permission)
            .await
            .iter()
            .any(|email| email.eq_ignore_ascii_case(&elevation.approver_email))
    }

    /// Writes the grant to FGA and stores its outcome on the claimed version.
    async fn write_grant(
        &self,
        claimed: StepUpRecord,
        mut elevation: Elevation,
    ) -> StoreResult<Advance> {
        let seconds = i64::try_from(elevation.seconds).unwrap_or(i64::MAX);
        let valid_until = Utc::now() + TimeDelta::seconds(seconds);
        let written = self
            .clients
            .fga
            .grant_until(&claimed.actor_email, elevation.permission, valid_until)
            .await;
        let (state, outcome, text) = match written {
            Ok(Granted::Until) => {
                elevation.valid_until = Some(valid_until.timestamp());
                let text = text::granted(&elevation, valid_until.timestamp());
                (StepUpState::Completed, "granted", text)
            }
            Ok(Granted::Standing) => (
                StepUpState::Completed,
                "standing",
                text::already_standing(&elevation),
            ),
            Err(error) => {
                tracing::error!(%error, "an approved access grant was not written");
                let reason = error.to_string();
                (StepUpState::Failed, "failed", text::not_recorded(&reason))
            }
        };
        self.clients
            .audit
            .record(
                "elevation.granted",
                &claimed.actor_email,
                &claimed.target,
                outcome,
            )
            .await;
        let mut done = claimed.clone();
        done.elevation = Some(elevation);
        self.record_outcome(&claimed, done, state, text).await
    }

    /// Ends the owner's granted access `id` now: the tuple is deleted and
    /// the record says so. `None` when there is no such active access.
    pub async fn drop_elevation(
        &self,
        owner: &str,
        id: &str,
    ) -> StoreResult<Option<Result<StepUpRecord, String>>> {
        let Some(record) = self.store.get_step_up(owner, id).await? else {
            return Ok(None);
        };
        let Some(elevation) = record
            .elevation
            .clone()
            .filter(|elevation| elevation.active_at(now_unix()))
        else {
            return Ok(None);
        };
        // Gone already (ended from the session panel) is ended too.
        let fga = &self.clients.fga;
        if let Err(error) = fga
            .end_grant(&record.actor_email, elevation.permission)
            .await
        {
            return Ok(Some(Err(error.to_string())));
        }
        self.clients
            .audit
            .record(
                "elevation.dropped",
                &record.actor_email,
                &record.target,
                "dropped",
            )
            .await;
        let mut dropped = record.clone();
        if let Some(elevation) = dropped.elevation.as_mut() {
            elevation.dropped = true;
        }
        // The access is gone whatever happens here; a lost race only
        // means another tab dropped it too.
        if self.store.update_step_up(&dropped, record.version).await? {
            dropped.version += 1;
            self.append(&dropped, Role::Notice, text::dropped(&elevation))
                .await;
        }
        Ok(Some(Ok(dropped)))
    }
}
