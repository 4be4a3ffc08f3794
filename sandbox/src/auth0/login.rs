//! `POST /authorize/login`: checks the credentials, then redirects back to
//! the client with a code, or to the approval page.

use std::sync::Arc;

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use chrono::Utc;
use serde::Deserialize;
use url::Url;

use super::Auth0;
use super::pages::login::LoginPage;
use super::pages::message;
use super::sso;
use super::store::{CODE_TTL, CodeGrant, LoginRequest, PendingLogin};
use super::users::{DemoUser, authenticate};
use crate::web::html::html;

#[derive(Deserialize)]
pub struct LoginForm {
    request_id: String,
    email: Option<String>,
    password: Option<String>,
    /// Present when the user clicked "Continue as …" for their SSO session.
    continue_as: Option<String>,
}

pub async fn login(
    State(auth0): State<Arc<Auth0>>,
    jar: CookieJar,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return message::error(StatusCode::BAD_REQUEST, "The sign-in form is malformed.");
    };
    let expired = || {
        message::error(
            StatusCode::BAD_REQUEST,
            "This sign-in request has expired or was already used. Start again from Custodian.",
        )
    };
    if auth0.store.pending_logins.get(&form.request_id).is_none() {
        return expired();
    }
    let signed_in = if form.continue_as.is_some() {
        sso::current(&auth0, &jar).map(|session| (session.user, session.auth_time))
    } else {
        let (email, password) = (form.email.as_deref(), form.password.as_deref());
        authenticate(email.unwrap_or_default(), password.unwrap_or_default())
            .map(|user| (user, Utc::now()))
    };
    let Some((user, auth_time)) = signed_in else {
        let error = if form.continue_as.is_some() {
            "Your sandbox session has ended. Sign in again."
        } else {
            "Wrong email or password."
        };
        return retry(&auth0, &jar, &form, error);
    };
    // A pending request completes exactly once.
    let location = match auth0.store.pending_logins.take(&form.request_id) {
        None => return expired(),
        Some(LoginRequest::Guardian) => {
            tracing::info!(sub = user.sub, "user signed in to the approval page");
            crate::auth0::guardian::PATH.to_owned()
        }
        Some(LoginRequest::Authorize(login)) => {
            let Ok(location) = callback_url(&login, &issue_code(&auth0, &login, user, auth_time))
            else {
                return message::error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "The client's redirect URI is not a valid URL.",
                );
            };
            tracing::info!(client_id = %login.client_id, sub = user.sub, "user signed in");
            location
        }
    };
    let jar = sso::start(&auth0, jar, user, auth_time);
    (jar, (StatusCode::FOUND, [(header::LOCATION, location)])).into_response()
}

/// The login page again, with the error announced to assistive technology.
fn retry(auth0: &Auth0, jar: &CookieJar, form: &LoginForm, error: &str) -> Response {
    tracing::info!("sign-in attempt failed");
    let for_guardian = matches!(
        auth0.store.pending_logins.get(&form.request_id),
        Some(LoginRequest::Guardian)
    );
    let page = LoginPage {
        request_id: &form.request_id,
        connection_name: &auth0.config.connection_name,
        sso_user: sso::current(auth0, jar).map(|session| session.user),
        error: Some(error),
        email: form.email.as_deref().unwrap_or_default(),
        intro: for_guardian.then_some(super::pages::login::GUARDIAN_INTRO),
    };
    html(StatusCode::UNAUTHORIZED, page.render())
}

fn issue_code(
    auth0: &Auth0,
    login: &PendingLogin,
    user: &'static DemoUser,
    auth_time: chrono::DateTime<Utc>,
) -> String {
    let grant = CodeGrant {
        login: login.clone(),
        user,
        auth_time,
    };
    auth0.store.codes.insert(grant, CODE_TTL)
}

fn callback_url(login: &PendingLogin, code: &str) -> Result<String, url::ParseError> {
    let mut url = Url::parse(&login.redirect_uri)?;
    {
        let mut query = url.query_pairs_mut();
        query.append_pair("code", code);
        if let Some(state) = &login.state {
            query.append_pair("state", state);
        }
    }
    Ok(url.into())
}
