//! Asking an approver for time-limited access: who may grant it, their
//! Auth0 user id, the push to their phone and the pending record.

use std::time::Duration;

use super::text;
use crate::actions::{ActionContext, Approver, ApproverError, other_approver};
use crate::auth0::{AccessGrant, ApprovalDetails, CibaError, ManagementError, binding_code};
use crate::fga::{Decision, Permission};
use crate::step_up::{StepUpError, pending_record, store_pending, within_limits};
use crate::store::{Elevation, SessionRecord, StepUpRecord};

/// Why no request went out; every message is for the person asking.
#[derive(Debug, thiserror::Error)]
pub enum ElevationError {
    #[error("That permission cannot be requested for a while; ask an FGA administrator.")]
    NotGrantable,
    #[error("That duration is not offered; choose one of the buttons.")]
    DurationNotOffered,
    #[error("You already may {0}, so there is nothing to request.")]
    AlreadyAllowed(&'static str),
    #[error(
        "Nobody else in Auth0 FGA may grant `{0}` on `{1}` (or FGA did not answer), so no request was sent. Ask an FGA administrator."
    )]
    NoApprover(&'static str, &'static str),
    #[error(
        "Custodian could not find {0} in Auth0, so no request was sent. Ask an FGA administrator."
    )]
    ApproverUnknown(String),
    #[error(
        "Custodian could not look up {0} in Auth0 ({1}), so no request was sent. Try again shortly."
    )]
    Lookup(String, ManagementError),
    #[error(
        "{0} has no phone enrolled for approvals, so no request was sent. Ask them to enrol, or ask an FGA administrator."
    )]
    ApproverNotEnrolled(String),
    #[error("{0}")]
    StepUp(#[from] StepUpError),
}

/// Asks an approver of `relation` to grant it to `requester` for
/// `duration`, recorded as pending in `conversation_id`.
pub async fn request_elevation(
    context: &ActionContext,
    requester: &SessionRecord,
    relation: &str,
    duration: Duration,
    conversation_id: &str,
) -> Result<StepUpRecord, ElevationError> {
    let permission = Permission::grantable(relation).ok_or(ElevationError::NotGrantable)?;
    if !context.elevation.durations.contains(&duration) {
        return Err(ElevationError::DurationNotOffered);
    }
    let email = &requester.user.email;
    if context.fga.check(email, permission).await == Decision::Allowed {
        return Err(ElevationError::AlreadyAllowed(permission.activity()));
    }
    let approver = approver(context, requester, permission).await?;
    let elevation = Elevation {
        permission,
        seconds: duration.as_secs(),
        approver_email: approver.email,
        approver_sub: approver.sub,
        valid_until: None,
        dropped: false,
    };
    let target = permission.object();
    let undone = "no access was requested";
    let record = within_limits(context, requester, (target, undone), |id| async move {
        push(context, requester, elevation, &id, conversation_id).await
    })
    .await?;
    Ok(record)
}

/// The first approver FGA names other than the requester, with their
/// Auth0 user id.
async fn approver(
    context: &ActionContext,
    requester: &SessionRecord,
    permission: Permission,
) -> Result<Approver, ElevationError> {
    match other_approver(context, permission, &requester.user, None).await {
        Ok(approver) => Ok(approver),
        Err(ApproverError::NoneListed) => Err(ElevationError::NoApprover(
            permission.relation(),
            permission.object(),
        )),
        Err(ApproverError::Lookup(email, error)) => Err(ElevationError::Lookup(email, error)),
        Err(ApproverError::Unknown(email)) => Err(ElevationError::ApproverUnknown(email)),
    }
}

/// The push to the approver's phone and its record.
async fn push(
    context: &ActionContext,
    requester: &SessionRecord,
    elevation: Elevation,
    id: &str,
    conversation_id: &str,
) -> Result<StepUpRecord, StepUpError> {
    let code = binding_code();
    let message = crate::auth0::access_binding_message(&code)?;
    let access = text::access(elevation.permission, elevation.seconds);
    let details = ApprovalDetails::access_grant(&AccessGrant {
        access: &access,
        requester: &requester.user.email,
        binding_code: &code,
    })
    .map_err(CibaError::from)?;
    let target = elevation.permission.object();
    let started = context
        .ciba
        .start(
            &elevation.approver_sub,
            &message,
            context.ciba_expiry_seconds,
            &details,
        )
        .await
        .map_err(|error| match error {
            CibaError::NotEnrolled { .. } => StepUpError::NotEnrolled(
                ElevationError::ApproverNotEnrolled(elevation.approver_email.clone()).to_string(),
            ),
            error => error.into(),
        })?;
    let mut record = pending_record(
        context,
        requester,
        conversation_id,
        id,
        target,
        code,
        &started,
    );
    record.elevation = Some(elevation);
    store_pending(context, &record).await?;
    context
        .audit
        .record(
            "elevation.requested",
            &requester.user.email,
            target,
            "pending",
        )
        .await;
    Ok(record)
}
