//! Whether tuples and check requests fit the model, with OpenFGA's wording.

use serde::{Deserialize, Serialize};

use super::model::{DirectType, Model};

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TupleKey {
    pub user: String,
    pub relation: String,
    pub object: String,
}

impl TupleKey {
    pub fn new(user: &str, relation: &str, object: &str) -> Self {
        Self {
            user: user.to_owned(),
            relation: relation.to_owned(),
            object: object.to_owned(),
        }
    }
}

/// OpenFGA's rule for store and model ids (ULIDs), from its API's
/// validation: `^[ABCDEFGHJKMNPQRSTVWXYZ0-9]{26}$`.
pub const ID_PATTERN: &str = "^[ABCDEFGHJKMNPQRSTVWXYZ0-9]{26}$";

pub fn is_well_formed_id(id: &str) -> bool {
    id.len() == 26
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"ILOU".contains(&b)))
}

/// `type:id` → (`type`, `id`), both non-empty.
pub fn split_object(object: &str) -> Option<(&str, &str)> {
    let (object_type, id) = object.split_once(':')?;
    (!object_type.is_empty() && !id.is_empty() && !id.contains('#')).then_some((object_type, id))
}

/// A user is `type:id` or a userset `type:id#relation`.
pub struct User<'a> {
    pub object_type: &'a str,
    pub object: &'a str,
    pub relation: Option<&'a str>,
}

pub fn parse_user(user: &str) -> Option<User<'_>> {
    let (object, relation) = match user.split_once('#') {
        Some((object, relation)) if !relation.is_empty() => (object, Some(relation)),
        Some(_) => return None,
        None => (user, None),
    };
    let (object_type, _) = split_object(object)?;
    Some(User {
        object_type,
        object,
        relation,
    })
}

/// The relation exists on the object's type; returns its restriction.
pub fn check_request<'m>(model: &'m Model, key: &TupleKey) -> Result<&'m [DirectType], String> {
    let (object_type, _) = split_object(&key.object)
        .ok_or_else(|| format!("invalid 'object' field format: '{}'", key.object))?;
    if parse_user(&key.user).is_none() {
        return Err(format!("the 'user' field is malformed: '{}'", key.user));
    }
    if !model.types.contains_key(object_type) {
        return Err(format!("type '{object_type}' not found"));
    }
    model
        .relation(object_type, &key.relation)
        .ok_or_else(|| format!("relation '{object_type}#{}' not found", key.relation))
}

/// A tuple may be written only if its user's type is allowed by the
/// relation's type restriction.
pub fn tuple(model: &Model, key: &TupleKey) -> Result<(), String> {
    let restriction = check_request(model, key)?;
    let user = parse_user(&key.user).expect("checked by check_request");
    let allowed = restriction
        .iter()
        .any(|direct| match (direct, user.relation) {
            (DirectType::Type(t), None) => t == user.object_type,
            (
                DirectType::Userset {
                    object_type,
                    relation,
                },
                Some(user_relation),
            ) => object_type == user.object_type && relation == user_relation,
            _ => false,
        });
    if allowed {
        Ok(())
    } else {
        let (object_type, _) = split_object(&key.object).expect("checked by check_request");
        let user_type = match user.relation {
            Some(relation) => format!("{}#{relation}", user.object_type),
            None => user.object_type.to_owned(),
        };
        Err(format!(
            "type '{user_type}' is not an allowed type restriction for '{object_type}#{}'",
            key.relation
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_ulids() {
        assert!(is_well_formed_id("01JDSANDBXSTRE000000000000"));
        assert!(!is_well_formed_id("01SANDBOXSTORE0000000000000"));
        assert!(!is_well_formed_id("01JDSANDBXSTRE00000000000I"));
        assert!(!is_well_formed_id("01jdsandbxstre000000000000"));
        assert!(!is_well_formed_id(""));
    }

    #[test]
    fn writes_must_respect_type_restrictions() {
        let model = Model::custodian();
        let ok = |u, r, o| tuple(&model, &TupleKey::new(u, r, o));
        assert!(ok("user:a@x", "read_okta", "okta:groups").is_ok());
        assert!(ok("group:hd#member", "read_okta", "okta:groups").is_ok());
        assert!(ok("user:a@x", "member", "group:hd").is_ok());
        assert!(ok("group:hd#member", "member", "group:x").is_err());
        assert!(ok("okta:groups", "read_okta", "okta:groups").is_err());
        assert!(ok("user:a@x", "owner", "okta:groups").is_err());
        assert!(ok("user:a@x", "read_okta", "doc:1").is_err());
        assert!(ok("user:a@x", "read_okta", "okta").is_err());
        assert!(ok("bob", "read_okta", "okta:groups").is_err());
        assert!(ok("group:hd#", "read_okta", "okta:groups").is_err());
    }
}
