//! OpenFGA's `POST /stores/{store}/list-users`: every user of the filter's
//! type with a relation on an object, expanding usersets such as
//! `group:helpdesk#member` and evaluating conditions with the request's
//! context
//! (https://openfga.dev/api/service#/Relationship%20Queries/ListUsers).
//! A condition that cannot be evaluated fails the whole request, as in
//! OpenFGA, whatever else was found.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Fga;
use super::api::{check_error, parse, with_contextual};
use super::check::{CheckError, MAX_DEPTH, Query, direct_tuples};
use super::conditions::{self, Context};
use super::error::FgaError;
use super::validate::{TupleKey, parse_user};

const REQUEST: &str = "ListUsersRequest";

#[derive(Deserialize)]
pub struct ListUsersRequest {
    authorization_model_id: Option<String>,
    object: FgaObject,
    relation: String,
    #[serde(default)]
    user_filters: Vec<UserFilter>,
    /// Unlike Check's, a plain list of tuple keys.
    #[serde(default)]
    contextual_tuples: Vec<TupleKey>,
    context: Option<Context>,
}

#[derive(Deserialize)]
struct FgaObject {
    #[serde(rename = "type")]
    object_type: String,
    id: String,
}

/// `{"type": "user"}` for users, `{"type": "group", "relation": "member"}`
/// for usersets.
#[derive(Deserialize)]
pub struct UserFilter {
    #[serde(rename = "type")]
    object_type: String,
    #[serde(default)]
    relation: String,
}

pub async fn list_users(
    State(fga): State<Arc<Fga>>,
    Path(store): Path<String>,
    body: Result<Json<ListUsersRequest>, JsonRejection>,
) -> Result<Json<Value>, FgaError> {
    let request = parse(body)?;
    fga.check_store(REQUEST, &store)?;
    fga.check_model(REQUEST, request.authorization_model_id.as_deref())?;
    let [filter] = request.user_filters.as_slice() else {
        return Err(FgaError::validation(format!(
            "invalid {REQUEST}.UserFilters: value must contain exactly 1 item(s)"
        )));
    };
    let tuples = with_contextual(&fga, request.contextual_tuples)?;
    validate(&fga, filter, &request.object.object_type, &request.relation)?;
    let query = Query {
        model: &fga.model,
        tuples: &tuples,
        context: &request.context.unwrap_or_default(),
    };
    let object = format!("{}:{}", request.object.object_type, request.object.id);
    let found = users(&query, &object, &request.relation, filter).map_err(check_error)?;
    tracing::info!(
        relation = request.relation,
        found = found.len(),
        "FGA list users"
    );
    let users: Vec<Value> = found.iter().map(|user| listed(user)).collect();
    Ok(Json(json!({ "users": users })))
}

/// The filter's type (and relation) and the queried relation exist, with
/// OpenFGA's `type_not_found` and `relation_not_found`.
fn validate(
    fga: &Fga,
    filter: &UserFilter,
    object_type: &str,
    relation: &str,
) -> Result<(), FgaError> {
    let exists = |object_type: &str, relation: &str| {
        if !fga.model.types.contains_key(object_type) {
            return Err(FgaError::type_not_found(object_type));
        }
        if !relation.is_empty() && fga.model.relation(object_type, relation).is_none() {
            return Err(FgaError::relation_not_found(object_type, relation));
        }
        Ok(())
    };
    exists(&filter.object_type, &filter.relation)?;
    if relation.is_empty() {
        return Err(FgaError::validation(format!(
            "invalid {REQUEST}.Relation: value does not match regex pattern \"^[^:#@\\s]{{1,50}}$\""
        )));
    }
    exists(object_type, relation)
}

/// The users (`type:id`) or usersets (`type:id#relation`) matching
/// `filter` that have `relation` on `object`, sorted.
pub fn users(
    query: &Query,
    object: &str,
    relation: &str,
    filter: &UserFilter,
) -> Result<BTreeSet<String>, CheckError> {
    let mut expansion = Expansion {
        query,
        filter,
        found: BTreeSet::new(),
        expanded: HashSet::new(),
        failures: Vec::new(),
    };
    expansion.expand(object, relation, 0)?;
    if expansion.failures.is_empty() {
        Ok(expansion.found)
    } else {
        Err(CheckError::Condition(expansion.failures.join("\n")))
    }
}

struct Expansion<'a> {
    query: &'a Query<'a>,
    filter: &'a UserFilter,
    found: BTreeSet<String>,
    /// `object#relation`s already expanded, which also ends cycles.
    expanded: HashSet<String>,
    /// Conditions that could not be evaluated.
    failures: Vec<String>,
}

impl Expansion<'_> {
    fn expand(&mut self, object: &str, relation: &str, depth: u32) -> Result<(), CheckError> {
        if depth >= MAX_DEPTH {
            return Err(CheckError::TooDeep);
        }
        let userset = format!("{object}#{relation}");
        if !self.expanded.insert(userset.clone()) {
            return Ok(());
        }
        // A userset is among its own relation's users.
        if object.split_once(':').map(|(t, _)| t) == Some(self.filter.object_type.as_str())
            && relation == self.filter.relation
        {
            self.found.insert(userset);
        }
        let conditions = &self.query.model.conditions;
        for tuple in direct_tuples(self.query, relation, object) {
            match conditions::tuple_holds(conditions, tuple, self.query.context) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(message) => {
                    self.failures.push(message);
                    continue;
                }
            }
            let user = parse_user(&tuple.user).expect("checked by direct_tuples");
            match user.relation {
                Some(member) => self.expand(user.object, member, depth + 1)?,
                None if user.object_type == self.filter.object_type
                    && self.filter.relation.is_empty() =>
                {
                    self.found.insert(tuple.user.clone());
                }
                None => {}
            }
        }
        Ok(())
    }
}

/// OpenFGA's `User`: `{"object": {...}}` or `{"userset": {...}}`.
fn listed(user: &str) -> Value {
    let (object, relation) = match user.split_once('#') {
        Some((object, relation)) => (object, Some(relation)),
        None => (user, None),
    };
    let (object_type, id) = object.split_once(':').unwrap_or((object, ""));
    match relation {
        Some(relation) => {
            json!({ "userset": { "type": object_type, "id": id, "relation": relation } })
        }
        None => json!({ "object": { "type": object_type, "id": id } }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fga::model::Model;
    use crate::fga::tuples::seed;

    fn filter(object_type: &str, relation: &str) -> UserFilter {
        UserFilter {
            object_type: object_type.into(),
            relation: relation.into(),
        }
    }

    fn temporary_grant() -> TupleKey {
        TupleKey::new("user:temp@example.com", "read_okta", "okta:groups")
            .until("2030-01-01T00:00:00Z")
    }

    fn list(
        context: Value,
        object: &str,
        relation: &str,
        filter: &UserFilter,
    ) -> Result<Vec<String>, CheckError> {
        let model = Model::custodian();
        let mut tuples = seed();
        tuples.push(temporary_grant());
        let context = context.as_object().cloned().unwrap_or_default();
        let query = Query {
            model: &model,
            tuples: &tuples,
            context: &context,
        };
        users(&query, object, relation, filter).map(|found| found.into_iter().collect())
    }

    #[test]
    fn lists_direct_users_and_group_members() {
        let at = json!({ "current_time": "2029-01-01T00:00:00Z" });
        assert_eq!(
            list(at.clone(), "okta:groups", "read_okta", &filter("user", "")),
            Ok(vec![
                "user:admin@example.com".into(),
                "user:helpdesk@example.com".into(),
                "user:newcomer@example.com".into(),
                "user:temp@example.com".into(),
            ])
        );
        assert_eq!(
            list(at, "okta:groups", "read_okta", &filter("group", "member")),
            Ok(vec!["group:helpdesk#member".into()])
        );
        assert_eq!(
            list(json!({}), "okta:password", "approver", &filter("user", "")),
            Ok(vec![
                "user:admin@example.com".into(),
                "user:second.admin@example.com".into()
            ])
        );
        assert_eq!(
            list(
                json!({}),
                "group:helpdesk",
                "member",
                &filter("group", "member")
            ),
            Ok(vec!["group:helpdesk#member".into()]),
            "a userset is its own member"
        );
    }

    #[test]
    fn an_expired_grant_lists_no_one_and_a_missing_time_fails() {
        let after = json!({ "current_time": "2031-01-01T00:00:00Z" });
        let listed = list(after, "okta:groups", "read_okta", &filter("user", "")).unwrap();
        assert!(!listed.contains(&"user:temp@example.com".to_owned()));
        assert!(matches!(
            list(json!({}), "okta:groups", "read_okta", &filter("user", "")),
            Err(CheckError::Condition(m)) if m.contains("missing context parameters")
        ));
    }

    #[test]
    fn users_are_listed_in_openfga_shape() {
        assert_eq!(
            listed("user:a@x"),
            json!({ "object": { "type": "user", "id": "a@x" } })
        );
        assert_eq!(
            listed("group:g#member"),
            json!({ "userset": { "type": "group", "id": "g", "relation": "member" } })
        );
    }
}
