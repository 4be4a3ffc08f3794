use app::ssr::AppState;
use axum::extract::State;
use axum::response::Response;
use http::StatusCode;

use crate::error_page;

pub async fn not_found(State(state): State<AppState>) -> Response {
    error_page::page(
        state.settings.app.path_prefix(),
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is nothing at this address.",
    )
}
