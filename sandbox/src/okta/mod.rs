//! The Okta management API stand-in, under `/okta`: users, their groups and
//! password resets, for the demo org in [`directory`]. It accepts only the
//! access tokens the sandbox's Token Vault exchange minted.

mod directory;
mod error;
mod groups;
mod guard;
mod limits;
mod reset;
mod status;
mod users;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::auth0::token_vault::VaultTokens;
use crate::faults::Faults;
use reset::Resets;

pub struct Okta {
    /// The sandbox root, for links in answers.
    public_url: String,
    vault: Arc<VaultTokens>,
    faults: Arc<Faults>,
    resets: Resets,
    lifecycle: status::Lifecycle,
    window: limits::Window,
}

impl Okta {
    pub fn new(public_url: &str, vault: Arc<VaultTokens>, faults: Arc<Faults>) -> Self {
        Self {
            public_url: public_url.to_owned(),
            vault,
            faults,
            resets: Resets::default(),
            lifecycle: status::Lifecycle::default(),
            window: limits::Window::default(),
        }
    }

    fn api_url(&self, path: &str) -> String {
        format!("{}/okta/api/v1/{path}", self.public_url)
    }
}

pub fn router(okta: Arc<Okta>) -> Router {
    let api = Router::new()
        .route("/users/{id_or_login}", get(users::get_user))
        .route("/users/{id}/groups", get(groups::list_groups))
        .route(
            "/users/{id}/lifecycle/reset_password",
            post(reset::reset_password),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            okta.clone(),
            guard::guard,
        ))
        // Outermost, so refusals of bad tokens are counted and report the
        // window too, as Okta's do.
        .route_layer(axum::middleware::from_fn_with_state(
            okta.clone(),
            limits::rate_limit,
        ));
    Router::new()
        .nest("/okta/api/v1", api)
        .route("/okta/reset/{link}", get(reset::reset_page))
        .route("/__sandbox/okta/resets", get(reset::list))
        .with_state(okta)
}
