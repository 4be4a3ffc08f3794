//! `GET /api/v2/users-by-email?email=…` ("Search Users by Email",
//! https://auth0.com/docs/api/management/v2/users-by-email/get-users-by-email):
//! a JSON array of the users with exactly that email, possibly empty, for a
//! token with `read:users`.
//!
//! The match is exact and case-sensitive: "The search looks for an exact
//! match to the provided email address and is case-sensitive"
//! (https://auth0.com/docs/manage-users/user-search/retrieve-users-with-get-users-by-email-endpoint).
//! Auth0 stores the emails of its own database users lowercased and those of
//! federated users as their IdP sends them; the demo users' are lowercase, so
//! a caller must search with the lowercase address, as against a real tenant.
//! `fields` and `include_fields` are accepted and ignored: every field is
//! returned.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::access_token;
use super::error::ManagementError;
use crate::auth0::Auth0;
use crate::auth0::users::{DemoUser, demo_users};
use crate::faults::ManagementFault;

/// The scope this endpoint requires.
const SCOPE: &str = "read:users";

/// What the schema says of `email`, quoted in validation errors.
const EMAIL_DESCRIPTION: &str = "Email address to search for (case-sensitive).";

/// Fixed profile times: the demo users were created before the demo.
const CREATED_AT: &str = "2026-01-05T09:00:00.000Z";
const UPDATED_AT: &str = "2026-01-05T09:00:00.000Z";

#[derive(Deserialize)]
pub struct Search {
    email: Option<String>,
}

/// Faults first, then the token, then the query: Auth0 authenticates a
/// request before it validates the query string.
pub async fn users_by_email(
    State(auth0): State<Arc<Auth0>>,
    headers: HeaderMap,
    query: Result<Query<Search>, QueryRejection>,
) -> Response {
    match search(&auth0, &headers, query) {
        Ok(users) => ([(header::CACHE_CONTROL, "no-store")], Json(users)).into_response(),
        Err(err) => {
            tracing::info!(status = err.status().as_u16(), "users-by-email refused");
            err.into_response()
        }
    }
}

fn search(
    auth0: &Auth0,
    headers: &HeaderMap,
    query: Result<Query<Search>, QueryRejection>,
) -> Result<Vec<Value>, ManagementError> {
    match auth0.faults.take_management() {
        Some(ManagementFault::RateLimit { reset_in_seconds }) => {
            let seconds = i64::try_from(reset_in_seconds).unwrap_or(i64::MAX);
            return Err(ManagementError::too_many_requests(seconds));
        }
        Some(ManagementFault::Down) => return Err(ManagementError::unavailable()),
        None => {}
    }
    access_token::authorize(auth0, headers, SCOPE)?;
    let email = required_email(query)?;
    Ok(demo_users()
        .iter()
        .filter(|user| user.email == email)
        .map(user_json)
        .collect())
}

/// `email` is required and may not be empty. The messages follow the form
/// of Auth0's schema errors, "'<problem>' on property <name> (<description>)"
/// (as quoted in auth0/docs issue "Wrong Documentation for requires_username").
fn required_email(query: Result<Query<Search>, QueryRejection>) -> Result<String, ManagementError> {
    let problem = match query {
        Ok(Query(Search { email: Some(email) })) if !email.is_empty() => return Ok(email),
        Ok(Query(Search { email: Some(_) })) => "String is too short (0 chars), minimum 1",
        Ok(Query(Search { email: None })) => "Missing required property: email",
        Err(_) => "Invalid query string",
    };
    Err(ManagementError::invalid_query(&format!(
        "'{problem}' on property email ({EMAIL_DESCRIPTION})."
    )))
}

/// The user as the endpoint returns users: the fields of Auth0's user
/// object the sandbox knows, with the one identity behind the Auth0 id
/// (`{provider}|{connection}|{id at the provider}`).
fn user_json(user: &DemoUser) -> Value {
    let mut parts = user.sub.splitn(3, '|');
    let (provider, connection, provider_id) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    json!({
        "user_id": user.sub,
        "email": user.email,
        "email_verified": true,
        "name": user.name,
        "nickname": user.email.split('@').next().unwrap_or(user.email),
        "identities": [{
            "connection": connection,
            "provider": provider,
            "user_id": provider_id,
            "isSocial": false,
        }],
        "created_at": CREATED_AT,
        "updated_at": UPDATED_AT,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_carries_the_identity_behind_its_id() {
        let admin = &demo_users()[0];
        let user = user_json(admin);
        assert_eq!(user["user_id"], admin.sub);
        assert_eq!(user["email"], admin.email);
        assert_eq!(
            user["identities"],
            json!([{
                "connection": "Okta-OIDC", "provider": "oidc",
                "user_id": "00uadmin0001", "isSocial": false,
            }])
        );
    }

    #[test]
    fn email_is_required_and_not_empty() {
        let search = |email: Option<&str>| {
            Ok(Query(Search {
                email: email.map(str::to_owned),
            }))
        };
        assert_eq!(required_email(search(Some("a@b.c"))).unwrap(), "a@b.c");
        for missing in [None, Some("")] {
            let err = required_email(search(missing)).unwrap_err();
            assert_eq!(err.status().as_u16(), 400);
        }
    }
}
