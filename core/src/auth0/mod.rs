//! Clients for Auth0: the sign-in (OpenID Connect) flow, Token Vault, the
//! My Account API's Connected Accounts, CIBA push approvals and the
//! Management API's user lookup.

mod approval_details;
mod attempts;
mod ciba;
mod claims_policy;
mod login;
mod logout;
mod management;
mod my_account;
mod rar_limits;
mod signing_keys;
mod token_vault;

pub use approval_details::{
    ACCESS_GRANT_TYPE, AccessGrant, ApprovalDetails, ApprovalDetailsError, PASSWORD_RESET_TYPE,
    PasswordReset,
};
pub use attempts::{ATTEMPT_SECONDS, AttemptError, PendingAttempts};
pub use ciba::{
    CibaClient, CibaError, CibaPoll, CibaRequest, access_binding_message, binding_code,
    binding_message, validate_binding_message,
};
pub use login::{AuthorizationRequest, LoginError, OidcLogin, VerifiedLogin};
pub use logout::logout_url;
pub use management::{ManagementApi, ManagementError, READ_USERS, management_audience};
pub use my_account::{
    ConnectStart, ConnectedAccount, MY_ACCOUNT_SCOPES, MyAccount, MyAccountError, OKTA_SCOPES,
};
pub use rar_limits::RarLimitError;
pub use token_vault::{NOT_CONNECTED_MARKER, TokenVault, TokenVaultError, not_connected_text};
