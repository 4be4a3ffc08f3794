//! Request and response bodies of the Connected Accounts endpoints, as
//! Auth0's SDKs send and read them (auth0-server-python `auth_types`:
//! `ConnectAccountRequest`, `ConnectAccountResponse`,
//! `CompleteConnectAccountRequest`, `ConnectedAccount`).

use serde::{Deserialize, Serialize};

#[derive(Serialize)]
pub struct ConnectRequest<'a> {
    pub connection: &'a str,
    pub redirect_uri: &'a str,
    pub state: &'a str,
    pub code_challenge: &'a str,
    pub code_challenge_method: &'static str,
    pub scopes: &'a [&'a str],
}

#[derive(Deserialize)]
pub struct ConnectResponse {
    pub auth_session: String,
    pub connect_uri: String,
    pub connect_params: ConnectParams,
}

#[derive(Deserialize)]
pub struct ConnectParams {
    pub ticket: String,
}

#[derive(Serialize)]
pub struct CompleteRequest<'a> {
    pub auth_session: &'a str,
    pub connect_code: &'a str,
    pub redirect_uri: &'a str,
    pub code_verifier: &'a str,
}

/// A connected account: metadata only, safe to show.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ConnectedAccount {
    pub id: String,
    pub connection: String,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub created_at: Option<String>,
}

#[derive(Deserialize)]
pub struct AccountList {
    pub accounts: Vec<ConnectedAccount>,
}

#[derive(Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
}
