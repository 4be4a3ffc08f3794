//! Clients for Auth0: the sign-in (OpenID Connect) flow. Token Vault and CIBA
//! join here as their own modules.

mod login;

pub use login::{AuthorizationRequest, LoginError, OidcLogin, VerifiedLogin};
