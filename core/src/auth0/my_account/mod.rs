//! Auth0's My Account API, Connected Accounts part: connecting the signed-in
//! administrator's Okta account for Token Vault, listing and disconnecting it
//! (Auth0 "Connected Accounts for Token Vault"). Calls go to
//! `https://{domain}/me/v1/connected-accounts/...` with an access token for
//! the `https://{domain}/me/` audience, which the session's refresh token
//! yields as a Multi-Resource Refresh Token (how auth0-server-python's
//! `start_connect_account` and nextjs-auth0's `connectAccount` get theirs).
//! The state and PKCE verifier are made as for sign-in (`openidconnect`).

mod error;
mod wire;

use std::time::Duration;

use openidconnect::{CsrfToken, PkceCodeChallenge};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

pub use error::MyAccountError;
pub use wire::ConnectedAccount;

use crate::outbound::CallCounter;
use crate::settings::Auth0Settings;
use wire::{AccountList, CompleteRequest, ConnectRequest, ConnectResponse, TokenResponse};

const TIMEOUT: Duration = Duration::from_secs(5);

/// What Custodian asks of the My Account API, and nothing more.
pub const MY_ACCOUNT_SCOPES: &str =
    "create:me:connected_accounts read:me:connected_accounts delete:me:connected_accounts";

/// The Okta scopes the connected account must grant: reading users and
/// groups, resetting passwords, and `offline_access` so Token Vault keeps a
/// refresh token.
pub const OKTA_SCOPES: [&str; 5] = [
    "openid",
    "offline_access",
    "okta.users.read",
    "okta.groups.read",
    "okta.users.manage",
];

/// A started connection: send the browser to `url`; keep the rest sealed
/// server-side until it comes back.
pub struct ConnectStart {
    pub url: Url,
    pub state: SecretString,
    pub auth_session: SecretString,
    pub pkce_verifier: SecretString,
}

pub struct MyAccount {
    http: reqwest::Client,
    /// `https://{domain}/me/`: the API's base and its audience.
    api: Url,
    token_url: Url,
    client_id: String,
    client_secret: SecretString,
    connection: String,
    calls: CallCounter,
}

impl MyAccount {
    pub fn new(settings: &Auth0Settings, calls: CallCounter) -> Self {
        let issuer = settings.issuer();
        Self {
            http: crate::outbound::client(TIMEOUT),
            api: issuer.join("me/").expect("the issuer is a base URL"),
            token_url: issuer
                .join("oauth/token")
                .expect("the issuer is a base URL"),
            client_id: settings.client_id.clone(),
            client_secret: settings.client_secret.clone(),
            connection: settings.connection_name.clone(),
            calls,
        }
    }

    /// An access token for the My Account API from the session's refresh
    /// token (`grant_type=refresh_token` with `audience` and `scope`).
    pub async fn access_token(
        &self,
        refresh_token: Option<&SecretString>,
    ) -> Result<SecretString, MyAccountError> {
        let refresh_token = refresh_token.ok_or(MyAccountError::NoRefreshToken)?;
        self.calls.record();
        let response = self
            .http
            .post(self.token_url.clone())
            .form(&[
                ("grant_type", "refresh_token"),
                ("client_id", &self.client_id),
                ("client_secret", self.client_secret.expose_secret()),
                ("refresh_token", refresh_token.expose_secret()),
                ("audience", self.api.as_str()),
                ("scope", MY_ACCOUNT_SCOPES),
            ])
            .send()
            .await
            .map_err(|_| MyAccountError::Unreachable)?;
        if !response.status().is_success() {
            return Err(error::token_refused(response).await);
        }
        let body: TokenResponse = response
            .json()
            .await
            .map_err(|_| MyAccountError::Unreadable)?;
        Ok(SecretString::from(body.access_token))
    }

    /// Asks Auth0 to connect the configured connection; `redirect_uri` is
    /// where the browser comes back with `connect_code` and `state`.
    pub async fn start(
        &self,
        token: &SecretString,
        redirect_uri: &Url,
    ) -> Result<ConnectStart, MyAccountError> {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let state = CsrfToken::new_random();
        let request = ConnectRequest {
            connection: &self.connection,
            redirect_uri: redirect_uri.as_str(),
            state: state.secret(),
            code_challenge: challenge.as_str(),
            code_challenge_method: "S256",
            scopes: &OKTA_SCOPES,
        };
        let response = self
            .call(self.http.post(self.url("connect")), token, Some(&request))
            .await?;
        let body: ConnectResponse = response
            .json()
            .await
            .map_err(|_| MyAccountError::Unreadable)?;
        let mut url = Url::parse(&body.connect_uri).map_err(|_| MyAccountError::Unreadable)?;
        url.query_pairs_mut()
            .append_pair("ticket", &body.connect_params.ticket);
        Ok(ConnectStart {
            url,
            state: SecretString::from(state.secret().to_owned()),
            auth_session: SecretString::from(body.auth_session),
            pkce_verifier: SecretString::from(verifier.secret().to_owned()),
        })
    }

    /// Finishes a connection with the code the browser brought back.
    pub async fn complete(
        &self,
        token: &SecretString,
        auth_session: &SecretString,
        connect_code: &str,
        redirect_uri: &Url,
        pkce_verifier: &SecretString,
    ) -> Result<ConnectedAccount, MyAccountError> {
        let request = CompleteRequest {
            auth_session: auth_session.expose_secret(),
            connect_code,
            redirect_uri: redirect_uri.as_str(),
            code_verifier: pkce_verifier.expose_secret(),
        };
        let response = self
            .call(self.http.post(self.url("complete")), token, Some(&request))
            .await?;
        response
            .json()
            .await
            .map_err(|_| MyAccountError::Unreadable)
    }

    /// The user's accounts at the configured connection (one page: a user
    /// has at most a few).
    pub async fn accounts(
        &self,
        token: &SecretString,
    ) -> Result<Vec<ConnectedAccount>, MyAccountError> {
        let get = self
            .http
            .get(self.url("accounts"))
            .query(&[("connection", self.connection.as_str())]);
        let response = self.call::<()>(get, token, None).await?;
        let body: AccountList = response
            .json()
            .await
            .map_err(|_| MyAccountError::Unreadable)?;
        Ok(body
            .accounts
            .into_iter()
            .filter(|a| a.connection == self.connection)
            .collect())
    }

    /// Disconnects every account at the configured connection; returns how
    /// many there were.
    pub async fn disconnect(&self, token: &SecretString) -> Result<usize, MyAccountError> {
        let accounts = self.accounts(token).await?;
        for account in &accounts {
            let mut url = self.url("accounts");
            url.path_segments_mut()
                .expect("an http URL")
                .push(&account.id);
            self.call::<()>(self.http.delete(url), token, None).await?;
        }
        Ok(accounts.len())
    }

    fn url(&self, tail: &str) -> Url {
        self.api
            .join(&format!("v1/connected-accounts/{tail}"))
            .expect("a relative path")
    }

    /// Sends a call with the token (and a JSON body); a refusal becomes an error.
    async fn call<B: serde::Serialize>(
        &self,
        request: reqwest::RequestBuilder,
        token: &SecretString,
        body: Option<&B>,
    ) -> Result<reqwest::Response, MyAccountError> {
        self.calls.record();
        let mut request = request.bearer_auth(token.expose_secret());
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|_| MyAccountError::Unreachable)?;
        if response.status().is_success() {
            Ok(response)
        } else {
            Err(error::refused(response).await)
        }
    }
}
