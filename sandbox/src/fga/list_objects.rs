//! OpenFGA's `POST /stores/{store}/list-objects`: every object of a type
//! the user has a relation with, evaluated like a check (direct grants,
//! usersets, contextual tuples, conditions with the request's context)
//! (https://openfga.dev/api/service#/Relationship%20Queries/ListObjects).

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Fga;
use super::api::{ContextualTuples, check_error, parse, with_contextual};
use super::check::{self, Query};
use super::conditions::Context;
use super::error::FgaError;
use super::validate::{self, TupleKey, split_object};

#[derive(Deserialize)]
pub struct ListObjectsRequest {
    authorization_model_id: Option<String>,
    #[serde(rename = "type")]
    object_type: String,
    relation: String,
    user: String,
    contextual_tuples: Option<ContextualTuples>,
    context: Option<Context>,
}

pub async fn list_objects(
    State(fga): State<Arc<Fga>>,
    Path(store): Path<String>,
    body: Result<Json<ListObjectsRequest>, JsonRejection>,
) -> Result<Json<Value>, FgaError> {
    let request = parse(body)?;
    fga.check_store("ListObjectsRequest", &store)?;
    fga.check_model(
        "ListObjectsRequest",
        request.authorization_model_id.as_deref(),
    )?;
    let contextual = request.contextual_tuples.unwrap_or_default().tuple_keys;
    let tuples = with_contextual(&fga, contextual)?;
    // Only objects named in some tuple can be reached: the model has no
    // rewrites that grant without one.
    let candidates: BTreeSet<&str> = tuples
        .iter()
        .map(|t| t.object.as_str())
        .filter(|o| split_object(o).is_some_and(|(t, _)| t == request.object_type))
        .collect();
    // The type, relation and user must be valid even with no candidates.
    let any_object = format!("{}:*", request.object_type);
    validate::check_request(
        &fga.model,
        &TupleKey::new(&request.user, &request.relation, &any_object),
    )
    .map_err(FgaError::validation)?;
    let query = Query {
        model: &fga.model,
        tuples: &tuples,
        context: &request.context.unwrap_or_default(),
    };
    let mut objects = Vec::new();
    for object in candidates {
        let key = TupleKey::new(&request.user, &request.relation, object);
        if check::check(&query, &key).map_err(check_error)? {
            objects.push(object.to_owned());
        }
    }
    tracing::info!(
        relation = request.relation,
        found = objects.len(),
        "FGA list objects"
    );
    Ok(Json(json!({ "objects": objects })))
}
