//! The OpenFGA API subset: `POST /fga/stores/{store}/check`, `/write`, `/read`.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use chrono::SecondsFormat;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Fga;
use super::check::{self, CheckError};
use super::error::FgaError;
use super::tuples::{Filter, WriteError};
use super::validate::TupleKey;

#[derive(Deserialize)]
pub struct CheckRequest {
    tuple_key: TupleKey,
    authorization_model_id: Option<String>,
}

#[derive(Deserialize)]
pub struct WriteRequest {
    writes: Option<TupleKeys>,
    deletes: Option<TupleKeys>,
    authorization_model_id: Option<String>,
}

#[derive(Deserialize)]
struct TupleKeys {
    tuple_keys: Vec<TupleKey>,
}

#[derive(Deserialize)]
pub struct ReadRequest {
    tuple_key: Option<PartialTupleKey>,
}

#[derive(Deserialize)]
struct PartialTupleKey {
    user: Option<String>,
    relation: Option<String>,
    object: Option<String>,
}

pub async fn check(
    State(fga): State<Arc<Fga>>,
    Path(store): Path<String>,
    body: Result<Json<CheckRequest>, JsonRejection>,
) -> Result<Json<Value>, FgaError> {
    let request = parse(body)?;
    fga.check_store(&store)?;
    fga.check_model(request.authorization_model_id.as_deref())?;
    let tuples = fga.tuples.keys();
    let allowed = check::check(&fga.model, &tuples, &request.tuple_key).map_err(|e| match e {
        CheckError::Invalid(message) => FgaError::validation(message),
        CheckError::TooDeep => FgaError::too_complex(),
    })?;
    tracing::info!(
        relation = request.tuple_key.relation,
        object = request.tuple_key.object,
        allowed,
        "FGA check"
    );
    Ok(Json(json!({ "allowed": allowed, "resolution": "" })))
}

pub async fn write(
    State(fga): State<Arc<Fga>>,
    Path(store): Path<String>,
    body: Result<Json<WriteRequest>, JsonRejection>,
) -> Result<Json<Value>, FgaError> {
    let request = parse(body)?;
    fga.check_store(&store)?;
    fga.check_model(request.authorization_model_id.as_deref())?;
    let writes = request.writes.map(|w| w.tuple_keys).unwrap_or_default();
    let deletes = request.deletes.map(|d| d.tuple_keys).unwrap_or_default();
    if writes.is_empty() && deletes.is_empty() {
        return Err(FgaError::validation(
            "invalid WriteRequest: at least one of writes or deletes must be given",
        ));
    }
    fga.tuples
        .write(&fga.model, &writes, &deletes)
        .map_err(|e| match e {
            WriteError::Invalid(message) => FgaError::validation(message),
            WriteError::Conflict(message) => FgaError::write_failed(message),
        })?;
    tracing::info!(
        written = writes.len(),
        deleted = deletes.len(),
        "FGA tuples changed"
    );
    Ok(Json(json!({})))
}

pub async fn read(
    State(fga): State<Arc<Fga>>,
    Path(store): Path<String>,
    body: Result<Json<ReadRequest>, JsonRejection>,
) -> Result<Json<Value>, FgaError> {
    let request = parse(body)?;
    fga.check_store(&store)?;
    let filter = request
        .tuple_key
        .map(|k| Filter {
            user: k.user.filter(|u| !u.is_empty()),
            relation: k.relation.filter(|r| !r.is_empty()),
            object: k.object.filter(|o| !o.is_empty()),
        })
        .unwrap_or_default();
    let tuples: Vec<Value> = fga
        .tuples
        .read(&filter)
        .into_iter()
        .map(|t| {
            json!({
                "key": t.key,
                "timestamp": t.timestamp.to_rfc3339_opts(SecondsFormat::Millis, true),
            })
        })
        .collect();
    Ok(Json(json!({ "tuples": tuples, "continuation_token": "" })))
}

fn parse<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, FgaError> {
    body.map(|Json(request)| request)
        .map_err(|rejection| FgaError::validation(rejection.body_text()))
}
