//! Dual control: resetting the password of a privileged account (a member
//! of an Okta group named in `dualControl.privilegedGroups`) needs a second
//! administrator's approval as well as the requester's own. The second
//! approver is the first FGA approver of `okta:password` who is neither the
//! requester nor the account itself; nothing runs until both approve.

use crate::actions::{ActionContext, Actor, Approver, ApproverError, other_approver, read_groups};
use crate::fga::Permission;
use crate::okta::OktaError;

/// Who gives the second approval, and why one is needed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecondApprover {
    pub email: String,
    /// Their Auth0 user id: the second approval's ID token must name it.
    pub sub: String,
    /// The privileged group the account is in.
    pub group: String,
}

/// Why a reset that needs a second approval cannot be asked for; each
/// message is the whole answer for the person asking.
#[derive(Debug, thiserror::Error)]
pub enum DualControlError {
    #[error(
        "Custodian could not read the Okta groups of {target} to tell whether it is a privileged account ({reason}), so the password was not reset. Try again shortly."
    )]
    GroupsUnknown { target: String, reason: String },
    /// The requester's Okta account is not connected: the whole notice.
    #[error("{0}")]
    NotConnected(String),
    #[error(
        "{target} is in {group}, so resetting their password needs a second administrator's approval, but Auth0 FGA names no other approver of `okta:password` (or did not answer), so the password was not reset. Ask an FGA administrator."
    )]
    NoSecondApprover { target: String, group: String },
    #[error(
        "Custodian could not find the second approver {0} in Auth0 ({1}), so the password was not reset. Try again shortly."
    )]
    ApproverUnknown(String, String),
}

/// The second approver a reset of `target` needs, if it needs one.
pub async fn second_approver(
    context: &ActionContext,
    actor: &Actor,
    target: &str,
) -> Result<Option<SecondApprover>, DualControlError> {
    let privileged = &context.dual_control.privileged_groups;
    if privileged.is_empty() {
        return Ok(None);
    }
    let groups = read_groups(context, actor, target)
        .await
        .map_err(|error| match error {
            OktaError::NotConnected => {
                DualControlError::NotConnected(crate::auth0::not_connected_text(&format!(
                    "did not reset the password of {target}"
                )))
            }
            error => DualControlError::GroupsUnknown {
                target: target.to_owned(),
                reason: error.to_string(),
            },
        })?;
    let Some(group) = groups
        .into_iter()
        .find(|group| privileged.iter().any(|p| p.eq_ignore_ascii_case(group)))
    else {
        return Ok(None);
    };
    let permission = Permission::ResetPassword;
    let requester = &actor.session.user;
    let Approver { email, sub } =
        match other_approver(context, permission, requester, Some(target)).await {
            Ok(approver) => approver,
            Err(ApproverError::NoneListed) => {
                return Err(DualControlError::NoSecondApprover {
                    target: target.to_owned(),
                    group,
                });
            }
            Err(ApproverError::Lookup(email, error)) => {
                return Err(DualControlError::ApproverUnknown(email, error.to_string()));
            }
            Err(ApproverError::Unknown(email)) => {
                let why = "no single Auth0 user has that email".to_owned();
                return Err(DualControlError::ApproverUnknown(email, why));
            }
        };
    Ok(Some(SecondApprover { email, sub, group }))
}
