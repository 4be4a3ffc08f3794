//! `GET /okta/api/v1/users/{idOrLogin}` and `GET /okta/api/v1/users/{id}/groups`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::Okta;
use super::directory::{OktaGroup, OktaUser, find_user, groups_of};
use super::error::OktaError;

/// Demo records were all created at the same, fixed moment.
const CREATED: &str = "2024-01-15T09:00:00.000Z";

pub async fn get_user(
    State(okta): State<Arc<Okta>>,
    Path(id_or_login): Path<String>,
) -> Result<Json<Value>, OktaError> {
    let user = find_user(&id_or_login).ok_or_else(OktaError::not_found)?;
    Ok(Json(user_json(&okta, user)))
}

pub async fn list_groups(
    State(okta): State<Arc<Okta>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, OktaError> {
    let user = find_user(&id).ok_or_else(OktaError::not_found)?;
    let groups: Vec<Value> = groups_of(user).map(|g| group_json(&okta, g)).collect();
    Ok(Json(Value::Array(groups)))
}

fn user_json(okta: &Okta, user: &OktaUser) -> Value {
    json!({
        "id": user.id,
        "status": "ACTIVE",
        "created": CREATED,
        "activated": CREATED,
        "statusChanged": CREATED,
        "lastUpdated": CREATED,
        "passwordChanged": CREATED,
        "type": { "id": "oty0sandbox" },
        "profile": {
            "login": user.login,
            "email": user.login,
            "firstName": user.first_name,
            "lastName": user.last_name,
        },
        "credentials": { "provider": { "type": "OKTA", "name": "OKTA" } },
        "_links": { "self": { "href": okta.api_url(&format!("users/{}", user.id)) } },
    })
}

fn group_json(okta: &Okta, group: &OktaGroup) -> Value {
    json!({
        "id": group.id,
        "created": CREATED,
        "lastUpdated": CREATED,
        "lastMembershipUpdated": CREATED,
        "objectClass": ["okta:user_group"],
        "type": "OKTA_GROUP",
        "profile": { "name": group.name, "description": group.description },
        "_links": { "self": { "href": okta.api_url(&format!("groups/{}", group.id)) } },
    })
}
