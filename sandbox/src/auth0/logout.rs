//! `GET /v2/logout`: ends the IdP session, then returns to an allowed URL.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use super::Auth0;
use super::pages::message;
use super::sso;

#[derive(Deserialize)]
pub struct LogoutParams {
    #[serde(rename = "returnTo")]
    return_to: Option<String>,
}

pub async fn logout(
    State(auth0): State<Arc<Auth0>>,
    jar: CookieJar,
    params: Result<Query<LogoutParams>, QueryRejection>,
) -> (CookieJar, Response) {
    let jar = sso::end(&auth0, jar);
    let return_to = params.ok().and_then(|Query(p)| p.return_to);
    // Only listed URLs: anything else would make the IdP an open redirector.
    let response = match return_to {
        Some(url) if auth0.config.logout_urls.contains(&url) => {
            (StatusCode::FOUND, [(header::LOCATION, url)]).into_response()
        }
        _ => message::signed_out(),
    };
    (jar, response)
}
