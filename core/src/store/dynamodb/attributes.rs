//! Reading and writing item attributes. A missing or mistyped attribute is
//! `Corrupt`, naming the attribute and never its value.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::store::{StoreError, StoreResult};

pub(super) type Item = HashMap<String, AttributeValue>;

pub(super) fn text(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub(super) fn number(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// `what` names the kind of item ("session", "message") for the error.
pub(super) fn get_text<'a>(item: &'a Item, name: &str, what: &str) -> StoreResult<&'a str> {
    match item.get(name) {
        Some(AttributeValue::S(value)) => Ok(value),
        _ => Err(corrupt(what, name, "text")),
    }
}

pub(super) fn get_number(item: &Item, name: &str, what: &str) -> StoreResult<i64> {
    match item.get(name) {
        Some(AttributeValue::N(value)) => value.parse().map_err(|_| corrupt(what, name, "integer")),
        _ => Err(corrupt(what, name, "number")),
    }
}

fn corrupt(what: &str, name: &str, kind: &str) -> StoreError {
    StoreError::Corrupt(format!("a {what} item has no {kind} attribute `{name}`"))
}
