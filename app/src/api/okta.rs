//! Whether the signed-in administrator's Okta account is connected for
//! Token Vault (Auth0's Connected Accounts), for the session panel.

use leptos::prelude::*;

use super::AppError;
use super::json::BrowserJson;

/// How an action's answer starts when Okta is not connected (the core's
/// marker; the browser build has no core, a test keeps the two equal).
pub const NOT_CONNECTED_MARKER: &str = "Okta not connected:";

/// Where the connect and disconnect forms post.
pub const CONNECT_PATH: &str = "/connect/okta";
pub const DISCONNECT_PATH: &str = "/connect/okta/disconnect";
/// In the address after a connection, so the chat asks again.
pub const CONNECTED_FLAG: (&str, &str) = ("okta", "connected");

/// `true` when Auth0 lists a connected account at the Okta connection.
#[server(prefix = "/api", endpoint = "okta_connection", output = BrowserJson)]
pub async fn okta_connection() -> Result<bool, AppError> {
    let session = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    let unavailable = |error: String| {
        tracing::warn!(error = %error, "Okta connection status unavailable");
        AppError::Unavailable(format!("Okta connection status unavailable: {error}."))
    };
    let tokens = state
        .sessions
        .unseal_tokens(&session)
        .map_err(|_| AppError::SignedOut)?;
    let token = state
        .my_account
        .access_token(tokens.refresh_token.as_ref())
        .await
        .map_err(|e| unavailable(e.to_string()))?;
    let accounts = state
        .my_account
        .accounts(&token)
        .await
        .map_err(|e| unavailable(e.to_string()))?;
    Ok(!accounts.is_empty())
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn the_marker_is_the_cores() {
        assert_eq!(
            super::NOT_CONNECTED_MARKER,
            custodian_core::auth0::NOT_CONNECTED_MARKER
        );
    }
}
