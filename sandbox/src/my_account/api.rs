//! The four Connected Accounts endpoints.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::pending::{CONNECT_TTL, PendingConnect};
use super::problem::Problem;
use super::{CONNECT_PAGE, MyAccount};
use crate::auth0::pkce;
use crate::auth0::users::DemoUser;

/// `POST /connect`'s body (auth0-server-python `ConnectAccountRequest`).
#[derive(Deserialize)]
pub struct ConnectRequest {
    connection: Option<String>,
    redirect_uri: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    scopes: Option<Vec<String>>,
}

/// `POST /complete`'s body (`CompleteConnectAccountRequest`).
#[derive(Deserialize)]
pub struct CompleteRequest {
    auth_session: Option<String>,
    connect_code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
}

pub async fn connect(
    State(my): State<Arc<MyAccount>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let user = authorize(&my, &headers, "create:me:connected_accounts")?;
    let request: ConnectRequest = parse(&body)?;
    let connection = required("connection", request.connection)?;
    let redirect_uri = required("redirect_uri", request.redirect_uri)?;
    if !my.auth0.config().redirect_uris.contains(&redirect_uri) {
        return Err(Problem::bad_request(
            "redirect_uri is not an allowed callback URL for this client.",
        ));
    }
    if connection != my.auth0.config().connection_name {
        return Err(Problem::not_found(
            "The connection does not exist or is not enabled for Connected Accounts.",
        ));
    }
    let code_challenge = required("code_challenge", request.code_challenge)?;
    if request.code_challenge_method.as_deref() != Some("S256")
        || !pkce::is_valid_challenge(&code_challenge)
    {
        return Err(Problem::validation(
            "code_challenge",
            "must be an S256 challenge with code_challenge_method S256",
        ));
    }
    let scopes = request.scopes.unwrap_or_else(|| {
        crate::auth0::OKTA_SCOPES
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    });
    let (auth_session, ticket) = my.pending.open(PendingConnect {
        user,
        connection,
        scopes,
        redirect_uri,
        state: request.state,
        code_challenge,
        connect_code: None,
    });
    tracing::info!(sub = user.sub, "connected-account request opened");
    let body = json!({
        "auth_session": auth_session,
        "connect_uri": my.auth0.endpoint(CONNECT_PAGE.trim_start_matches('/')),
        "connect_params": { "ticket": ticket },
        "expires_in": CONNECT_TTL.as_secs(),
    });
    Ok((StatusCode::CREATED, no_store(), Json(body)).into_response())
}

pub async fn complete(
    State(my): State<Arc<MyAccount>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let user = authorize(&my, &headers, "create:me:connected_accounts")?;
    let request: CompleteRequest = parse(&body)?;
    let auth_session = required("auth_session", request.auth_session)?;
    let connect_code = required("connect_code", request.connect_code)?;
    let redirect_uri = required("redirect_uri", request.redirect_uri)?;
    // Whatever the outcome, the session is used up.
    let pending = my
        .pending
        .take(&auth_session)
        .filter(|p| p.user.sub == user.sub)
        .ok_or_else(Problem::invalid_session)?;
    let code_ok = pending.connect_code.as_deref().is_some_and(|expected| {
        crate::shared::secrets::constant_time_eq(expected.as_bytes(), connect_code.as_bytes())
    });
    if !code_ok || pending.redirect_uri != redirect_uri {
        return Err(Problem::invalid_session());
    }
    let verifier = request.code_verifier.unwrap_or_default();
    if !pkce::verify(&verifier, &pending.code_challenge) {
        return Err(Problem::bad_request("Failed to verify code verifier."));
    }
    let account =
        my.auth0
            .vault()
            .accounts
            .connect(user, &pending.connection, pending.scopes.clone());
    tracing::info!(sub = user.sub, "account connected");
    Ok((StatusCode::CREATED, no_store(), Json(account)).into_response())
}

#[derive(Deserialize)]
pub struct ListQuery {
    connection: Option<String>,
}

pub async fn list(
    State(my): State<Arc<MyAccount>>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    let user = authorize(&my, &headers, "read:me:connected_accounts")?;
    let Query(query) = query.map_err(|_| Problem::bad_request("Malformed query string."))?;
    let accounts = my
        .auth0
        .vault()
        .accounts
        .list(user, query.connection.as_deref());
    // One page holds them all; `next` is absent on the last page.
    Ok((no_store(), Json(json!({ "accounts": accounts }))).into_response())
}

pub async fn remove(
    State(my): State<Arc<MyAccount>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let user = authorize(&my, &headers, "delete:me:connected_accounts")?;
    let vault = my.auth0.vault();
    vault
        .accounts
        .delete(user, &id)
        .ok_or_else(|| Problem::not_found("The connected account does not exist."))?;
    vault.revoke_user(user);
    tracing::info!(sub = user.sub, "account disconnected");
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The user behind a My Account token that carries `scope`.
fn authorize(
    my: &MyAccount,
    headers: &HeaderMap,
    scope: &str,
) -> Result<&'static DemoUser, Problem> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or_else(Problem::unauthorized)?;
    let (user, scopes) = my
        .auth0
        .my_account_grant(token)
        .ok_or_else(Problem::unauthorized)?;
    if !scopes.split_whitespace().any(|s| s == scope) {
        return Err(Problem::insufficient_scope(scope));
    }
    Ok(user)
}

fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, Problem> {
    serde_json::from_slice(body)
        .map_err(|_| Problem::validation("", "the body must be a JSON object"))
}

fn required(field: &str, value: Option<String>) -> Result<String, Problem> {
    value.filter(|v| !v.is_empty()).ok_or_else(|| {
        Problem::validation(
            field,
            &format!("data must have required property '{field}'"),
        )
    })
}

fn no_store() -> [(header::HeaderName, &'static str); 1] {
    [(header::CACHE_CONTROL, "no-store")]
}
