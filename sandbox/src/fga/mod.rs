//! The Auth0 FGA (OpenFGA API) stand-in, under `/fga`: a client-credentials
//! token endpoint, `check`, `write`, `read`, `list-objects` and `list-users`
//! on one store (https://openfga.dev/api/service), evaluating
//! `config/fga/model.fga` for real, conditions included, plus an admin page
//! for the tuples.

mod admin;
mod admin_page;
mod api;
mod auth;
mod check;
mod condition_types;
mod conditions;
mod error;
mod list_objects;
mod list_users;
mod model;
#[cfg(test)]
mod model_tests;
mod models;
mod read;
mod tuples;
mod validate;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::config::SandboxConfig;
use crate::faults::Faults;
use crate::shared::ttl_map::TtlMap;
use error::FgaError;
use model::Model;
use tuples::TupleStore;

pub struct Fga {
    config: Arc<SandboxConfig>,
    model: Model,
    tuples: TupleStore,
    /// Live API tokens from the client-credentials endpoint.
    tokens: TtlMap<()>,
    faults: Arc<Faults>,
    /// Check requests received.
    checks: AtomicU64,
}

impl Fga {
    pub fn new(config: Arc<SandboxConfig>, faults: Arc<Faults>) -> Self {
        Self {
            config,
            model: Model::custodian(),
            tuples: TupleStore::seeded(),
            tokens: TtlMap::default(),
            faults,
            checks: AtomicU64::new(0),
        }
    }

    /// `request` names the API call in validation messages, as OpenFGA's
    /// do (`invalid CheckRequest.StoreId: ...`).
    fn check_store(&self, request: &str, store: &str) -> Result<(), FgaError> {
        if !validate::is_well_formed_id(store) {
            return Err(FgaError::pattern_mismatch(request, "StoreId"));
        }
        if store == self.config.fga.store_id {
            Ok(())
        } else {
            Err(FgaError::store_not_found())
        }
    }

    /// No model id means the latest model, which is the only one.
    fn check_model(&self, request: &str, model_id: Option<&str>) -> Result<(), FgaError> {
        match model_id {
            None | Some("") => Ok(()),
            Some(id) if !validate::is_well_formed_id(id) => {
                Err(FgaError::pattern_mismatch(request, "AuthorizationModelId"))
            }
            Some(id) if id != self.config.fga.model_id => Err(FgaError::model_not_found(id)),
            Some(_) => Ok(()),
        }
    }
}

pub fn router(fga: Arc<Fga>) -> Router {
    let api = Router::new()
        .route("/stores/{store}/check", post(api::check))
        .route("/stores/{store}/write", post(api::write))
        .route("/stores/{store}/read", post(read::read))
        .route(
            "/stores/{store}/list-objects",
            post(list_objects::list_objects),
        )
        .route("/stores/{store}/list-users", post(list_users::list_users))
        .route(
            "/stores/{store}/authorization-models/{id}",
            get(models::read),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            fga.clone(),
            auth::guard,
        ));
    let fga_root = Router::new()
        .merge(api)
        .route("/oauth/token", post(auth::token))
        .route("/admin", get(admin::page))
        .route("/admin/add", post(admin::add))
        .route("/admin/delete", post(admin::delete));
    Router::new()
        .nest("/fga", fga_root)
        .route("/__sandbox/fga/checks", get(checks))
        .with_state(fga)
}

/// `GET /__sandbox/fga/checks` → `{"count": n}`.
async fn checks(State(fga): State<Arc<Fga>>) -> Json<Value> {
    Json(json!({ "count": fga.checks.load(Ordering::Relaxed) }))
}
