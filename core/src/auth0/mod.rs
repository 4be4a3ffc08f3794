//! Clients for Auth0: the sign-in (OpenID Connect) flow, Token Vault, the
//! My Account API's Connected Accounts and CIBA push approvals.

mod approval_details;
mod attempts;
mod ciba;
mod claims_policy;
mod login;
mod logout;
mod my_account;
mod rar_limits;
mod signing_keys;
mod token_vault;

pub use approval_details::{
    ApprovalDetails, ApprovalDetailsError, PASSWORD_RESET_TYPE, PasswordReset,
};
pub use attempts::{ATTEMPT_SECONDS, AttemptError, PendingAttempts};
pub use ciba::{
    CibaClient, CibaError, CibaPoll, CibaRequest, binding_code, binding_message,
    validate_binding_message,
};
pub use login::{AuthorizationRequest, LoginError, OidcLogin, VerifiedLogin};
pub use logout::logout_url;
pub use my_account::{
    ConnectStart, ConnectedAccount, MY_ACCOUNT_SCOPES, MyAccount, MyAccountError, OKTA_SCOPES,
};
pub use rar_limits::RarLimitError;
pub use token_vault::{NOT_CONNECTED_MARKER, TokenVault, TokenVaultError, not_connected_text};
