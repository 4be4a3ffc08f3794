//! Auth0's limits on an `authorization_details` value (Rich Authorization
//! Requests, "Configure Rich Authorization Requests (RAR)"), checked on the
//! exact text before it is sent, so a request Auth0 would refuse never
//! leaves and the reason is Custodian's own.

use serde_json::{Map, Value};

/// "Maximum 5Kb": read as 5,000 bytes, the stricter of its two readings.
pub const MAX_BYTES: usize = 5_000;
pub const MAX_ENTRIES: usize = 5;
pub const MAX_PROPERTIES: usize = 10;
pub const MAX_NAME_CHARS: usize = 255;
pub const MAX_VALUE_CHARS: usize = 255;
/// Levels of nesting, an entry itself being the first.
pub const MAX_DEPTH: usize = 5;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RarLimitError {
    #[error("they are larger than 5 KB")]
    TooLarge,
    #[error("they are not valid JSON")]
    NotJson,
    #[error("they are not an array of objects")]
    NotArrayOfObjects,
    #[error("they are an empty array")]
    Empty,
    #[error("they have more than 5 entries")]
    TooManyEntries,
    #[error("an entry has no type")]
    MissingType,
    #[error("an object has more than 10 properties")]
    TooManyProperties,
    #[error("a property name is not 1 to 255 characters of a-z, A-Z, 0-9, _ . -")]
    BadName,
    #[error("a property value is longer than 255 characters")]
    ValueTooLong,
    #[error("they are nested more than 5 levels deep")]
    TooDeep,
}

/// Whether `text` is an `authorization_details` value Auth0 accepts.
pub fn check(text: &str) -> Result<(), RarLimitError> {
    if text.len() > MAX_BYTES {
        return Err(RarLimitError::TooLarge);
    }
    let value: Value = serde_json::from_str(text).map_err(|_| RarLimitError::NotJson)?;
    let entries = value.as_array().ok_or(RarLimitError::NotArrayOfObjects)?;
    if entries.is_empty() {
        return Err(RarLimitError::Empty);
    }
    if entries.len() > MAX_ENTRIES {
        return Err(RarLimitError::TooManyEntries);
    }
    entries.iter().try_for_each(check_entry)
}

fn check_entry(entry: &Value) -> Result<(), RarLimitError> {
    let object = entry.as_object().ok_or(RarLimitError::NotArrayOfObjects)?;
    let has_type = object
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| !t.trim().is_empty());
    if !has_type {
        return Err(RarLimitError::MissingType);
    }
    if depth(entry) > MAX_DEPTH {
        return Err(RarLimitError::TooDeep);
    }
    check_value(entry)
}

/// Every object's size and names, and every scalar's length, at any depth.
fn check_value(value: &Value) -> Result<(), RarLimitError> {
    match value {
        Value::Object(object) => check_object(object),
        Value::Array(items) => items.iter().try_for_each(check_value),
        Value::String(text) if text.chars().count() > MAX_VALUE_CHARS => {
            Err(RarLimitError::ValueTooLong)
        }
        Value::Number(number) if number.to_string().len() > MAX_VALUE_CHARS => {
            Err(RarLimitError::ValueTooLong)
        }
        _ => Ok(()),
    }
}

fn check_object(object: &Map<String, Value>) -> Result<(), RarLimitError> {
    if object.len() > MAX_PROPERTIES {
        return Err(RarLimitError::TooManyProperties);
    }
    if !object.keys().all(|name| valid_name(name)) {
        return Err(RarLimitError::BadName);
    }
    object.values().try_for_each(check_value)
}

/// 1 to 255 characters of `a-zA-Z0-9_.-`.
pub fn valid_name(name: &str) -> bool {
    (1..=MAX_NAME_CHARS).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Objects and arrays count a level each; scalars none.
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

    fn checked(value: Value) -> Result<(), RarLimitError> {
        check(&value.to_string())
    }

    fn entry_with(name: &str, value: Value) -> Value {
        json!([{ "type": "password-reset", name: value }])
    }

    #[test]
    fn a_small_array_of_typed_objects_passes() {
        let nested = json!({ "a": { "b": { "c": { "d": 1 } } } });
        assert_eq!(checked(entry_with("x", nested)), Ok(()));
        assert_eq!(checked(entry_with("n", json!(2500.5))), Ok(()));
        assert_eq!(checked(entry_with("yes", json!(true))), Ok(()));
    }

    #[test]
    fn at_most_5_kb() {
        let mut object: Map<String, Value> = (0..9)
            .map(|i| (format!("p{i}"), json!("x".repeat(200))))
            .collect();
        object.insert("type".into(), json!("t"));
        let text = json!(vec![Value::Object(object); 3]).to_string();
        assert!(text.len() > MAX_BYTES, "{}", text.len());
        assert_eq!(check(&text), Err(RarLimitError::TooLarge));
    }

    #[test]
    fn must_be_valid_json() {
        assert_eq!(check("[{\"type\": \"t\""), Err(RarLimitError::NotJson));
        assert_eq!(check(""), Err(RarLimitError::NotJson));
    }

    #[test]
    fn must_be_an_array_of_objects() {
        let refused = Err(RarLimitError::NotArrayOfObjects);
        assert_eq!(checked(json!({ "type": "t" })), refused);
        assert_eq!(checked(json!(["t"])), refused);
        assert_eq!(checked(json!([{ "type": "t" }, 3])), refused);
        assert_eq!(checked(json!([])), Err(RarLimitError::Empty));
    }

    #[test]
    fn at_most_5_entries() {
        let entry = json!({ "type": "t" });
        assert_eq!(checked(json!(vec![entry.clone(); 5])), Ok(()));
        assert_eq!(
            checked(json!(vec![entry; 6])),
            Err(RarLimitError::TooManyEntries)
        );
    }

    #[test]
    fn every_entry_has_a_type() {
        let refused = Err(RarLimitError::MissingType);
        assert_eq!(checked(json!([{ "type": "t" }, { "kind": "t" }])), refused);
        assert_eq!(checked(json!([{ "type": "" }])), refused);
        assert_eq!(checked(json!([{ "type": 7 }])), refused);
    }

    #[test]
    fn at_most_10_properties_per_object() {
        let object = |n: usize| {
            let object: Map<String, Value> = (0..n).map(|i| (format!("p{i}"), json!(i))).collect();
            Value::Object(object)
        };
        assert_eq!(checked(entry_with("x", object(10))), Ok(()));
        assert_eq!(
            checked(entry_with("x", object(11))),
            Err(RarLimitError::TooManyProperties)
        );
        let mut entry = object(10);
        entry["type"] = json!("t");
        assert_eq!(
            checked(json!([entry])),
            Err(RarLimitError::TooManyProperties)
        );
    }

    #[test]
    fn property_names_are_at_most_255_safe_characters() {
        let refused = Err(RarLimitError::BadName);
        assert_eq!(checked(entry_with(&"n".repeat(255), json!(1))), Ok(()));
        assert_eq!(checked(entry_with("a.b-c_D9", json!(1))), Ok(()));
        assert_eq!(checked(entry_with(&"n".repeat(256), json!(1))), refused);
        for bad in ["", "a b", "a:b", "é", "<b>"] {
            assert_eq!(checked(entry_with(bad, json!(1))), refused, "{bad:?}");
        }
        assert_eq!(checked(entry_with("x", json!({ "a b": 1 }))), refused);
    }

    #[test]
    fn property_values_are_at_most_255_characters() {
        let refused = Err(RarLimitError::ValueTooLong);
        assert_eq!(checked(entry_with("v", json!("é".repeat(255)))), Ok(()));
        assert_eq!(checked(entry_with("v", json!("v".repeat(256)))), refused);
        assert_eq!(checked(entry_with("v", json!(["v".repeat(256)]))), refused);
        assert_eq!(
            checked(entry_with("v", json!({ "deep": "v".repeat(256) }))),
            refused
        );
    }

    #[test]
    fn nesting_is_at_most_5_levels() {
        // The entry is the first level, so four more fit below it.
        let four_below = json!({ "b": { "c": { "d": { "e": 1 } } } });
        assert_eq!(checked(entry_with("a", four_below)), Ok(()));
        let five_below = json!({ "b": { "c": { "d": { "e": { "f": 1 } } } } });
        assert_eq!(
            checked(entry_with("a", five_below)),
            Err(RarLimitError::TooDeep)
        );
        assert_eq!(checked(entry_with("a", json!([[[[1]]]]))), Ok(()));
        assert_eq!(
            checked(entry_with("a", json!([[[[[1]]]]]))),
            Err(RarLimitError::TooDeep)
        );
    }
}
