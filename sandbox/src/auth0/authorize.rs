//! `GET /authorize`: validates the request and shows the login page. An
//! `audience` must name the tenant's API; the sign-in tokens stay the
//! client's own either way.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use super::Auth0;
use super::audience;
use super::pages::login::LoginPage;
use super::pages::message;
use super::pkce;
use super::sso;
use super::store::{LoginRequest, PENDING_LOGIN_TTL, PendingLogin};
use crate::web::html::html;

#[derive(Deserialize)]
pub struct AuthorizeParams {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    connection: Option<String>,
    audience: Option<String>,
}

pub async fn authorize(
    State(auth0): State<Arc<Auth0>>,
    jar: CookieJar,
    params: Result<Query<AuthorizeParams>, QueryRejection>,
) -> Response {
    let Ok(Query(params)) = params else {
        return message::error(
            StatusCode::BAD_REQUEST,
            "The request's parameters are malformed.",
        );
    };
    let login = match validate(&auth0, params) {
        Ok(login) => login,
        // Errors are shown here, never redirected: the client or its
        // redirect URI may not be genuine.
        Err(reason) => {
            tracing::info!(reason, "authorization request rejected");
            return message::error(StatusCode::BAD_REQUEST, reason);
        }
    };
    let request_id = auth0
        .store
        .pending_logins
        .insert(LoginRequest::Authorize(login), PENDING_LOGIN_TTL);
    let page = LoginPage {
        request_id: &request_id,
        connection_name: &auth0.config.connection_name,
        sso_user: sso::current(&auth0, &jar).map(|session| session.user),
        error: None,
        email: "",
        intro: None,
    };
    html(StatusCode::OK, page.render())
}

fn validate(auth0: &Auth0, params: AuthorizeParams) -> Result<PendingLogin, &'static str> {
    let config = &auth0.config;
    let client_id = params.client_id.ok_or("client_id is required.")?;
    if client_id != config.client_id {
        return Err("Unknown client_id.");
    }
    let redirect_uri = params.redirect_uri.ok_or("redirect_uri is required.")?;
    if !config.redirect_uris.contains(&redirect_uri) {
        return Err("redirect_uri is not an allowed callback URL for this client.");
    }
    if params.response_type.as_deref() != Some("code") {
        return Err("Only response_type=code is supported.");
    }
    let scope = params.scope.ok_or("scope is required.")?;
    if !scope.split_whitespace().any(|s| s == "openid") {
        return Err("scope must include openid.");
    }
    match params.code_challenge_method.as_deref() {
        Some("S256") => {}
        Some(_) => return Err("Only the S256 code_challenge_method is supported."),
        None => {
            return Err("PKCE is required: send code_challenge and code_challenge_method=S256.");
        }
    }
    let code_challenge = params.code_challenge.ok_or("code_challenge is required.")?;
    if !pkce::is_valid_challenge(&code_challenge) {
        return Err("code_challenge is not a base64url SHA-256 digest.");
    }
    if let Some(connection) = params.connection
        && connection != config.connection_name
    {
        return Err("Unknown connection.");
    }
    audience::resolve(config, params.audience.as_deref())
        .map_err(|_| "Service not found: the audience is not an API of this tenant.")?;
    Ok(PendingLogin {
        client_id,
        redirect_uri,
        scope,
        state: params.state,
        nonce: params.nonce,
        code_challenge,
    })
}
