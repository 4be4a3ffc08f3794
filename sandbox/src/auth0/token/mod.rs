//! `POST /oauth/token`: authenticates the client, then dispatches on the grant type.

mod authorization_code;
mod ciba_grant;
pub(super) mod client_auth;
mod client_credentials;
pub(super) mod error;
mod federated_connection;
mod refresh_token;
mod response;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::Auth0;
use error::OAuthError;

/// The union of every supported grant's form fields.
#[derive(Deserialize)]
pub struct TokenForm {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    scope: Option<String>,
    audience: Option<String>,
    subject_token_type: Option<String>,
    subject_token: Option<String>,
    requested_token_type: Option<String>,
    connection: Option<String>,
    auth_req_id: Option<String>,
}

/// Takes form-encoded or JSON parameters, as Auth0 does.
pub async fn token(State(auth0): State<Arc<Auth0>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(form) = crate::web::form_or_json::parse::<TokenForm>(&headers, &body) else {
        return OAuthError::invalid_request(
            "Expected an application/x-www-form-urlencoded or application/json body.",
        )
        .into_response();
    };
    let client = client_auth::authenticate(
        &auth0.config,
        &headers,
        form.client_id.as_deref(),
        form.client_secret.as_deref(),
    );
    if let Err(err) = client {
        return err.into_response();
    }
    let result = match form.grant_type.as_deref() {
        Some("authorization_code") => authorization_code::exchange(&auth0, &form)
            .await
            .map(IntoResponse::into_response),
        Some("refresh_token") => refresh_token::exchange(&auth0, &form)
            .await
            .map(IntoResponse::into_response),
        Some(ciba_grant::GRANT_TYPE) => ciba_grant::exchange(&auth0, &form)
            .await
            .map(IntoResponse::into_response),
        Some(client_credentials::GRANT_TYPE) => {
            client_credentials::exchange(&auth0, &form).map(IntoResponse::into_response)
        }
        Some(federated_connection::GRANT_TYPE) => {
            federated_connection::exchange(&auth0, &form).map(IntoResponse::into_response)
        }
        Some(_) => Err(OAuthError::unsupported_grant_type()),
        None => Err(OAuthError::invalid_request("grant_type is required.")),
    };
    match result {
        Ok(response) => response,
        Err(err) => {
            tracing::info!(error = err.error(), "token request refused");
            err.into_response()
        }
    }
}
