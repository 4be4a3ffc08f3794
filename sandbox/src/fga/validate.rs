//! Whether tuples and check requests fit the model, with OpenFGA's wording.

use serde::{Deserialize, Deserializer, Serialize};

use super::conditions::Context;
use super::model::{DirectType, Model};

/// A tuple as OpenFGA's API spells it. Its identity is the user, relation
/// and object alone: the condition is not part of it (see [`Self::same`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TupleKey {
    pub user: String,
    pub relation: String,
    pub object: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<RelationshipCondition>,
}

/// A tuple's `condition`: a condition of the model by name, and the part
/// of its context written with the tuple.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelationshipCondition {
    pub name: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub context: Context,
}

fn null_as_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Context, D::Error> {
    Option::<Context>::deserialize(deserializer).map(Option::unwrap_or_default)
}

impl TupleKey {
    pub fn new(user: &str, relation: &str, object: &str) -> Self {
        Self {
            user: user.to_owned(),
            relation: relation.to_owned(),
            object: object.to_owned(),
            condition: None,
        }
    }

    /// The tuple as a time-limited grant: the model's `not_expired`
    /// condition with `valid_until` (RFC 3339).
    #[cfg(test)]
    pub fn until(self, valid_until: &str) -> Self {
        let context = serde_json::json!({ "valid_until": valid_until });
        Self {
            condition: Some(RelationshipCondition {
                name: "not_expired".into(),
                context: context.as_object().cloned().unwrap_or_default(),
            }),
            ..self
        }
    }

    /// The same user, relation and object: writing it again is a
    /// duplicate and deleting needs no condition.
    pub fn same(&self, other: &TupleKey) -> bool {
        self.user == other.user && self.relation == other.relation && self.object == other.object
    }

    /// `object#relation@user`, as OpenFGA's messages name a tuple.
    pub fn display(&self) -> String {
        format!("{}#{}@{}", self.object, self.relation, self.user)
    }

    /// [`Self::display`] with ` (condition name)` when it has one.
    pub fn display_with_condition(&self) -> String {
        match &self.condition {
            Some(condition) => format!("{} (condition {})", self.display(), condition.name),
            None => self.display(),
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
/// relation's type restriction, with a condition the restriction allows
/// and a context that fits it. Refusals read like OpenFGA's
/// (`Invalid tuple '...'. Reason: ...`, its `ValidateTupleForWrite`).
pub fn tuple(model: &Model, key: &TupleKey) -> Result<(), String> {
    let reason = |reason: String| {
        format!(
            "Invalid tuple '{}'. Reason: {reason}",
            key.display_with_condition()
        )
    };
    let restriction = check_request(model, key).map_err(reason)?;
    type_restriction(restriction, key).map_err(reason)?;
    condition(model, restriction, key).map_err(reason)
}

/// A tuple to delete is named without its condition.
pub fn deletion(model: &Model, key: &TupleKey) -> Result<(), String> {
    let reason = |reason: String| format!("Invalid tuple '{}'. Reason: {reason}", key.display());
    let restriction = check_request(model, key).map_err(reason)?;
    type_restriction(restriction, key).map_err(reason)
}

fn type_restriction(restriction: &[DirectType], key: &TupleKey) -> Result<(), String> {
    let user = parse_user(&key.user).expect("checked by check_request");
    if restriction.iter().any(|direct| direct.admits(&user)) {
        return Ok(());
    }
    let (object_type, _) = split_object(&key.object).expect("checked by check_request");
    let user_type = match user.relation {
        Some(relation) => format!("'{}#{relation}'", user.object_type),
        None => format!("type '{}'", user.object_type),
    };
    Err(format!(
        "{user_type} is not an allowed type restriction for '{object_type}#{}'",
        key.relation
    ))
}

/// OpenFGA's `validateCondition`: without a condition some unconditional
/// entry must admit the user; with one, the model must define it, an entry
/// for the user's type must name it, and its context must fit its
/// parameters.
fn condition(model: &Model, restriction: &[DirectType], key: &TupleKey) -> Result<(), String> {
    let user = parse_user(&key.user).expect("checked by check_request");
    let Some(written) = &key.condition else {
        let unconditional = restriction
            .iter()
            .any(|direct| direct.condition.is_none() && direct.admits(&user));
        return if unconditional {
            Ok(())
        } else {
            Err("condition is missing".to_owned())
        };
    };
    let Some(condition) = model.conditions.get(&written.name) else {
        return Err("undefined condition".to_owned());
    };
    let named = restriction.iter().any(|direct| {
        direct.condition.as_deref() == Some(written.name.as_str()) && direct.admits(&user)
    });
    if !named {
        return Err("invalid condition for type restriction".to_owned());
    }
    let typed = condition.typed(&written.context)?;
    match written.context.keys().find(|k| !typed.contains_key(*k)) {
        Some(unknown) => Err(format!("found invalid context parameter: {unknown}")),
        None => Ok(()),
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
        assert_eq!(
            ok("group:hd#member", "auditor", "group:x"),
            Err("Invalid tuple 'group:x#auditor@group:hd#member'. Reason: relation 'group#auditor' not found".into())
        );
    }

    fn conditional(name: &str, context: serde_json::Value) -> Option<RelationshipCondition> {
        Some(RelationshipCondition {
            name: name.into(),
            context: context.as_object().cloned().unwrap_or_default(),
        })
    }

    #[test]
    fn conditions_must_fit_the_restriction_and_their_parameters() {
        let model = Model::custodian();
        let grant = |user: &str, relation: &str, name: &str, context| {
            let key = TupleKey {
                condition: conditional(name, context),
                ..TupleKey::new(user, relation, "okta:password")
            };
            tuple(&model, &key)
        };
        let until = serde_json::json!({ "valid_until": "2030-01-01T00:00:00Z" });
        assert_eq!(
            grant("user:a@x", "reset_password", "not_expired", until.clone()),
            Ok(())
        );
        assert_eq!(
            grant("user:a@x", "reset_password", "expired", until.clone()),
            Err("Invalid tuple 'okta:password#reset_password@user:a@x (condition expired)'. Reason: undefined condition".into())
        );
        assert!(
            grant("user:a@x", "approver", "not_expired", until.clone())
                .unwrap_err()
                .ends_with("Reason: invalid condition for type restriction")
        );
        assert!(
            grant("group:g#member", "reset_password", "not_expired", until)
                .unwrap_err()
                .ends_with("Reason: invalid condition for type restriction")
        );
        let bad = serde_json::json!({ "valid_until": "someday" });
        assert!(
            grant("user:a@x", "reset_password", "not_expired", bad)
                .unwrap_err()
                .contains("failed to convert context parameter 'valid_until'")
        );
        let extra = serde_json::json!({ "reason": "on call" });
        assert!(
            grant("user:a@x", "reset_password", "not_expired", extra)
                .unwrap_err()
                .ends_with("Reason: found invalid context parameter: reason")
        );
    }

    #[test]
    fn a_condition_only_restriction_requires_one() {
        let model = Model::parse(
            "model\n schema 1.1\ntype user\ntype doc\n relations\n  define viewer: [user with small]\n\
             condition small(x: int) {\n  x < 10\n}\n",
        )
        .unwrap();
        assert_eq!(
            tuple(&model, &TupleKey::new("user:a", "viewer", "doc:1")),
            Err("Invalid tuple 'doc:1#viewer@user:a'. Reason: condition is missing".into())
        );
        let key = TupleKey {
            condition: conditional("small", serde_json::json!({})),
            ..TupleKey::new("user:a", "viewer", "doc:1")
        };
        assert_eq!(tuple(&model, &key), Ok(()));
    }
}
