//! Leptos server functions, run with the application state in context.

use app::ssr::{AppState, provide_request_context};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::IntoResponse;

pub async fn handle(State(state): State<AppState>, request: Request<Body>) -> impl IntoResponse {
    leptos_axum::handle_server_fns_with_context(move || provide_request_context(&state), request)
        .await
}
