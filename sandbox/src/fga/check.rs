//! Evaluating a check against the model and the stored tuples.

use super::conditions::{self, Context};
use super::model::Model;
use super::validate::{self, TupleKey, parse_user, split_object};

/// OpenFGA's default resolution depth.
pub const MAX_DEPTH: u32 = 25;

#[derive(Debug, PartialEq, Eq)]
pub enum CheckError {
    Invalid(String),
    TooDeep,
    /// A condition could not be evaluated, e.g. for want of a parameter.
    Condition(String),
}

/// What a query is evaluated against.
pub struct Query<'a> {
    pub model: &'a Model,
    pub tuples: &'a [TupleKey],
    /// The request's `context`, for conditional tuples.
    pub context: &'a Context,
}

/// Whether `key.user` has `key.relation` on `key.object`, following
/// userset tuples (`group:g#member`) through their own relations.
pub fn check(query: &Query, key: &TupleKey) -> Result<bool, CheckError> {
    validate::check_request(query.model, key).map_err(CheckError::Invalid)?;
    resolve(query, &key.user, &key.relation, &key.object, 0)
}

/// Like OpenFGA's union of branches, one path that grants is the answer
/// even when another failed; only a denial reports the failure, so a
/// condition that cannot be evaluated errs only when it decides the
/// outcome.
fn resolve(
    query: &Query,
    user: &str,
    relation: &str,
    object: &str,
    depth: u32,
) -> Result<bool, CheckError> {
    if depth >= MAX_DEPTH {
        return Err(CheckError::TooDeep);
    }
    let mut failure = None;
    for tuple in direct_tuples(query, relation, object) {
        let tuple_user = parse_user(&tuple.user).expect("checked by direct_tuples");
        // The user's own tuple, or a userset that may contain them; another
        // user's tuple is not looked at, nor its condition evaluated.
        let userset = match (tuple.user == user, tuple_user.relation) {
            (true, _) => None,
            (false, Some(userset)) => Some(userset),
            (false, None) => continue,
        };
        let granted = match conditions::tuple_holds(&query.model.conditions, tuple, query.context) {
            Err(message) => Err(CheckError::Condition(message)),
            Ok(false) => Ok(false),
            Ok(true) => match userset {
                None => Ok(true),
                Some(userset) => resolve(query, user, userset, tuple_user.object, depth + 1),
            },
        };
        match granted {
            Ok(true) => return Ok(true),
            Ok(false) => {}
            Err(error) => failure = failure.or(Some(error)),
        }
    }
    failure.map_or(Ok(false), Err)
}

/// The tuples of `object#relation` whose user the model allows there; one
/// written before a model change grants nothing.
pub fn direct_tuples<'q>(
    query: &Query<'q>,
    relation: &'q str,
    object: &'q str,
) -> impl Iterator<Item = &'q TupleKey> + 'q {
    let restriction = split_object(object)
        .and_then(|(object_type, _)| query.model.relation(object_type, relation))
        .unwrap_or_default();
    query.tuples.iter().filter(move |t| {
        t.object == object
            && t.relation == relation
            && parse_user(&t.user).is_some_and(|u| restriction.iter().any(|d| d.admits(&u)))
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn tuples() -> Vec<TupleKey> {
        vec![
            TupleKey::new("user:admin", "read_okta", "okta:groups"),
            TupleKey::new("user:hd", "member", "group:helpdesk"),
            TupleKey::new("group:helpdesk#member", "read_okta", "okta:groups"),
            TupleKey::new("user:temp", "reset_password", "okta:password")
                .until("2030-01-01T00:00:00Z"),
        ]
    }

    fn allowed_at(
        context: serde_json::Value,
        user: &str,
        relation: &str,
        object: &str,
    ) -> Result<bool, CheckError> {
        let model = Model::custodian();
        let tuples = tuples();
        let context = context.as_object().cloned().unwrap_or_default();
        let query = Query {
            model: &model,
            tuples: &tuples,
            context: &context,
        };
        check(&query, &TupleKey::new(user, relation, object))
    }

    fn allowed(user: &str, relation: &str, object: &str) -> Result<bool, CheckError> {
        allowed_at(json!({}), user, relation, object)
    }

    #[test]
    fn direct_and_group_based_grants() {
        assert_eq!(allowed("user:admin", "read_okta", "okta:groups"), Ok(true));
        assert_eq!(allowed("user:hd", "read_okta", "okta:groups"), Ok(true));
        assert_eq!(
            allowed("group:helpdesk#member", "read_okta", "okta:groups"),
            Ok(true)
        );
        assert_eq!(allowed("user:other", "read_okta", "okta:groups"), Ok(false));
        assert_eq!(
            allowed("user:hd", "reset_password", "okta:password"),
            Ok(false)
        );
        assert_eq!(
            allowed("user:admin", "read_okta", "okta:password"),
            Ok(false)
        );
    }

    #[test]
    fn a_conditional_grant_holds_only_while_its_condition_does() {
        let at = |time: &str| {
            allowed_at(
                json!({ "current_time": time }),
                "user:temp",
                "reset_password",
                "okta:password",
            )
        };
        assert_eq!(at("2029-12-31T00:00:00Z"), Ok(true));
        assert_eq!(at("2030-01-02T00:00:00Z"), Ok(false));
    }

    #[test]
    fn a_missing_parameter_errs_only_when_it_decides() {
        assert!(matches!(
            allowed("user:temp", "reset_password", "okta:password"),
            Err(CheckError::Condition(m)) if m.contains("missing context parameters '[current_time]'")
        ));
        assert_eq!(
            allowed("user:hd", "reset_password", "okta:password"),
            Ok(false),
            "the conditional tuple is another user's"
        );
        let model = Model::custodian();
        let mut tuples = tuples();
        tuples.push(TupleKey::new("user:temp", "member", "group:helpdesk"));
        tuples.push(TupleKey::new(
            "group:helpdesk#member",
            "reset_password",
            "okta:password",
        ));
        let query = Query {
            model: &model,
            tuples: &tuples,
            context: &Context::new(),
        };
        let temp = TupleKey::new("user:temp", "reset_password", "okta:password");
        assert_eq!(check(&query, &temp), Ok(true), "the group grants anyway");
    }

    #[test]
    fn invalid_checks_are_errors() {
        assert!(matches!(
            allowed("user:admin", "owner", "okta:groups"),
            Err(CheckError::Invalid(_))
        ));
        assert!(matches!(
            allowed("user:admin", "read_okta", "doc:1"),
            Err(CheckError::Invalid(_))
        ));
    }
}
