//! The password reset an approval unlocks, run with the approver's own
//! Okta token from Token Vault.

use std::sync::Arc;

use secrecy::SecretString;

use crate::actions::ActionContext;
use crate::okta::OktaError;
use crate::store::StepUpRecord;

/// Why a reset did not complete.
#[derive(Debug)]
pub enum ResetError {
    /// Nothing was reset; the text is the readable reason.
    NotDone(String),
    /// Okta got the request and never answered: it may have reset.
    OutcomeUnknown,
}

#[derive(Clone)]
pub struct PasswordReset {
    pub clients: Arc<ActionContext>,
    pub send_email: bool,
}

impl PasswordReset {
    /// Resets the target's password; `Ok(Some(link))` when Okta returned a
    /// one-time link instead of emailing it.
    pub async fn run(&self, record: &StepUpRecord) -> Result<Option<SecretString>, ResetError> {
        let clients = self.clients.as_ref();
        let not_done = |reason: &str| ResetError::NotDone(reason.to_owned());
        let session = clients
            .sessions
            .by_id(&record.session_id)
            .await
            .map_err(|_| not_done("Custodian's session storage was unavailable"))?
            .ok_or_else(|| not_done("your session ended before the reset could run"))?;
        let tokens = clients
            .sessions
            .unseal_tokens(&session)
            .map_err(|_| not_done("your session could not be read"))?;
        let reset = |token: SecretString| async move {
            clients
                .okta
                .reset_password(&token, &record.target, self.send_email)
                .await
        };
        clients
            .vault
            .with_okta_token(&session.id, tokens.refresh_token.as_ref(), reset)
            .await
            .map_err(|error| match error {
                OktaError::NoAnswer => ResetError::OutcomeUnknown,
                error => ResetError::NotDone(error.to_string()),
            })
    }
}
