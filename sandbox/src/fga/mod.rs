//! The Auth0 FGA (OpenFGA API) stand-in, under `/fga`: a client-credentials
//! token endpoint, `check`, `write` and `read` on one store, evaluating
//! `config/fga/model.fga` for real, plus an admin page for the tuples.

mod admin;
mod admin_page;
mod api;
mod auth;
mod check;
mod error;
mod model;
#[cfg(test)]
mod model_tests;
mod models;
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
use crate::ttl_map::TtlMap;
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

    fn check_store(&self, store: &str) -> Result<(), FgaError> {
        if store == self.config.fga.store_id {
            Ok(())
        } else {
            Err(FgaError::store_not_found())
        }
    }

    /// No model id means the latest model, which is the only one.
    fn check_model(&self, model_id: Option<&str>) -> Result<(), FgaError> {
        match model_id {
            Some(id) if !id.is_empty() && id != self.config.fga.model_id => {
                Err(FgaError::model_not_found(id))
            }
            _ => Ok(()),
        }
    }
}

pub fn router(fga: Arc<Fga>) -> Router {
    let api = Router::new()
        .route("/fga/stores/{store}/check", post(api::check))
        .route("/fga/stores/{store}/write", post(api::write))
        .route("/fga/stores/{store}/read", post(api::read))
        .route(
            "/fga/stores/{store}/authorization-models/{id}",
            get(models::read),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            fga.clone(),
            auth::guard,
        ));
    Router::new()
        .merge(api)
        .route("/fga/oauth/token", post(auth::token))
        .route("/fga/admin", get(admin::page))
        .route("/fga/admin/add", post(admin::add))
        .route("/fga/admin/delete", post(admin::delete))
        .route("/__sandbox/fga/checks", get(checks))
        .with_state(fga)
}

/// `GET /__sandbox/fga/checks` → `{"count": n}`.
async fn checks(State(fga): State<Arc<Fga>>) -> Json<Value> {
    Json(json!({ "count": fga.checks.load(Ordering::Relaxed) }))
}
