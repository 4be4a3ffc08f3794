//! Clients for Auth0: the sign-in (OpenID Connect) flow, Token Vault and
//! CIBA push approvals.

mod attempts;
mod ciba;
mod claims_policy;
mod login;
mod logout;
mod signing_keys;
mod token_vault;

pub use attempts::{ATTEMPT_SECONDS, AttemptError, PendingAttempts};
pub use ciba::{
    CibaClient, CibaError, CibaPoll, CibaRequest, binding_code, binding_message,
    validate_binding_message,
};
pub use login::{AuthorizationRequest, LoginError, OidcLogin, VerifiedLogin};
pub use logout::logout_url;
pub use token_vault::{TokenVault, TokenVaultError};
