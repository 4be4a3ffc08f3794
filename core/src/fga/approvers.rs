//! Who may grant a permission for a while: the users FGA names `approver`
//! of the permission's object, read with ListUsers (OpenFGA API,
//! "ListUsers": `POST /stores/{store_id}/list-users`), so a denial can say
//! whom to ask.

use serde::Deserialize;
use serde_json::json;

use super::{FgaClient, Permission};

/// The relation naming who may grant an object's permissions.
pub const APPROVER: &str = "approver";

#[derive(Deserialize)]
struct ListUsersResponse {
    users: Vec<ListedUser>,
}

/// One of `object`, `userset` or `wildcard`; only whole users are named.
#[derive(Deserialize)]
struct ListedUser {
    object: Option<FgaObject>,
}

#[derive(Deserialize)]
struct FgaObject {
    #[serde(rename = "type")]
    kind: String,
    id: String,
}

impl FgaClient {
    /// The emails of the users who may grant `permission`, sorted. Empty
    /// when FGA names no one or does not answer: the denial then says to
    /// ask an FGA administrator, and the reason is logged.
    pub async fn approvers(&self, permission: Permission) -> Vec<String> {
        let Some((kind, id)) = permission.object().split_once(':') else {
            return Vec::new();
        };
        let body = json!({
            "authorization_model_id": self.settings.model_id,
            "object": { "type": kind, "id": id },
            "relation": APPROVER,
            "user_filters": [{ "type": "user" }],
            "context": Self::context(),
        });
        match self.call::<ListUsersResponse>("list-users", &body).await {
            Ok(listed) => {
                let mut emails: Vec<String> = listed
                    .users
                    .into_iter()
                    .filter_map(|user| user.object)
                    .filter(|object| object.kind == "user")
                    .map(|object| object.id)
                    .collect();
                emails.sort();
                emails.dedup();
                emails
            }
            Err(problem) => {
                tracing::warn!(%problem, relation = APPROVER, "FGA could not list approvers");
                Vec::new()
            }
        }
    }
}
