//! The password reset an approval unlocks, run with the approver's own
//! Okta token from Token Vault.

use std::sync::Arc;

use secrecy::SecretString;

use crate::auth0::TokenVault;
use crate::okta::{OktaClient, OktaError};
use crate::session::Sessions;
use crate::store::StepUpRecord;

pub struct PasswordReset {
    pub sessions: Sessions,
    pub vault: Arc<TokenVault>,
    pub okta: Arc<OktaClient>,
    pub send_email: bool,
}

impl PasswordReset {
    /// Resets the target's password; `Ok(Some(link))` when Okta returned a
    /// one-time link instead of emailing it. `Err` is a readable reason.
    pub async fn run(&self, record: &StepUpRecord) -> Result<Option<SecretString>, String> {
        let session = self
            .sessions
            .by_id(&record.session_id)
            .await
            .map_err(|_| "Custodian's session storage was unavailable".to_owned())?
            .ok_or_else(|| "your session ended before the reset could run".to_owned())?;
        let tokens = self
            .sessions
            .unseal_tokens(&session)
            .map_err(|_| "your session could not be read".to_owned())?;
        let refresh = tokens.refresh_token.as_ref();
        let token = self
            .vault
            .okta_token(&session.id, refresh)
            .await
            .map_err(|error| error.to_string())?;
        match self
            .okta
            .reset_password(&token, &record.target, self.send_email)
            .await
        {
            Err(OktaError::Unauthorized) => {
                // One fresh exchange: the cached token may have been revoked.
                self.vault.forget(&session.id);
                let token = self
                    .vault
                    .okta_token(&session.id, refresh)
                    .await
                    .map_err(|error| error.to_string())?;
                self.okta
                    .reset_password(&token, &record.target, self.send_email)
                    .await
                    .map_err(|error| error.to_string())
            }
            other => other.map_err(|error| error.to_string()),
        }
    }
}
