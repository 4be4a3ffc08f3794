//! Approval pushes (CIBA requests) per user. Auth0 documents a rate limit
//! per user: the authorizing user is sent no more than 5 requests a minute
//! (Client-Initiated Backchannel Authentication Flow, "Mobile Push
//! Notifications with CIBA", step 1;
//! https://auth0.com/docs/get-started/authentication-and-authorization-flow/client-initiated-backchannel-authentication-flow).
//! Refusing here keeps Auth0's refusal from surfacing as an error, and a
//! cap on requests waiting at once keeps a phone from filling with pushes
//! that one tap could approve by mistake.

use super::window::{MINUTE, Window, key};
use super::wording::{count, refusal};
use super::{LimitError, Limits};
use crate::store::{SessionRecord, SlotClaim, SlotDecision, Store};

/// The slots of one user's pending requests.
const PENDING: &str = "pending-step-ups";

/// A new approval request, as the limits see it.
pub struct NewStepUp<'a> {
    pub actor: &'a SessionRecord,
    /// What it is for: whose password, or which permission (for the audit).
    pub target: &'a str,
    /// What a refusal leaves undone, for its message: "the password of
    /// bob@example.com was not reset".
    pub undone: &'a str,
    /// The step-up's id: it holds the pending slot.
    pub id: &'a str,
    pub now: i64,
    /// When it stops pending at the latest.
    pub expires_at: i64,
}

impl Limits {
    /// Admits a new approval request: it takes one of the user's pending
    /// slots, then counts against the minute. A refused request holds
    /// nothing.
    pub async fn admit_step_up(
        &self,
        store: &dyn Store,
        request: &NewStepUp<'_>,
    ) -> Result<(), LimitError> {
        self.claim_pending(store, request).await?;
        let NewStepUp {
            actor,
            target,
            id,
            now,
            ..
        } = *request;
        let owner = &actor.user.sub;
        let max = self.settings.step_up_pushes_per_minute;
        let minute = Window {
            kind: "step-up-pushes",
            max,
            seconds: MINUTE,
        };
        let counted = minute.hit(store, owner, now).await;
        if !matches!(counted, Ok(Ok(()))) {
            // Nothing goes out, so nothing may stay held.
            self.release_step_up(store, owner, id).await;
        }
        let retry_after = match counted {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(retry_after)) => retry_after,
            Err(error) => return Err(error.into()),
        };
        self.audit
            .record("step_up.refused", &actor.user.email, target, "rate-limited")
            .await;
        let what = format!(
            "Approval requests are limited to {} a minute for each person (Auth0 sends one \
             phone no more), so none was sent and {}.",
            count(max, "request", "requests"),
            request.undone,
        );
        Err(LimitError::Refused(refusal(&what, retry_after)))
    }

    /// Holds one of the user's pending slots for the request, or says why
    /// not.
    async fn claim_pending(
        &self,
        store: &dyn Store,
        request: &NewStepUp<'_>,
    ) -> Result<(), LimitError> {
        let NewStepUp {
            actor,
            target,
            id,
            now,
            expires_at,
            ..
        } = *request;
        let claim = SlotClaim {
            key: key(PENDING, &actor.user.sub),
            slots: self.settings.pending_step_ups,
            holder: id.to_owned(),
            now,
            expires_at,
        };
        let claimed = store.claim_slot(&claim).await?;
        let SlotDecision::Full { frees_at } = claimed else {
            return Ok(());
        };
        self.audit
            .record(
                "step_up.refused",
                &actor.user.email,
                target,
                "too-many-pending",
            )
            .await;
        let what = format!(
            "You already have {} waiting on your phone, so no new one was sent and {}. \
             Answer or cancel one of them to send another at once.",
            count(claim.slots, "approval request", "approval requests"),
            request.undone,
        );
        Err(LimitError::Refused(refusal(&what, frees_at - now)))
    }

    /// Request `id` of `owner` is no longer pending: its slot frees. A
    /// failure only delays that until the request's expiry, so it is
    /// logged, not returned.
    pub async fn release_step_up(&self, store: &dyn Store, owner: &str, id: &str) {
        let pending = key(PENDING, owner);
        let slots = self.settings.pending_step_ups;
        if let Err(error) = store.release_slot(&pending, slots, id).await {
            tracing::warn!(error = %error, "could not free an approval request's slot");
        }
    }
}
