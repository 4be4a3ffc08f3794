//! Time-limited grants: a permission written as a conditional tuple that
//! FGA honours only while the query's `current_time` is before its
//! `valid_until` (the model's `not_expired` condition; OpenFGA
//! "Conditions"). The grant lapses on its own, with nothing to clean up
//! for correctness; revoking one early deletes the tuple.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{FgaClient, Permission, Problem};

/// The model's condition on time-limited grants.
pub const NOT_EXPIRED: &str = "not_expired";

/// Why a grant was not written or removed; the text is for the log and
/// for the person who asked (it names no token).
#[derive(Debug, thiserror::Error)]
#[error("Auth0 FGA did not record the change: {0}")]
pub struct GrantError(String);

/// OpenFGA answers a write with an empty object.
#[derive(Deserialize)]
struct Written {}

/// OpenFGA's `/read` answer: the tuples matching the key.
#[derive(Deserialize)]
struct ReadResponse {
    tuples: Vec<ReadTuple>,
}

#[derive(Deserialize)]
struct ReadTuple {
    key: ReadKey,
}

#[derive(Deserialize)]
struct ReadKey {
    #[serde(default)]
    relation: String,
    #[serde(default)]
    object: String,
    condition: Option<Value>,
}

/// A time-limited grant in force: what it allows and when it lapses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveGrant {
    pub permission: Permission,
    pub valid_until: DateTime<Utc>,
}

/// What granting found and did.
#[derive(Debug, PartialEq, Eq)]
pub enum Granted {
    /// The time-limited grant is written.
    Until,
    /// The user already holds the permission without a time limit, which
    /// is left as it is.
    Standing,
}

impl FgaClient {
    /// Gives `email` `permission` until `valid_until`. An earlier
    /// time-limited grant of the same permission (lapsed or not) is
    /// replaced, since FGA keeps one tuple per user, relation and object.
    pub async fn grant_until(
        &self,
        email: &str,
        permission: Permission,
        valid_until: DateTime<Utc>,
    ) -> Result<Granted, GrantError> {
        match self.existing_grant(email, permission).await? {
            Some(None) => return Ok(Granted::Standing),
            Some(Some(_)) => self.revoke_grant(email, permission).await?,
            None => {}
        }
        let mut tuple = tuple_key(email, permission);
        tuple["condition"] = json!({
            "name": NOT_EXPIRED,
            "context": {
                "valid_until": valid_until.to_rfc3339_opts(SecondsFormat::Secs, true),
            },
        });
        self.write(json!({ "writes": { "tuple_keys": [tuple] } }))
            .await
            .map(|()| Granted::Until)
    }

    /// The stored tuple giving `email` `permission`, if any, with its
    /// condition (`None` for a standing grant).
    async fn existing_grant(
        &self,
        email: &str,
        permission: Permission,
    ) -> Result<Option<Option<Value>>, GrantError> {
        let body = json!({ "tuple_key": tuple_key(email, permission), "page_size": 1 });
        let read = self.read_tuples(&body).await?;
        Ok(read
            .tuples
            .into_iter()
            .next()
            .map(|tuple| tuple.key.condition))
    }

    /// The time-limited grants `email` holds now, soonest to lapse first.
    /// Standing grants are not listed: they are FGA's to manage.
    pub async fn active_grants(&self, email: &str) -> Result<Vec<ActiveGrant>, GrantError> {
        let now = Utc::now();
        let body = json!({
            "tuple_key": { "user": format!("user:{email}"), "object": "okta:" },
            "page_size": 50,
        });
        let read = self.read_tuples(&body).await?;
        let mut grants: Vec<ActiveGrant> = read
            .tuples
            .into_iter()
            .filter_map(|tuple| active_grant(tuple.key))
            .filter(|grant| grant.valid_until > now)
            .collect();
        grants.sort_by_key(|grant| grant.valid_until);
        Ok(grants)
    }

    /// Ends `email`'s time-limited grant of `permission` now; a standing
    /// grant is left alone. Whether there was one to end.
    pub async fn end_grant(&self, email: &str, permission: Permission) -> Result<bool, GrantError> {
        match self.existing_grant(email, permission).await? {
            Some(Some(_)) => self.revoke_grant(email, permission).await.map(|()| true),
            _ => Ok(false),
        }
    }

    /// Ends `email`'s grant of `permission` now, whatever its expiry.
    pub async fn revoke_grant(
        &self,
        email: &str,
        permission: Permission,
    ) -> Result<(), GrantError> {
        let tuple = tuple_key(email, permission);
        self.write(json!({ "deletes": { "tuple_keys": [tuple] } }))
            .await
    }

    async fn read_tuples(&self, body: &Value) -> Result<ReadResponse, GrantError> {
        self.call("read", body)
            .await
            .map_err(|problem: Problem| GrantError(problem.to_string()))
    }

    async fn write(&self, mut body: Value) -> Result<(), GrantError> {
        body["authorization_model_id"] = json!(self.settings.model_id);
        self.call::<Written>("write", &body)
            .await
            .map(|_| ())
            .map_err(|problem: Problem| GrantError(problem.to_string()))
    }
}

fn tuple_key(email: &str, permission: Permission) -> Value {
    json!({
        "user": format!("user:{email}"),
        "relation": permission.relation(),
        "object": permission.object(),
    })
}

/// A stored tuple as a time-limited grant, when it is one of ours.
fn active_grant(key: ReadKey) -> Option<ActiveGrant> {
    let permission = Permission::grantable(&key.relation)?;
    let condition = key.condition?;
    if key.object != permission.object() || condition["name"] != NOT_EXPIRED {
        return None;
    }
    let until = condition["context"]["valid_until"].as_str()?;
    let valid_until = DateTime::parse_from_rfc3339(until)
        .ok()?
        .with_timezone(&Utc);
    Some(ActiveGrant {
        permission,
        valid_until,
    })
}
