//! The password reset an approval unlocks, run with the approver's own
//! Okta token from Token Vault.

use std::sync::Arc;

use secrecy::SecretString;

use crate::actions::ActionContext;
use crate::store::StepUpRecord;

#[derive(Clone)]
pub struct PasswordReset {
    pub clients: Arc<ActionContext>,
    pub send_email: bool,
}

impl PasswordReset {
    /// Resets the target's password; `Ok(Some(link))` when Okta returned a
    /// one-time link instead of emailing it. `Err` is a readable reason.
    pub async fn run(&self, record: &StepUpRecord) -> Result<Option<SecretString>, String> {
        let clients = self.clients.as_ref();
        let session = clients
            .sessions
            .by_id(&record.session_id)
            .await
            .map_err(|_| "Custodian's session storage was unavailable".to_owned())?
            .ok_or_else(|| "your session ended before the reset could run".to_owned())?;
        let tokens = clients
            .sessions
            .unseal_tokens(&session)
            .map_err(|_| "your session could not be read".to_owned())?;
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
            .map_err(|error| error.to_string())
    }
}
