//! Auth0's schema for `authorization_details` the Guardian app renders
//! ("Configure Rich Authorization Requests (RAR)", Auth0 Guardian app): a
//! `type` of `urn:auth0:schemas:authorization-details:v1:<name>`, only one
//! object in the array, an `instruction`, and `properties` whose displayed
//! entries have a `name`, a `display_order` and a `value`.
//!
//! Objects of other types are for custom apps and consent prompts; the
//! Guardian stand-in shows nothing of them.

use serde_json::Value;

pub const TYPE_PREFIX: &str = "urn:auth0:schemas:authorization-details:v1:";

/// What the phone shows for a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardianDetails {
    pub instruction: String,
    /// The displayed properties in `display_order`: name and value.
    pub properties: Vec<(String, String)>,
}

/// Refuses a details array with an Auth0-schema object the app cannot show.
pub fn check(details: &Value) -> Result<(), &'static str> {
    let entries = details.as_array().map(Vec::as_slice).unwrap_or_default();
    let ours = entries.iter().filter(|e| is_guardian(e)).count();
    if ours == 0 {
        return Ok(());
    }
    if entries.len() > 1 {
        return Err("For the Guardian app, authorization_details must hold exactly one object.");
    }
    read(&entries[0])
        .map(|_| ())
        .ok_or("authorization_details in Auth0's schema need an instruction and properties with display, name, display_order and value.")
}

/// The one Auth0-schema object of a checked details array, as shown.
pub fn shown(details: &Value) -> Option<GuardianDetails> {
    let entries = details.as_array()?;
    match entries.as_slice() {
        [entry] if is_guardian(entry) => read(entry),
        _ => None,
    }
}

fn is_guardian(entry: &Value) -> bool {
    entry["type"]
        .as_str()
        .is_some_and(|t| t.len() > TYPE_PREFIX.len() && t.starts_with(TYPE_PREFIX))
}

fn read(entry: &Value) -> Option<GuardianDetails> {
    let instruction = entry["instruction"].as_str()?.to_owned();
    let mut displayed = Vec::new();
    for property in entry["properties"].as_object()?.values() {
        if property.get("display")?.as_bool()? {
            displayed.push((
                display_order(&property["display_order"])?,
                property["name"].as_str()?.to_owned(),
                scalar(&property["value"])?,
            ));
        }
    }
    displayed.sort_by_key(|(order, _, _)| *order);
    Some(GuardianDetails {
        instruction,
        properties: displayed
            .into_iter()
            .map(|(_, name, value)| (name, value))
            .collect(),
    })
}

/// An integer, or a string of one: Auth0's field table shows `"1"`, its
/// description and example an integer.
fn display_order(value: &Value) -> Option<u64> {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
}

/// A value as text; the schema allows strings, numbers and booleans.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn entry(properties: Value) -> Value {
        json!({
            "type": "urn:auth0:schemas:authorization-details:v1:password-reset",
            "instruction": "Approve it.",
            "properties": properties,
        })
    }

    #[test]
    fn displayed_properties_come_in_display_order_and_hidden_ones_not_at_all() {
        let details = json!([entry(json!({
            "code": { "display": true, "name": "Code:", "display_order": "3", "value": "K7F-2QX" },
            "target": { "display": true, "name": "User:", "display_order": 1, "value": "bob@example.com" },
            "secret": { "display": false, "value": "internal" },
            "amount": { "display": true, "name": "Amount:", "display_order": 2, "value": 2500.5 },
        }))]);
        assert_eq!(check(&details), Ok(()));
        let shown = shown(&details).unwrap();
        assert_eq!(shown.instruction, "Approve it.");
        assert_eq!(
            shown.properties,
            [
                ("User:".to_owned(), "bob@example.com".to_owned()),
                ("Amount:".to_owned(), "2500.5".to_owned()),
                ("Code:".to_owned(), "K7F-2QX".to_owned()),
            ]
        );
    }

    #[test]
    fn malformed_or_crowded_guardian_objects_are_refused() {
        let no_order = json!([entry(
            json!({ "a": { "display": true, "name": "A", "value": "x" } })
        )]);
        let no_display = json!([entry(
            json!({ "a": { "name": "A", "display_order": 1, "value": "x" } })
        )]);
        let nested = json!([entry(
            json!({ "a": { "display": true, "name": "A", "display_order": 1, "value": {} } })
        )]);
        let two = json!([entry(json!({})), { "type": "money_transfer" }]);
        for details in [no_order, no_display, nested, two] {
            assert!(check(&details).is_err(), "{details}");
        }
        let mut no_instruction = entry(json!({}));
        no_instruction
            .as_object_mut()
            .unwrap()
            .remove("instruction");
        assert!(check(&json!([no_instruction])).is_err());
    }

    #[test]
    fn other_types_are_left_alone_and_show_nothing() {
        let details = json!([{ "type": "money_transfer", "amount": 5 }, { "type": "payment" }]);
        assert_eq!(check(&details), Ok(()));
        assert_eq!(shown(&details), None);
    }
}
