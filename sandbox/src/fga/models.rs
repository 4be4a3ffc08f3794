//! `GET /stores/{store}/authorization-models/{id}` (OpenFGA
//! ReadAuthorizationModel): the model in OpenFGA's JSON form, where every
//! relation of Custodian's model is a direct one (`this`) with its
//! directly related user types in the metadata.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Map, Value, json};

use super::Fga;
use super::error::FgaError;
use super::model::{DirectType, Model};

pub async fn read(
    State(fga): State<Arc<Fga>>,
    Path((store, model_id)): Path<(String, String)>,
) -> Result<Json<Value>, FgaError> {
    const REQUEST: &str = "ReadAuthorizationModelRequest";
    fga.check_store(REQUEST, &store)?;
    fga.check_model(REQUEST, Some(&model_id))?;
    Ok(Json(json!({
        "authorization_model": {
            "id": model_id,
            "schema_version": "1.1",
            "type_definitions": type_definitions(&fga.model),
            "conditions": {},
        }
    })))
}

fn type_definitions(model: &Model) -> Vec<Value> {
    model
        .types
        .iter()
        .map(|(name, definition)| {
            let mut relations = Map::new();
            let mut metadata = Map::new();
            for (relation, types) in &definition.relations {
                relations.insert(relation.clone(), json!({ "this": {} }));
                let related: Vec<Value> = types.iter().map(related_type).collect();
                metadata.insert(
                    relation.clone(),
                    json!({ "directly_related_user_types": related }),
                );
            }
            let mut definition = json!({ "type": name, "relations": relations });
            if !metadata.is_empty() {
                definition["metadata"] = json!({ "relations": metadata });
            }
            definition
        })
        .collect()
}

fn related_type(direct: &DirectType) -> Value {
    match direct {
        DirectType::Type(name) => json!({ "type": name }),
        DirectType::Userset {
            object_type,
            relation,
        } => json!({ "type": object_type, "relation": relation }),
    }
}
