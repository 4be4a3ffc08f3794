use axum::response::Response;
use http::StatusCode;

use crate::error_page;

pub async fn not_found() -> Response {
    let mut response = error_page::page(
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is nothing at this address.",
    );
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}
