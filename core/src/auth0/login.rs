//! The authorization-code flow with PKCE against the configured issuer,
//! through the `openidconnect` crate, which validates the ID token's
//! issuer, audience, signature, expiry and nonce (OpenID Connect Core
//! 3.1.3.7); `claims_policy` adds the steps the crate leaves to clients, and
//! the accepted signing algorithms come from settings, never from the
//! provider's discovery document.

use chrono::Utc;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreIdTokenClaims, CoreIdTokenVerifier,
    CoreJsonWebKeySet, CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl,
    Nonce, NonceVerifier, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RequestTokenError, Scope, SignatureVerificationError, TokenResponse,
};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::OnceCell;
use url::Url;

use super::claims_policy;
use super::signing_keys::SigningKeys;
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

/// Why a sign-in did not complete. Messages are shown to the user: they say
/// what went wrong, and whose fault it is, without echoing tokens or
/// provider internals.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("the sign-in service could not be reached")]
    Unreachable,
    #[error("the sign-in service refused the sign-in ({0})")]
    Refused(String),
    /// The provider answered, and Custodian could not read the answer: a
    /// fault (or a missing feature) on Custodian's side, not a refusal.
    #[error("Custodian could not read the sign-in service's answer")]
    Unreadable,
    #[error("the sign-in service sent no ID token")]
    MissingIdToken,
    #[error("the ID token was rejected: {0}")]
    InvalidIdToken(&'static str),
    #[error("the ID token carries no email address")]
    MissingEmail,
    #[error("the sign-in service has not verified this account's email address")]
    UnverifiedEmail,
}

/// What discovery tells once: the provider's metadata, and its signing keys
/// (which may change later).
struct Provider {
    metadata: CoreProviderMetadata,
    keys: SigningKeys,
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
    algorithms: Vec<CoreJwsSigningAlgorithm>,
    require_verified_email: bool,
    http: reqwest::Client,
    provider: OnceCell<Provider>,
}

type DiscoveredClient = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

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
            algorithms: signing_algorithms(&settings.id_token_algorithms),
            require_verified_email: settings.require_verified_email,
            http,
            provider: OnceCell::new(),
        })
    }

    async fn provider(&self) -> Result<&Provider, LoginError> {
        self.provider
            .get_or_try_init(|| async {
                let metadata =
                    CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
                        .await
                        .map_err(|error| {
                            tracing::warn!(error = %error, "OpenID discovery failed");
                            LoginError::Unreachable
                        })?;
                let keys = SigningKeys::new(metadata.jwks().clone());
                Ok(Provider { metadata, keys })
            })
            .await
    }

    async fn client(&self) -> Result<DiscoveredClient, LoginError> {
        let metadata = self.provider().await?.metadata.clone();
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
        let nonce = Nonce::new(nonce.expose_secret().to_owned());
        let claims = self.verified_claims(id_token, &nonce).await?;
        let user = self.session_user(claims)?;

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

    /// Validates the ID token a CIBA approval returned (signature, issuer,
    /// audience, expiry, issue time, authorized party; CIBA tokens carry no
    /// nonce) and returns its `sub`.
    pub async fn verify_ciba_id_token(
        &self,
        id_token: &SecretString,
    ) -> Result<String, LoginError> {
        let token: CoreIdToken = id_token
            .expose_secret()
            .parse()
            .map_err(|_| LoginError::InvalidIdToken("it is not a well-formed ID token"))?;
        let no_nonce = |_: Option<&Nonce>| Ok::<(), String>(());
        let claims = self.verified_claims(&token, no_nonce).await?;
        Ok(claims.subject().to_string())
    }

    /// Signature and claims checks; a key id we do not hold yet makes us
    /// fetch the provider's keys again (once) before refusing.
    async fn verified_claims<'t, N>(
        &self,
        token: &'t CoreIdToken,
        nonce: N,
    ) -> Result<&'t CoreIdTokenClaims, LoginError>
    where
        N: NonceVerifier + Copy,
    {
        let provider = self.provider().await?;
        let verified = match token.claims(&self.verifier(provider.keys.current()), nonce) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                let keys = provider
                    .keys
                    .refetch(provider.metadata.jwks_uri(), &self.http)
                    .await;
                token.claims(&self.verifier(keys), nonce)
            }
            other => other,
        };
        let claims = verified.map_err(claims_error)?;
        claims_policy::check(claims, &self.client_id, Utc::now())
            .map_err(|violation| LoginError::InvalidIdToken(violation.reason()))?;
        Ok(claims)
    }

    fn verifier(&self, keys: std::sync::Arc<CoreJsonWebKeySet>) -> CoreIdTokenVerifier<'static> {
        CoreIdTokenVerifier::new_confidential_client(
            self.client_id.clone(),
            ClientSecret::new(self.client_secret.expose_secret().to_owned()),
            self.issuer.clone(),
            (*keys).clone(),
        )
        .set_allowed_algs(self.algorithms.iter().cloned())
    }

    fn session_user(&self, claims: &CoreIdTokenClaims) -> Result<SessionUser, LoginError> {
        let email = claims
            .email()
            .map(|e| e.to_string())
            .ok_or(LoginError::MissingEmail)?;
        if self.require_verified_email && claims.email_verified() != Some(true) {
            return Err(LoginError::UnverifiedEmail);
        }
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
}

/// Settings hold names the settings loader has checked against RFC 7518.
fn signing_algorithms(names: &[String]) -> Vec<CoreJwsSigningAlgorithm> {
    names
        .iter()
        .filter_map(|name| serde_json::from_value(serde_json::Value::from(name.as_str())).ok())
        .collect()
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
        RequestTokenError::Parse(error, _body) => {
            // The path and the kind of mismatch only: the body holds tokens.
            tracing::error!(
                field = %error.path(),
                kind = ?error.inner().classify(),
                "could not read the token response"
            );
            LoginError::Unreadable
        }
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
        ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::DisallowedAlg(_),
        ) => "it is signed with an algorithm Custodian does not accept",
        ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        ) => "it is signed with a key the sign-in service does not publish",
        ClaimsVerificationError::SignatureVerification(_) => "its signature is invalid",
        _ => "it failed validation",
    })
}
