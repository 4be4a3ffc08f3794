//! Choosing who approves on someone else's behalf: the first user FGA
//! names `approver` of a permission who is not excluded, with their Auth0
//! user id (a CIBA request names its approver by user id). Access requests
//! and dual control both ask this way; nobody approves their own request.

use crate::auth0::ManagementError;
use crate::fga::Permission;
use crate::store::SessionUser;

use super::ActionContext;

/// An approver to send a request to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Approver {
    pub email: String,
    /// The approval's ID token must name this Auth0 user id.
    pub sub: String,
}

/// Why there is no approver to ask; callers word it for their request.
#[derive(Debug)]
pub enum ApproverError {
    /// FGA names nobody else, or did not answer.
    NoneListed,
    /// The Management API did not answer the lookup of this email.
    Lookup(String, ManagementError),
    /// No single Auth0 user has this email.
    Unknown(String),
}

/// The first approver of `permission` who is neither `requester` nor
/// `also_not` (say, the account being reset).
pub async fn other_approver(
    context: &ActionContext,
    permission: Permission,
    requester: &SessionUser,
    also_not: Option<&str>,
) -> Result<Approver, ApproverError> {
    let excluded = |email: &String| {
        email.eq_ignore_ascii_case(&requester.email)
            || also_not.is_some_and(|other| email.eq_ignore_ascii_case(other))
    };
    let email = context
        .fga
        .approvers(permission)
        .await
        .into_iter()
        .find(|email| !excluded(email))
        .ok_or(ApproverError::NoneListed)?;
    let sub = match context.management.user_id_by_email(&email).await {
        Ok(Some(sub)) => sub,
        Ok(None) => return Err(ApproverError::Unknown(email)),
        Err(error) => return Err(ApproverError::Lookup(email, error)),
    };
    if sub == requester.sub {
        return Err(ApproverError::NoneListed);
    }
    Ok(Approver { email, sub })
}
