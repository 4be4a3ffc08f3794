//! `GET /okta/api/v1/users/{idOrLogin}`: the user object as Okta documents
//! it (Users API, "User object"; the SDK parses it as `UserGetSingleton`).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::Okta;
use super::directory::{OktaUser, find_user};
use super::error::OktaError;
use super::status::UserStatus;

/// Demo records were all created at the same, fixed moment.
pub const CREATED: &str = "2024-01-15T09:00:00.000Z";
const USER_TYPE: &str = "oty1sandbox0default0";
const USER_SCHEMA: &str = "osc1sandbox0default0";

/// Axum has already percent-decoded the path, so `bob%2Bit%40example.com`
/// (what the SDK's `encodeURIComponent` sends) and `bob+it@example.com` both
/// name the same login; a path `+` is a plus, never a space.
pub async fn get_user(
    State(okta): State<Arc<Okta>>,
    Path(id_or_login): Path<String>,
) -> Result<Json<Value>, OktaError> {
    let user = find_user(&id_or_login).ok_or_else(|| OktaError::user_not_found(&id_or_login))?;
    Ok(Json(user_json(&okta, user)))
}

fn user_json(okta: &Okta, user: &OktaUser) -> Value {
    let current = okta.lifecycle.current(user);
    json!({
        "id": user.id,
        "status": current.status,
        "created": CREATED,
        "activated": CREATED,
        "statusChanged": current.changed.as_deref().unwrap_or(CREATED),
        "lastLogin": user.last_login,
        "lastUpdated": current.changed.as_deref().unwrap_or(CREATED),
        "passwordChanged": CREATED,
        "type": { "id": USER_TYPE },
        "profile": {
            "firstName": user.first_name,
            "lastName": user.last_name,
            "mobilePhone": null,
            "secondEmail": null,
            "login": user.login,
            "email": user.login,
        },
        "credentials": {
            "password": {},
            "provider": { "type": "OKTA", "name": "OKTA" },
        },
        "_links": links(okta, user, current.status),
    })
}

/// `self`, `type` and `schema`, plus the operations the status allows
/// (Users API, "Links object"; the SDK's `UserLinks` of `HrefObject`s).
fn links(okta: &Okta, user: &OktaUser, status: UserStatus) -> Value {
    let me = okta.api_url(&format!("users/{}", user.id));
    // The spec's `HrefObject` says the verb in `hints.allow`.
    let post =
        |path: &str| json!({ "href": format!("{me}/{path}"), "hints": { "allow": ["POST"] } });
    let mut links = json!({
        "self": { "href": me },
        "type": { "href": okta.api_url(&format!("meta/types/user/{USER_TYPE}")) },
        "schema": { "href": okta.api_url(&format!("meta/schemas/user/{USER_SCHEMA}")) },
    });
    let operations: &[(&str, &str)] = match status {
        UserStatus::Active => &[
            ("suspend", "lifecycle/suspend"),
            ("resetPassword", "lifecycle/reset_password"),
            ("expirePassword", "lifecycle/expire_password"),
            ("forgotPassword", "credentials/forgot_password"),
            (
                "changeRecoveryQuestion",
                "credentials/change_recovery_question",
            ),
            ("changePassword", "credentials/change_password"),
            ("deactivate", "lifecycle/deactivate"),
        ],
        UserStatus::Recovery => &[
            ("resetPassword", "lifecycle/reset_password"),
            ("expirePassword", "lifecycle/expire_password"),
            ("deactivate", "lifecycle/deactivate"),
        ],
        UserStatus::Suspended => &[
            ("unsuspend", "lifecycle/unsuspend"),
            ("deactivate", "lifecycle/deactivate"),
        ],
        UserStatus::Deprovisioned => &[("activate", "lifecycle/activate")],
    };
    for (name, path) in operations {
        links[*name] = post(path);
    }
    links
}
