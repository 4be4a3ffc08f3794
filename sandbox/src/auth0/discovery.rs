//! OpenID Provider metadata (OpenID Connect Discovery §3) and the JWKS.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::Auth0;

#[derive(Serialize)]
struct ProviderMetadata {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    userinfo_endpoint: String,
    jwks_uri: String,
    end_session_endpoint: String,
    response_types_supported: &'static [&'static str],
    response_modes_supported: &'static [&'static str],
    subject_types_supported: &'static [&'static str],
    id_token_signing_alg_values_supported: &'static [&'static str],
    scopes_supported: &'static [&'static str],
    claims_supported: &'static [&'static str],
    code_challenge_methods_supported: &'static [&'static str],
    grant_types_supported: Vec<&'static str>,
    token_endpoint_auth_methods_supported: &'static [&'static str],
    #[serde(skip_serializing_if = "Option::is_none")]
    backchannel_authentication_endpoint: Option<String>,
    backchannel_token_delivery_modes_supported: &'static [&'static str],
    backchannel_user_code_parameter_supported: bool,
}

pub async fn openid_configuration(State(auth0): State<Arc<Auth0>>) -> Response {
    Json(ProviderMetadata {
        issuer: auth0.issuer.to_string(),
        authorization_endpoint: auth0.endpoint("authorize"),
        token_endpoint: auth0.endpoint("oauth/token"),
        userinfo_endpoint: auth0.endpoint("userinfo"),
        jwks_uri: auth0.endpoint(".well-known/jwks.json"),
        end_session_endpoint: auth0.endpoint("v2/logout"),
        response_types_supported: &["code"],
        response_modes_supported: &["query"],
        subject_types_supported: &["public"],
        // What an Auth0 tenant advertises; which one signs is per application.
        id_token_signing_alg_values_supported: &["HS256", "RS256", "PS256"],
        scopes_supported: &["openid", "profile", "email", "offline_access"],
        claims_supported: &[
            "aud",
            "auth_time",
            "created_at",
            "email",
            "email_verified",
            "exp",
            "family_name",
            "given_name",
            "iat",
            "identities",
            "iss",
            "name",
            "nickname",
            "phone_number",
            "picture",
            "sub",
        ],
        code_challenge_methods_supported: &["S256"],
        grant_types_supported: grant_types(auth0.config.ciba_advertised),
        token_endpoint_auth_methods_supported: &["client_secret_basic", "client_secret_post"],
        backchannel_authentication_endpoint: auth0
            .config
            .ciba_advertised
            .then(|| auth0.endpoint("bc-authorize")),
        backchannel_token_delivery_modes_supported: &["poll"],
        backchannel_user_code_parameter_supported: false,
    })
    .into_response()
}

fn grant_types(ciba: bool) -> Vec<&'static str> {
    let mut grants = vec![
        "authorization_code",
        "refresh_token",
        "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token",
        "client_credentials",
    ];
    if ciba {
        grants.insert(2, "urn:openid:params:grant-type:ciba");
    }
    grants
}

pub async fn jwks(State(auth0): State<Arc<Auth0>>) -> Response {
    Json(auth0.keys.jwks()).into_response()
}

/// `POST /__sandbox/keys/rotate`: a new signing key from now on, the old
/// one still published; answers the new `kid`.
pub async fn rotate_keys(State(auth0): State<Arc<Auth0>>) -> Response {
    match auth0.keys.rotate().await {
        Ok(kid) => Json(serde_json::json!({ "kid": kid })).into_response(),
        Err(error) => {
            tracing::error!(error = %error, "key rotation failed");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
