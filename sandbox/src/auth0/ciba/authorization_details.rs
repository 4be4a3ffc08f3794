//! `authorization_details` on `/bc-authorize` (Rich Authorization Requests,
//! RFC 9396), checked as Auth0 documents ("Configure Rich Authorization
//! Requests (RAR)", "User Authorization with CIBA"): at most 5 KB of JSON,
//! an array of at most 5 objects, each with a `type` registered on the API
//! the request names, at most 10 properties per object, names of at most
//! 255 characters of `a-zA-Z0-9_.-`, values of at most 255 characters, at
//! most 5 levels of nesting. Objects in Auth0's own schema must also be
//! what the Guardian app renders ([`super::guardian_schema`]).
//!
//! A refusal is RFC 9396 §5's `invalid_authorization_details`.

use serde_json::{Map, Value};

use super::guardian_schema;
use crate::auth0::token::error::OAuthError;
use crate::config::ApiConfig;

const ERROR: &str = "invalid_authorization_details";
/// "Maximum 5Kb", read as 5,000 bytes.
const MAX_BYTES: usize = 5_000;
const MAX_ENTRIES: usize = 5;
const MAX_PROPERTIES: usize = 10;
const MAX_CHARS: usize = 255;
const MAX_DEPTH: usize = 5;

/// The details as stored with the request, if the form had any.
pub fn accept(text: Option<&str>, api: Option<&ApiConfig>) -> Result<Option<Value>, OAuthError> {
    let Some(text) = text else {
        return Ok(None);
    };
    let Some(api) = api else {
        return Err(refused(
            "authorization_details need an audience: their types are registered on an API.",
        ));
    };
    let details = parse(text).map_err(refused)?;
    for entry in details.as_array().into_iter().flatten() {
        let kind = entry["type"].as_str().unwrap_or_default();
        if !api.authorization_details_types.iter().any(|t| t == kind) {
            return Err(refused(format!(
                "The authorization_details type {kind} is not registered on {}.",
                api.identifier
            )));
        }
    }
    guardian_schema::check(&details).map_err(refused)?;
    Ok(Some(details))
}

fn refused(description: impl Into<String>) -> OAuthError {
    OAuthError::bad_request(ERROR, description)
}

/// The general limits; the parsed value when it keeps them all.
fn parse(text: &str) -> Result<Value, &'static str> {
    if text.len() > MAX_BYTES {
        return Err("authorization_details must be at most 5 KB.");
    }
    let details: Value =
        serde_json::from_str(text).map_err(|_| "authorization_details must be valid JSON.")?;
    let entries = details
        .as_array()
        .filter(|entries| !entries.is_empty() && entries.iter().all(Value::is_object))
        .ok_or("authorization_details must be a non-empty array of objects.")?;
    if entries.len() > MAX_ENTRIES {
        return Err("authorization_details may have at most 5 entries.");
    }
    for entry in entries {
        if entry["type"].as_str().is_none_or(str::is_empty) {
            return Err("Every authorization_details entry must have a type.");
        }
        if depth(entry) > MAX_DEPTH {
            return Err("authorization_details may nest at most 5 levels.");
        }
        within_limits(entry)?;
    }
    Ok(details)
}

fn within_limits(value: &Value) -> Result<(), &'static str> {
    match value {
        Value::Object(object) => object_within_limits(object),
        Value::Array(items) => items.iter().try_for_each(within_limits),
        Value::String(text) if text.chars().count() > MAX_CHARS => {
            Err("authorization_details values must be at most 255 characters.")
        }
        _ => Ok(()),
    }
}

fn object_within_limits(object: &Map<String, Value>) -> Result<(), &'static str> {
    if object.len() > MAX_PROPERTIES {
        return Err("authorization_details objects may have at most 10 properties.");
    }
    let valid_name = |name: &String| {
        (1..=MAX_CHARS).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
    };
    if !object.keys().all(valid_name) {
        return Err("authorization_details property names must be 1 to 255 of a-zA-Z0-9_.-");
    }
    object.values().try_for_each(within_limits)
}

fn depth(value: &Value) -> usize {
    match value {
        Value::Object(object) => 1 + object.values().map(depth).max().unwrap_or(0),
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const TYPE: &str = "urn:auth0:schemas:authorization-details:v1:password-reset";

    fn api() -> ApiConfig {
        ApiConfig::custodian("https://custodian.example/api")
    }

    fn guardian_entry() -> Value {
        json!({
            "type": TYPE,
            "instruction": "Approve it.",
            "properties": {
                "target": { "display": true, "name": "User:", "display_order": 1, "value": "bob@example.com" },
            },
        })
    }

    fn checked(details: &Value) -> Result<Option<Value>, String> {
        accept(Some(&details.to_string()), Some(&api())).map_err(|e| e.error().to_owned())
    }

    #[test]
    fn a_registered_guardian_object_is_kept() {
        let details = json!([guardian_entry()]);
        assert_eq!(checked(&details), Ok(Some(details)));
        assert!(matches!(accept(None, None), Ok(None)));
    }

    #[test]
    fn details_without_an_audience_or_with_an_unregistered_type_are_refused() {
        let text = json!([guardian_entry()]).to_string();
        let without = accept(Some(&text), None).unwrap_err();
        assert_eq!(without.error(), ERROR);
        let other = json!([{ "type": "money_transfer" }]);
        assert_eq!(checked(&other), Err(ERROR.to_owned()));
    }

    #[test]
    fn every_documented_limit_is_enforced() {
        let with = |name: &str, value: Value| {
            let mut entry = guardian_entry();
            entry[name] = value;
            json!([entry])
        };
        let deep = json!({ "b": { "c": { "d": { "e": { "f": 1 } } } } });
        let many: Map<String, Value> = (0..11).map(|i| (format!("p{i}"), json!(i))).collect();
        let cases = [
            json!({ "type": TYPE }),
            json!([]),
            json!([TYPE]),
            json!(vec![guardian_entry(); 6]),
            json!([{ "instruction": "no type" }]),
            with("extra", Value::Object(many)),
            with("bad name", json!(1)),
            with(&"n".repeat(256), json!(1)),
            with("long", json!("v".repeat(256))),
            with("deep", deep),
            with("big", json!(vec!["v".repeat(250); 20])),
        ];
        for details in cases {
            assert_eq!(checked(&details), Err(ERROR.to_owned()), "{details}");
        }
        let not_json = accept(Some("[{"), Some(&api())).unwrap_err();
        assert_eq!(not_json.error(), ERROR);
    }
}
