#![recursion_limit = "256"]
//! Custodian's backend-for-frontend: the axum application shared by the
//! local listener and the Lambda runtime.

mod client_address;
mod cookies;
mod device;
mod error_page;
mod middleware;
mod routes;
mod shutdown;
mod startup;

pub use shutdown::{serve, stop_signal};
pub use startup::{build_state, build_state_on, leptos_options};

use std::sync::Arc;
use std::time::Duration;

use app::shell;
use app::ssr::{AppState, provide_request_context};
use axum::Router;
use axum::routing::{get, post};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// The largest request body taken: a chat message at its 4,000-character
/// limit, percent-encoded, fits with room to spare; anything bigger is
/// refused with 413 before a handler reads it.
const MAX_REQUEST_BODY: usize = 64 * 1024;

/// How long a request may take to answer (a streamed body may go on).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(25);

/// The whole application. Behind an API Gateway stage the requests arrive
/// with the stage in the path (`/prod/login`); it is taken off before
/// routing, so the routes are the same in every deployment.
pub fn app(state: AppState) -> Router {
    serve_under_base_path(state, Compression::On)
}

/// The application under the Lambda runtime: the same, minus compression
/// (API Gateway's streaming mode refuses encoded responses).
pub fn lambda_app(state: AppState) -> Router {
    serve_under_base_path(state, Compression::Off)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Compression {
    On,
    Off,
}

fn serve_under_base_path(state: AppState, compression: Compression) -> Router {
    let prefix = state.settings.app.path_prefix().to_owned();
    let routes = routes(state, compression);
    if prefix.is_empty() {
        return routes;
    }
    Router::new().fallback_service(tower::ServiceExt::map_request(
        routes,
        move |request: axum::extract::Request| middleware::base_path::strip(request, &prefix),
    ))
}

fn routes(state: AppState, compression: Compression) -> Router {
    // Rendering spawns its work on Leptos' executor, which runs on tokio
    // here. Setting it twice (a second app in one process) changes nothing.
    let _ = any_spawner::Executor::init_tokio();
    let site_root = state.leptos_options.site_root.to_string();
    let page = {
        let context_state = state.clone();
        let shell_options = state.leptos_options.clone();
        // The page is sent whole, the chat's HTML in place rather than
        // swapped in by script, so it works before the WebAssembly loads
        // and without scripts at all.
        let render = leptos_axum::render_app_async_with_context(
            move || provide_request_context(&context_state),
            move || shell(shell_options.clone()),
        );
        let pages = Arc::new(routes::page::Pages::new(state.clone(), Arc::new(render)));
        move |request: axum::extract::Request| {
            let pages = Arc::clone(&pages);
            async move { pages.serve(request).await }
        }
    };

    // Static assets never depend on the session; locally they are
    // compressed here.
    let mut assets = Router::new()
        .nest_service("/pkg", ServeDir::new(format!("{site_root}/pkg")))
        .route_service(
            "/favicon.svg",
            tower_http::services::ServeFile::new(format!("{site_root}/favicon.svg")),
        );
    if compression == Compression::On {
        assets = assets.layer(CompressionLayer::new());
    }

    Router::new()
        .route("/login", get(routes::auth::login))
        .route("/callback", get(routes::auth::callback))
        .route("/logout", post(routes::auth::logout))
        .route("/messages", post(routes::composer_form::send))
        .route("/audit", get(routes::audit::page))
        .route("/audit/rows", get(routes::audit::rows))
        .route("/audit/export", get(routes::audit::export))
        .route("/access/request", post(routes::access::request))
        .route("/access/drop", post(routes::access::drop))
        .route("/access/end", post(routes::access::end))
        .route("/connect/okta", post(routes::connect::start))
        .route(
            "/connect/okta/disconnect",
            post(routes::connect::disconnect),
        )
        .route(
            "/api/{*fn_name}",
            get(routes::server_fns::handle).post(routes::server_fns::handle),
        )
        // The one page, for a new chat and for a stored conversation.
        .route("/", get(page.clone()))
        .route("/c/{id}", get(page))
        .merge(assets)
        .fallback(routes::not_found::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::session::resolve,
        ))
        // Added after the session layer, so a probe never reads the store
        // (a browser's cookie on it would otherwise cost a lookup).
        .route("/healthz", get(routes::health::health))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::same_origin::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::security_headers::apply,
        ))
        // A request the server could not finish in time is the server's
        // failure, not the client's: 504, never 408 (which invites a retry
        // of the same request).
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_REQUEST_BODY,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            http::StatusCode::GATEWAY_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(state)
}
