//! Evaluating a check against the model and the stored tuples.

use super::model::{DirectType, Model};
use super::validate::{self, TupleKey, parse_user, split_object};

/// OpenFGA's default resolution depth.
const MAX_DEPTH: u32 = 25;

#[derive(Debug, PartialEq, Eq)]
pub enum CheckError {
    Invalid(String),
    TooDeep,
}

/// Whether `key.user` has `key.relation` on `key.object`, following
/// userset tuples (`group:g#member`) through their own relations.
pub fn check(model: &Model, tuples: &[TupleKey], key: &TupleKey) -> Result<bool, CheckError> {
    validate::check_request(model, key).map_err(CheckError::Invalid)?;
    resolve(model, tuples, &key.user, &key.relation, &key.object, 0)
}

fn resolve(
    model: &Model,
    tuples: &[TupleKey],
    user: &str,
    relation: &str,
    object: &str,
    depth: u32,
) -> Result<bool, CheckError> {
    if depth >= MAX_DEPTH {
        return Err(CheckError::TooDeep);
    }
    let Some((object_type, _)) = split_object(object) else {
        return Ok(false);
    };
    let Some(restriction) = model.relation(object_type, relation) else {
        return Ok(false);
    };
    for tuple in tuples
        .iter()
        .filter(|t| t.object == object && t.relation == relation)
    {
        // A tuple the model does not allow (written before a model change)
        // grants nothing.
        let Some(tuple_user) = parse_user(&tuple.user) else {
            continue;
        };
        let allowed = |direct: &DirectType| match (direct, tuple_user.relation) {
            (DirectType::Type(t), None) => t == tuple_user.object_type,
            (
                DirectType::Userset {
                    object_type,
                    relation,
                },
                Some(r),
            ) => object_type == tuple_user.object_type && relation == r,
            _ => false,
        };
        if !restriction.iter().any(allowed) {
            continue;
        }
        if tuple.user == user {
            return Ok(true);
        }
        if let Some(userset_relation) = tuple_user.relation
            && resolve(
                model,
                tuples,
                user,
                userset_relation,
                tuple_user.object,
                depth + 1,
            )?
        {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tuples() -> Vec<TupleKey> {
        vec![
            TupleKey::new("user:admin", "read_okta", "okta:groups"),
            TupleKey::new("user:hd", "member", "group:helpdesk"),
            TupleKey::new("group:helpdesk#member", "read_okta", "okta:groups"),
        ]
    }

    fn allowed(user: &str, relation: &str, object: &str) -> Result<bool, CheckError> {
        check(
            &Model::custodian(),
            &tuples(),
            &TupleKey::new(user, relation, object),
        )
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
