//! Clients for Auth0: the sign-in (OpenID Connect) flow and Token Vault.
//! CIBA joins here as its own module.

mod login;
mod token_vault;

pub use login::{AuthorizationRequest, LoginError, OidcLogin, VerifiedLogin};
pub use token_vault::{TokenVault, TokenVaultError};
