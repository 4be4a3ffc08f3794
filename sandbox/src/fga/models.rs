//! `GET /stores/{store}/authorization-models/{id}` (OpenFGA
//! ReadAuthorizationModel): the model in OpenFGA's JSON form, where every
//! relation of Custodian's model is a direct one (`this`) with its
//! directly related user types (and their conditions) in the metadata.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Map, Value, json};

use super::Fga;
use super::error::FgaError;
use super::model::{DirectType, Model, Subject};

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
            "conditions": conditions(&fga.model),
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
    let mut related = match &direct.subject {
        Subject::Type(name) => json!({ "type": name }),
        Subject::Userset {
            object_type,
            relation,
        } => json!({ "type": object_type, "relation": relation }),
    };
    if let Some(condition) = &direct.condition {
        related["condition"] = json!(condition);
    }
    related
}

fn conditions(model: &Model) -> Map<String, Value> {
    model
        .conditions
        .values()
        .map(|condition| {
            let parameters: Map<String, Value> = condition
                .parameters
                .iter()
                .map(|(name, param_type)| (name.clone(), param_type.to_json()))
                .collect();
            let json = json!({
                "name": condition.name,
                "expression": condition.expression,
                "parameters": parameters,
            });
            (condition.name.clone(), json)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_appear_as_openfga_writes_them() {
        let model = Model::custodian();
        assert_eq!(
            conditions(&model)["not_expired"],
            json!({
                "name": "not_expired",
                "expression": "current_time < valid_until",
                "parameters": {
                    "current_time": { "type_name": "TYPE_NAME_TIMESTAMP" },
                    "valid_until": { "type_name": "TYPE_NAME_TIMESTAMP" },
                },
            })
        );
        let okta = type_definitions(&model)
            .into_iter()
            .find(|t| t["type"] == "okta")
            .unwrap();
        assert_eq!(
            okta["metadata"]["relations"]["reset_password"]["directly_related_user_types"],
            json!([
                { "type": "user" },
                { "type": "user", "condition": "not_expired" },
                { "type": "group", "relation": "member" },
            ])
        );
    }
}
