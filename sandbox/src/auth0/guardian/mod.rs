//! The Auth0 Guardian stand-in: a phone-friendly page at `/guardian` where
//! the signed-in approver answers their own pending CIBA requests.
//!
//! Signing in reuses the IdP's login form and SSO session; other users'
//! requests are never shown, and answering one is refused like a missing one.
//! A user without an enrolled device enrols this one here, which makes the
//! page also the sandbox's MFA enrolment page (`auth0.guardianEnrollmentUrl`).

mod details;
pub mod enrolments;
mod from_this_page;
mod page;

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use super::Auth0;
use super::ciba::admin::state_name;
use super::ciba::{DecideError, Decision};
use super::pages::login::LoginPage;
use super::sso;
use super::store::{LoginRequest, PENDING_LOGIN_TTL};
use crate::web::html::{escape, html, page as plain_page};
pub use enrolments::GuardianEnrolments;
use from_this_page::FromThisPage;
use page::GuardianPage;

pub const PATH: &str = "/guardian";

#[derive(Deserialize)]
pub struct PageParams {
    done: Option<String>,
}

/// `GET /guardian`: the sign-in form, or the signed-in user's requests.
pub async fn show(
    State(auth0): State<Arc<Auth0>>,
    jar: CookieJar,
    params: Result<Query<PageParams>, QueryRejection>,
) -> Response {
    let Some(session) = sso::current(&auth0, &jar) else {
        let request_id = auth0
            .store
            .pending_logins
            .insert(LoginRequest::Guardian, PENDING_LOGIN_TTL);
        let login = LoginPage {
            request_id: &request_id,
            connection_name: &auth0.config.connection_name,
            sso_user: None,
            error: None,
            email: "",
            intro: Some(super::pages::login::GUARDIAN_INTRO),
        };
        return html(StatusCode::OK, login.render());
    };
    let status = match params.ok().and_then(|Query(p)| p.done).as_deref() {
        Some("approved") => Some("Approved. Custodian will carry on."),
        Some("denied") => Some("Denied. Nothing will be done."),
        Some("enrolled") => Some("Enrolled. Approval requests will appear here."),
        _ => None,
    };
    let requests = auth0.store.ciba.pending_for(session.user.sub);
    let page = GuardianPage {
        user: session.user,
        requests: &requests,
        status,
        enrolled: auth0.store.guardian.is_enrolled(session.user.sub),
    };
    html(StatusCode::OK, page.render())
}

/// `POST /guardian/{handle}/approve` and `POST /guardian/{handle}/deny`
pub async fn decide(
    _: FromThisPage,
    State(auth0): State<Arc<Auth0>>,
    jar: CookieJar,
    Path((handle, decision)): Path<(String, Decision)>,
) -> Response {
    answer(&auth0, &jar, &handle, decision)
}

/// `POST /guardian/enrol`: enrols this phone for the signed-in user.
pub async fn enrol(_: FromThisPage, State(auth0): State<Arc<Auth0>>, jar: CookieJar) -> Response {
    let Some(session) = sso::current(&auth0, &jar) else {
        return back_to_page(None);
    };
    auth0.store.guardian.set(session.user.sub, true);
    tracing::info!(sub = session.user.sub, "Guardian device enrolled");
    back_to_page(Some("enrolled"))
}

/// `POST /guardian/sign-out`: ends the IdP session, back to the sign-in form.
pub async fn sign_out(
    _: FromThisPage,
    State(auth0): State<Arc<Auth0>>,
    jar: CookieJar,
) -> Response {
    (sso::end(&auth0, jar), back_to_page(None)).into_response()
}

fn answer(auth0: &Auth0, jar: &CookieJar, handle: &str, decision: Decision) -> Response {
    let Some(session) = sso::current(auth0, jar) else {
        return back_to_page(None);
    };
    // The approver is the signed-in user, and only their own requests count.
    match auth0
        .store
        .ciba
        .decide(handle, decision, Some(session.user.sub), Some(session.user))
    {
        Ok(()) => {
            tracing::info!(sub = session.user.sub, ?decision, "CIBA request answered");
            back_to_page(Some(state_name(decision)))
        }
        Err(DecideError::NotFound) => {
            refused(StatusCode::NOT_FOUND, "There is no such request for you.")
        }
        Err(DecideError::NotPending) => refused(
            StatusCode::CONFLICT,
            "This request was already answered or has expired.",
        ),
    }
}

fn back_to_page(done: Option<&str>) -> Response {
    let location = match done {
        Some(done) => format!("{PATH}?done={done}"),
        None => PATH.to_owned(),
    };
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

pub(super) fn refused(status: StatusCode, message: &str) -> Response {
    let title = "Request not answered";
    let body = format!(
        "<h1>{title}</h1>\n<p class=\"alert\" role=\"alert\">{}</p>\n<p><a href=\"{PATH}\">Back to the approval requests</a></p>",
        escape(message)
    );
    html(status, plain_page(title, &body))
}
