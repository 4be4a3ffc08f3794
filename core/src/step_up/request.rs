//! Starting a step-up: within the user's limits, the push to the phone and
//! the pending record.

use crate::actions::ActionContext;
use crate::auth0::{
    ApprovalDetails, CibaError, CibaRequest, PasswordReset, binding_code, binding_message,
};
use crate::ids::random_token;
use crate::limits::{LimitError, NewStepUp};
use crate::store::{SecondApproval, SessionRecord, StepUpRecord, StepUpState};

use super::SecondApprover;
use crate::time::now_unix;

#[derive(Debug, thiserror::Error)]
pub enum StepUpError {
    #[error("{0}")]
    Ciba(#[from] CibaError),
    /// The approver has no phone to approve on: the whole message, with
    /// how to enrol (starts with [`super::ENROLMENT_MARKER`]).
    #[error("{0}")]
    NotEnrolled(String),
    /// Over a limit: the whole message, with when to try again (starts
    /// with [`crate::limits::LIMIT_MARKER`]).
    #[error("{0}")]
    Limited(String),
    #[error(
        "Custodian could not record the approval request, so the reset will not run; try again"
    )]
    Store,
}

/// Sends the approval request for resetting `target`'s password to the
/// actor's phone (and, under dual control, another to the `second`
/// approver's) and records it as pending in `conversation_id`.
pub async fn request_step_up(
    context: &ActionContext,
    actor: &SessionRecord,
    target: &str,
    conversation_id: &str,
    second: Option<&SecondApprover>,
) -> Result<StepUpRecord, StepUpError> {
    let undone = format!("the password of {target} was not reset");
    within_limits(context, actor, (target, &undone), |id| async move {
        push(context, actor, target, &id, conversation_id, second).await
    })
    .await
}

/// Runs `send` (which pushes a request with the given id) only within the
/// actor's limits, and frees the pending slot again when it fails. `target`
/// is what the request is for, `undone` what a refusal leaves undone.
pub(crate) async fn within_limits<F, Fut>(
    context: &ActionContext,
    actor: &SessionRecord,
    (target, undone): (&str, &str),
    send: F,
) -> Result<StepUpRecord, StepUpError>
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = Result<StepUpRecord, StepUpError>>,
{
    let store = context.sessions.store().as_ref();
    let id = random_token(18);
    let now = now_unix();
    let request = NewStepUp {
        actor,
        target,
        undone,
        id: &id,
        now,
        expires_at: now + i64::from(context.ciba_expiry_seconds),
    };
    match context.limits.admit_step_up(store, &request).await {
        Ok(()) => {}
        Err(LimitError::Refused(refusal)) => return Err(StepUpError::Limited(refusal.message)),
        Err(LimitError::Store(error)) => {
            tracing::error!(error = %error, "could not check the approval limits");
            return Err(StepUpError::Store);
        }
    }
    let pushed = send(id.clone()).await;
    if pushed.is_err() {
        // Nothing is pending, so nothing may hold a pending slot.
        context
            .limits
            .release_step_up(store, &actor.user.sub, &id)
            .await;
    }
    pushed
}

/// The push itself and its record.
async fn push(
    context: &ActionContext,
    actor: &SessionRecord,
    target: &str,
    id: &str,
    conversation_id: &str,
    second: Option<&SecondApprover>,
) -> Result<StepUpRecord, StepUpError> {
    let ciba = &context.ciba;
    let code = binding_code();
    let message = binding_message(&code)?;
    let details = reset_details(target, actor, &code)?;
    let started = match ciba
        .start(
            &actor.user.sub,
            &message,
            context.ciba_expiry_seconds,
            &details,
        )
        .await
    {
        Ok(started) => started,
        Err(error @ CibaError::NotEnrolled { .. }) => {
            context
                .audit
                .record("step_up.refused", &actor.user.email, target, "not-enrolled")
                .await;
            let why = error.to_string();
            return Err(StepUpError::NotEnrolled(super::enrolment_guidance(
                &why,
                ciba.enrolment_url(),
            )));
        }
        Err(error) => return Err(error.into()),
    };
    let mut record = pending_record(context, actor, conversation_id, id, target, code, &started);
    if let Some(second) = second {
        // Both requests go out before anything is stored: a refused second
        // push leaves no record, and the first expires unanswered.
        let (approval, expires_in) = push_second(context, actor, target, second).await?;
        record.second = Some(approval);
        record.expires_at = record.expires_at.min(record.created_at + expires_in);
    }
    store_pending(context, &record).await?;
    context
        .audit
        .record("step_up.requested", &actor.user.email, target, "pending")
        .await;
    Ok(record)
}

/// What the approver's phone shows of a reset asked for by `actor`.
fn reset_details(
    target: &str,
    actor: &SessionRecord,
    binding_code: &str,
) -> Result<ApprovalDetails, StepUpError> {
    let reset = PasswordReset {
        target,
        requester: &actor.user.email,
        binding_code,
    };
    Ok(ApprovalDetails::password_reset(&reset).map_err(CibaError::from)?)
}

/// The second administrator's request, with its own code; and how long
/// Auth0 keeps it.
async fn push_second(
    context: &ActionContext,
    actor: &SessionRecord,
    target: &str,
    second: &SecondApprover,
) -> Result<(SecondApproval, i64), StepUpError> {
    let code = binding_code();
    let message = binding_message(&code)?;
    let details = reset_details(target, actor, &code)?;
    let started = context
        .ciba
        .start(&second.sub, &message, context.ciba_expiry_seconds, &details)
        .await
        .map_err(|error| match error {
            CibaError::NotEnrolled { .. } => StepUpError::NotEnrolled(format!(
                "{target} is in {}, so the reset needs a second approval, but {} has no phone enrolled for approvals; the password was not reset. Ask them to enrol, or ask an FGA administrator.",
                second.group, second.email
            )),
            error => error.into(),
        })?;
    let sealed_auth_req_id = sealed_request_id(context, &started);
    context
        .audit
        .record("step_up.second_requested", &second.email, target, "pending")
        .await;
    let approval = SecondApproval {
        approver_email: second.email.clone(),
        approver_sub: second.sub.clone(),
        binding_code: code,
        sealed_auth_req_id,
        state: StepUpState::Pending,
        interval: started.interval,
        next_poll_at_ms: super::next_poll_after(crate::time::now_unix_ms(), started.interval),
    };
    Ok((approval, started.expires_in))
}

/// Auth0's `auth_req_id` as the store keeps it: sealed.
fn sealed_request_id(context: &ActionContext, started: &CibaRequest) -> String {
    let id = secrecy::ExposeSecret::expose_secret(&started.auth_req_id);
    context.sessions.sealer().seal(id.as_bytes())
}

/// The pending record of a request Auth0 accepted; its `auth_req_id` is
/// kept sealed.
pub(crate) fn pending_record(
    context: &ActionContext,
    actor: &SessionRecord,
    conversation_id: &str,
    id: &str,
    target: &str,
    binding_code: String,
    started: &CibaRequest,
) -> StepUpRecord {
    let now = now_unix();
    let sealed_auth_req_id = sealed_request_id(context, started);
    StepUpRecord {
        id: id.to_owned(),
        owner: actor.user.sub.clone(),
        session_id: actor.id.clone(),
        conversation_id: conversation_id.to_owned(),
        actor_email: actor.user.email.clone(),
        target: target.to_owned(),
        binding_code,
        sealed_auth_req_id,
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
        elevation: None,
        second: None,
    }
}

/// Stores a pending record. When this fails the push went out but nothing
/// tracks it: it expires unanswered and nothing can follow from it.
pub(crate) async fn store_pending(
    context: &ActionContext,
    record: &StepUpRecord,
) -> Result<(), StepUpError> {
    context
        .sessions
        .store()
        .create_step_up(record)
        .await
        .map_err(|error| {
            tracing::error!(error = %error, "could not store a step-up");
            StepUpError::Store
        })
}
