//! Starting a step-up: the push to the phone and the pending record.

use crate::auth0::{CibaClient, CibaError, binding_code, binding_message};
use crate::ids::random_token;
use crate::sealing::Sealer;
use crate::store::{SessionRecord, StepUpRecord, StepUpState, Store};
use crate::time::now_unix;

#[derive(Debug, thiserror::Error)]
pub enum StepUpError {
    #[error("{0}")]
    Ciba(#[from] CibaError),
    /// The approver has no phone to approve on: the whole message, with
    /// how to enrol (starts with [`super::ENROLMENT_MARKER`]).
    #[error("{0}")]
    NotEnrolled(String),
    #[error(
        "Custodian could not record the approval request, so the reset will not run; try again"
    )]
    Store,
}

/// Sends the approval request for resetting `target`'s password to the
/// actor's phone and records it as pending in `conversation_id`.
pub async fn request_step_up(
    ciba: &CibaClient,
    store: &dyn Store,
    sealer: &Sealer,
    actor: &SessionRecord,
    target: &str,
    conversation_id: &str,
    requested_expiry: u32,
) -> Result<StepUpRecord, StepUpError> {
    let code = binding_code();
    let message = binding_message(&code)?;
    let started = match ciba
        .start(&actor.user.sub, &message, requested_expiry)
        .await
    {
        Ok(started) => started,
        Err(error @ CibaError::NotEnrolled { .. }) => {
            crate::audit::record("step_up.refused", &actor.user.email, target, "not-enrolled");
            let why = error.to_string();
            return Err(StepUpError::NotEnrolled(super::enrolment_guidance(
                &why,
                ciba.enrolment_url(),
            )));
        }
        Err(error) => return Err(error.into()),
    };
    let now = now_unix();
    let record = StepUpRecord {
        id: random_token(18),
        owner: actor.user.sub.clone(),
        session_id: actor.id.clone(),
        conversation_id: conversation_id.to_owned(),
        actor_email: actor.user.email.clone(),
        target: target.to_owned(),
        binding_code: code,
        sealed_auth_req_id: sealer
            .seal(secrecy::ExposeSecret::expose_secret(&started.auth_req_id).as_bytes()),
        state: StepUpState::Pending,
        created_at: now,
        expires_at: now + started.expires_in,
        interval: started.interval,
        next_poll_at_ms: super::next_poll_after(crate::time::now_unix_ms(), started.interval),
        problem: None,
        outcome: None,
        sealed_reset_link: None,
        version: 0,
        failed_polls: 0,
        approved_at_ms: None,
        reset_started_at_ms: None,
    };
    store.create_step_up(&record).await.map_err(|error| {
        // The push went out but nothing tracks it: it expires unanswered
        // and no reset can follow from it.
        tracing::error!(error = %error, "could not store a step-up");
        StepUpError::Store
    })?;
    crate::audit::record("step_up.requested", &actor.user.email, target, "pending");
    Ok(record)
}
