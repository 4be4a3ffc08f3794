//! The My Account API's Connected Accounts endpoints
//! (`https://{domain}/me/v1/connected-accounts/...`, Auth0 "Connected
//! Accounts for Token Vault") and the connect page a user is sent to with
//! the ticket, standing in for the external provider's consent.
//!
//! Wire shapes follow Auth0's own SDKs (auth0-server-python
//! `MyAccountClient`, nextjs-auth0 `connectAccount`): `connect` and
//! `complete` answer 201, listing 200, deleting 204; every call carries a
//! Bearer token for the `https://{domain}/me/` audience with the
//! `create:`/`read:`/`delete:me:connected_accounts` scope.

mod accounts;
mod api;
mod page;
mod pending;
mod problem;

use std::sync::Arc;

use axum::Router;
use axum::routing::{delete, get, post};

pub use accounts::ConnectedAccounts;

use crate::auth0::Auth0;
use pending::PendingConnects;

/// The scopes the sandbox's refresh-token policy allows for the My
/// Account audience.
pub const MY_ACCOUNT_SCOPES: [&str; 3] = [
    "create:me:connected_accounts",
    "read:me:connected_accounts",
    "delete:me:connected_accounts",
];

/// Where `connect_uri` points: `https://{domain}/connect` (nextjs-auth0's
/// fixtures); the browser arrives with `?ticket=`.
pub const CONNECT_PAGE: &str = "/connect";

pub struct MyAccount {
    auth0: Arc<Auth0>,
    pending: PendingConnects,
}

pub fn router(auth0: Arc<Auth0>) -> Router {
    let state = Arc::new(MyAccount {
        auth0,
        pending: PendingConnects::default(),
    });
    Router::new()
        .route("/me/v1/connected-accounts/connect", post(api::connect))
        .route("/me/v1/connected-accounts/complete", post(api::complete))
        .route("/me/v1/connected-accounts/accounts", get(api::list))
        .route(
            "/me/v1/connected-accounts/accounts/{id}",
            delete(api::remove),
        )
        .route(CONNECT_PAGE, get(page::show))
        .route("/connect/allow", post(page::allow))
        .route("/connect/deny", post(page::deny))
        .with_state(state)
}
