//! The connect page: where `connect_uri?ticket=` lands. In Auth0 it sends
//! the user on to the external provider's sign-in and consent; here the
//! sandbox's Okta asks for consent itself, then the browser returns to the
//! client's `redirect_uri` with `connect_code` and `state` (auth0-server-python
//! `complete_connect_account`). A refusal returns `error=access_denied` and
//! `state`, as an OAuth authorization error does (inferred: Auth0 does not
//! document the connect flow's error redirect).

use std::sync::Arc;

use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use url::Url;

use super::MyAccount;
use crate::web::html::{escape, html, page};
use crate::web::same_origin::is_same_origin;

pub const TITLE: &str = "Connect your Okta account (sandbox)";

#[derive(Deserialize)]
pub struct TicketParams {
    ticket: Option<String>,
}

/// `GET /connect?ticket=…`.
pub async fn show(
    State(my): State<Arc<MyAccount>>,
    params: Result<Query<TicketParams>, QueryRejection>,
) -> Response {
    let ticket = params
        .ok()
        .and_then(|Query(p)| p.ticket)
        .unwrap_or_default();
    let Some(pending) = my.pending.by_ticket(&ticket) else {
        return gone();
    };
    let scopes: String = pending
        .scopes
        .iter()
        .map(|s| format!("<li><code>{}</code></li>", escape(s)))
        .collect();
    let body = format!(
        "<h1>Connect your Okta account</h1>\n\
         <p class=\"note\">The sandbox's stand-in for Okta's consent during Auth0's Connected \
         Accounts flow. Signed in as <strong>{name}</strong> ({email}).</p>\n\
         <p>Custodian asks to use your Okta account at <strong>{connection}</strong> through \
         Auth0 Token Vault, with these scopes:</p>\n<ul>{scopes}</ul>\n\
         <form method=\"post\" action=\"/connect/allow\">\
         <input type=\"hidden\" name=\"ticket\" value=\"{ticket}\">\
         <button type=\"submit\">Allow</button></form>\n\
         <form method=\"post\" action=\"/connect/deny\">\
         <input type=\"hidden\" name=\"ticket\" value=\"{ticket}\">\
         <button type=\"submit\" class=\"secondary\">Deny</button></form>\n",
        name = escape(pending.user.name),
        email = escape(pending.user.email),
        connection = escape(&pending.connection),
        ticket = escape(&ticket),
    );
    html(StatusCode::OK, page(TITLE, &body))
}

#[derive(Deserialize)]
pub struct Decision {
    ticket: String,
}

pub async fn allow(
    state: State<Arc<MyAccount>>,
    headers: HeaderMap,
    form: Result<Form<Decision>, FormRejection>,
) -> Response {
    decide(state, headers, form, true)
}

pub async fn deny(
    state: State<Arc<MyAccount>>,
    headers: HeaderMap,
    form: Result<Form<Decision>, FormRejection>,
) -> Response {
    decide(state, headers, form, false)
}

fn decide(
    State(my): State<Arc<MyAccount>>,
    headers: HeaderMap,
    form: Result<Form<Decision>, FormRejection>,
    allow: bool,
) -> Response {
    if !is_same_origin(&headers) {
        return html(
            StatusCode::FORBIDDEN,
            page(
                TITLE,
                "<h1>Refused</h1><p>This form was posted from another site.</p>",
            ),
        );
    }
    let Some((pending, code)) = form
        .ok()
        .and_then(|Form(f)| my.pending.decide(&f.ticket, allow))
    else {
        return gone();
    };
    let Ok(mut target) = Url::parse(&pending.redirect_uri) else {
        return gone();
    };
    {
        let mut query = target.query_pairs_mut();
        match &code {
            Some(code) => query.append_pair("connect_code", code),
            None => query.append_pair("error", "access_denied").append_pair(
                "error_description",
                "The user did not allow the connection.",
            ),
        };
        if let Some(state) = &pending.state {
            query.append_pair("state", state);
        }
    }
    tracing::info!(
        sub = pending.user.sub,
        allowed = allow,
        "connect consent answered"
    );
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, target.to_string())],
    )
        .into_response()
}

fn gone() -> Response {
    html(
        StatusCode::BAD_REQUEST,
        page(
            TITLE,
            "<h1>This link has expired</h1><p>The connect request is unknown, used or expired. \
             Start again from Custodian.</p>",
        ),
    )
}
