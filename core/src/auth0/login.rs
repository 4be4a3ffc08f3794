//! The authorization-code flow with PKCE against the configured issuer,
//! through the `openidconnect` crate, which validates the ID token as OpenID
//! Connect Core 3.1.3.7 asks (issuer, audience, signature, expiry, nonce).

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdTokenClaims, CoreProviderMetadata,
};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl,
    Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RequestTokenError, Scope, TokenResponse,
};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::OnceCell;
use url::Url;

use crate::session::SessionTokens;
use crate::settings::Auth0Settings;
use crate::store::SessionUser;
use crate::time::now_unix;

const SCOPES: [&str; 3] = ["profile", "email", "offline_access"];

/// Where to send the browser, plus what the callback needs to finish.
/// Every field is a per-attempt secret: keep it server-side.
pub struct AuthorizationRequest {
    pub url: Url,
    pub state: SecretString,
    pub nonce: SecretString,
    pub pkce_verifier: SecretString,
}

/// The outcome of a successful callback.
pub struct VerifiedLogin {
    pub user: SessionUser,
    pub issuer: String,
    pub scopes: Vec<String>,
    pub tokens: SessionTokens,
    pub access_token_expires_at: i64,
}

/// Why a sign-in was refused. Messages are shown to the user: they say what
/// went wrong without echoing tokens or provider internals.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("the sign-in service could not be reached")]
    Unreachable,
    #[error("the sign-in service refused the sign-in: {0}")]
    Refused(String),
    #[error("the sign-in service sent no ID token")]
    MissingIdToken,
    #[error("the ID token was rejected: {0}")]
    InvalidIdToken(&'static str),
    #[error("the ID token carries no email address")]
    MissingEmail,
}

/// The OpenID Connect relying party. Discovery runs once, on first use, so a
/// sign-in service that is down at start-up does not stop the BFF.
pub struct OidcLogin {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: SecretString,
    redirect_uri: RedirectUrl,
    connection: String,
    audience: Option<String>,
    http: reqwest::Client,
    metadata: OnceCell<CoreProviderMetadata>,
}

impl OidcLogin {
    /// `redirect_uri` is the BFF's public `/callback` URL.
    pub fn new(settings: &Auth0Settings, redirect_uri: &Url) -> Result<Self, LoginError> {
        let http = reqwest::Client::builder()
            // Following redirects from the token endpoint is an SSRF vector.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|_| LoginError::Unreachable)?;
        Ok(Self {
            issuer: IssuerUrl::from_url(settings.issuer().clone()),
            client_id: ClientId::new(settings.client_id.clone()),
            client_secret: settings.client_secret.clone(),
            redirect_uri: RedirectUrl::from_url(redirect_uri.clone()),
            connection: settings.connection_name.clone(),
            audience: settings.audience.clone(),
            http,
            metadata: OnceCell::new(),
        })
    }

    async fn metadata(&self) -> Result<&CoreProviderMetadata, LoginError> {
        self.metadata
            .get_or_try_init(|| async {
                CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
                    .await
                    .map_err(|error| {
                        tracing::warn!(error = %error, "OpenID discovery failed");
                        LoginError::Unreachable
                    })
            })
            .await
    }

    async fn client(
        &self,
    ) -> Result<
        openidconnect::core::CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        LoginError,
    > {
        let metadata = self.metadata().await?.clone();
        Ok(CoreClient::from_provider_metadata(
            metadata,
            self.client_id.clone(),
            Some(ClientSecret::new(
                self.client_secret.expose_secret().to_owned(),
            )),
        )
        .set_redirect_uri(self.redirect_uri.clone()))
    }

    /// Starts a sign-in: a fresh state, nonce and PKCE (S256) verifier.
    pub async fn authorization_request(&self) -> Result<AuthorizationRequest, LoginError> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge)
            .add_extra_param("connection", self.connection.clone());
        for scope in SCOPES {
            request = request.add_scope(Scope::new(scope.to_owned()));
        }
        if let Some(audience) = &self.audience {
            request = request.add_extra_param("audience", audience.clone());
        }
        let (url, state, nonce) = request.url();
        Ok(AuthorizationRequest {
            url,
            state: SecretString::from(state.secret().to_owned()),
            nonce: SecretString::from(nonce.secret().to_owned()),
            pkce_verifier: SecretString::from(verifier.secret().to_owned()),
        })
    }

    /// Exchanges the code and validates the ID token against the nonce that
    /// was sent with this attempt.
    pub async fn finish(
        &self,
        code: &str,
        nonce: &SecretString,
        pkce_verifier: &SecretString,
    ) -> Result<VerifiedLogin, LoginError> {
        let client = self.client().await?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|_| LoginError::Unreachable)?
            .set_pkce_verifier(PkceCodeVerifier::new(
                pkce_verifier.expose_secret().to_owned(),
            ))
            .request_async(&self.http)
            .await
            .map_err(token_error)?;

        let id_token = response.id_token().ok_or(LoginError::MissingIdToken)?;
        let verifier = client.id_token_verifier();
        let nonce = Nonce::new(nonce.expose_secret().to_owned());
        let claims = id_token.claims(&verifier, &nonce).map_err(claims_error)?;
        let user = session_user(claims)?;

        let expires_in = response
            .expires_in()
            .map(|d| d.as_secs() as i64)
            .unwrap_or(3600);
        let scopes = response
            .scopes()
            .map(|s| s.iter().map(|s| s.to_string()).collect())
            .unwrap_or_else(|| {
                std::iter::once("openid")
                    .chain(SCOPES)
                    .map(str::to_owned)
                    .collect()
            });
        Ok(VerifiedLogin {
            user,
            issuer: claims.issuer().to_string(),
            scopes,
            tokens: SessionTokens {
                access_token: SecretString::from(response.access_token().secret().to_owned()),
                refresh_token: response
                    .refresh_token()
                    .map(|t| SecretString::from(t.secret().to_owned())),
                id_token: SecretString::from(id_token.to_string()),
            },
            access_token_expires_at: now_unix() + expires_in,
        })
    }
}

impl OidcLogin {
    /// Validates the ID token a CIBA approval returned (signature, issuer,
    /// audience, expiry; CIBA tokens carry no nonce) and returns its `sub`.
    pub async fn verify_ciba_id_token(
        &self,
        id_token: &SecretString,
    ) -> Result<String, LoginError> {
        let client = self.client().await?;
        let token: openidconnect::core::CoreIdToken = id_token
            .expose_secret()
            .parse()
            .map_err(|_| LoginError::InvalidIdToken("it is not a well-formed ID token"))?;
        let verifier = client.id_token_verifier();
        let claims = token
            .claims(&verifier, |_: Option<&Nonce>| Ok::<(), String>(()))
            .map_err(claims_error)?;
        Ok(claims.subject().to_string())
    }
}

fn session_user(claims: &CoreIdTokenClaims) -> Result<SessionUser, LoginError> {
    let email = claims
        .email()
        .map(|e| e.to_string())
        .ok_or(LoginError::MissingEmail)?;
    let name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.to_string())
        .unwrap_or_else(|| email.clone());
    Ok(SessionUser {
        sub: claims.subject().to_string(),
        email,
        name,
    })
}

fn token_error<E: std::error::Error + 'static>(
    error: RequestTokenError<
        E,
        openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    >,
) -> LoginError {
    match error {
        RequestTokenError::ServerResponse(response) => {
            LoginError::Refused(response.error().to_string())
        }
        RequestTokenError::Parse(..) => LoginError::Refused("unreadable token response".into()),
        other => {
            tracing::warn!(error = %other, "token endpoint request failed");
            LoginError::Unreachable
        }
    }
}

fn claims_error(error: ClaimsVerificationError) -> LoginError {
    LoginError::InvalidIdToken(match error {
        ClaimsVerificationError::Expired(_) => "it has expired",
        ClaimsVerificationError::InvalidAudience(_) => "it was issued for another application",
        ClaimsVerificationError::InvalidIssuer(_) => "it was issued by an unexpected issuer",
        ClaimsVerificationError::InvalidNonce(_) => "it belongs to another sign-in attempt",
        ClaimsVerificationError::SignatureVerification(_) => "its signature is invalid",
        _ => "it failed validation",
    })
}
