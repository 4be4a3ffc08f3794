//! OpenFGA's `POST /stores/{store}/check` and `/write`
//! (https://openfga.dev/api/service#/Relationship%20Queries/Check,
//! https://openfga.dev/api/service#/Relationship%20Tuples/Write).

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Fga;
use super::check::{self, CheckError, Query};
use super::conditions::Context;
use super::error::FgaError;
use super::tuples::{Conflicts, WriteError};
use super::validate::{self, TupleKey};

#[derive(Deserialize)]
pub struct CheckRequest {
    tuple_key: TupleKey,
    contextual_tuples: Option<ContextualTuples>,
    authorization_model_id: Option<String>,
    /// For conditions; merged under each conditional tuple's own context.
    context: Option<Context>,
}

/// Tuples that count for one query only, never stored.
#[derive(Deserialize, Default)]
pub struct ContextualTuples {
    #[serde(default)]
    pub tuple_keys: Vec<TupleKey>,
}

#[derive(Deserialize)]
pub struct WriteRequest {
    writes: Option<Writes>,
    deletes: Option<Deletes>,
    authorization_model_id: Option<String>,
}

#[derive(Deserialize)]
struct Writes {
    tuple_keys: Vec<TupleKey>,
    /// `"error"` (the default) or `"ignore"`.
    on_duplicate: Option<String>,
}

#[derive(Deserialize)]
struct Deletes {
    tuple_keys: Vec<TupleKey>,
    /// `"error"` (the default) or `"ignore"`.
    on_missing: Option<String>,
}

pub async fn check(
    State(fga): State<Arc<Fga>>,
    Path(store): Path<String>,
    body: Result<Json<CheckRequest>, JsonRejection>,
) -> Result<Json<Value>, FgaError> {
    let request = parse(body)?;
    fga.check_store("CheckRequest", &store)?;
    fga.check_model("CheckRequest", request.authorization_model_id.as_deref())?;
    let contextual = request.contextual_tuples.unwrap_or_default().tuple_keys;
    let tuples = with_contextual(&fga, contextual)?;
    let query = Query {
        model: &fga.model,
        tuples: &tuples,
        context: &request.context.unwrap_or_default(),
    };
    let allowed = check::check(&query, &request.tuple_key).map_err(check_error)?;
    tracing::info!(
        relation = request.tuple_key.relation,
        object = request.tuple_key.object,
        allowed,
        "FGA check"
    );
    Ok(Json(json!({ "allowed": allowed, "resolution": "" })))
}

/// The stored tuples plus a query's contextual ones, which must fit the
/// model like written ones.
pub fn with_contextual(fga: &Fga, contextual: Vec<TupleKey>) -> Result<Vec<TupleKey>, FgaError> {
    for key in &contextual {
        validate::tuple(&fga.model, key).map_err(FgaError::validation)?;
    }
    let mut tuples = fga.tuples.keys();
    tuples.extend(contextual);
    Ok(tuples)
}

pub fn check_error(error: CheckError) -> FgaError {
    match error {
        CheckError::Invalid(message) | CheckError::Condition(message) => {
            FgaError::validation(message)
        }
        CheckError::TooDeep => FgaError::too_complex(),
    }
}

pub async fn write(
    State(fga): State<Arc<Fga>>,
    Path(store): Path<String>,
    body: Result<Json<WriteRequest>, JsonRejection>,
) -> Result<Json<Value>, FgaError> {
    let request = parse(body)?;
    fga.check_store("WriteRequest", &store)?;
    fga.check_model("WriteRequest", request.authorization_model_id.as_deref())?;
    let conflicts = Conflicts {
        ignore_duplicates: ignores(
            request
                .writes
                .as_ref()
                .and_then(|w| w.on_duplicate.as_deref()),
            "OnDuplicate",
        )?,
        ignore_missing: ignores(
            request
                .deletes
                .as_ref()
                .and_then(|d| d.on_missing.as_deref()),
            "OnMissing",
        )?,
    };
    let writes = request.writes.map(|w| w.tuple_keys).unwrap_or_default();
    let deletes = request.deletes.map(|d| d.tuple_keys).unwrap_or_default();
    if writes.is_empty() && deletes.is_empty() {
        return Err(FgaError::validation(
            "invalid WriteRequest: at least one of writes or deletes must be given",
        ));
    }
    fga.tuples
        .write(&fga.model, &writes, &deletes, conflicts)
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

/// `on_duplicate` / `on_missing`: empty or `"error"` refuses, `"ignore"` skips.
fn ignores(value: Option<&str>, field: &str) -> Result<bool, FgaError> {
    match value.unwrap_or_default() {
        "" | "error" => Ok(false),
        "ignore" => Ok(true),
        other => Err(FgaError::validation(format!(
            "invalid WriteRequest.{field}: value must be one of \"error\" or \"ignore\", got \"{other}\""
        ))),
    }
}

pub fn parse<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, FgaError> {
    body.map(|Json(request)| request)
        .map_err(|rejection| FgaError::validation(rejection.body_text()))
}
