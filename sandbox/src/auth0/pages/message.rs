//! Plain message pages: errors that must not redirect, and "signed out".

use axum::http::StatusCode;
use axum::response::Response;

use crate::web::html::{escape, html, page};

/// An error shown to the user instead of redirecting to an unverified client.
pub fn error(status: StatusCode, message: &str) -> Response {
    message_page(status, "Sign-in request rejected", message)
}

pub fn signed_out() -> Response {
    message_page(
        StatusCode::OK,
        "You are signed out",
        "Your sandbox sign-in session has ended. You can close this page.",
    )
}

fn message_page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        "<h1>{}</h1>\n<p role=\"status\">{}</p>",
        escape(title),
        escape(message)
    );
    html(status, page(title, &body))
}
