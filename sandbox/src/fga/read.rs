//! OpenFGA's `POST /stores/{store}/read`: stored tuples matching a filter,
//! a page at a time (`page_size` 1 to 100, default 50) with an opaque
//! `continuation_token` that is empty on the last page; a conditional
//! tuple comes back with its `condition`
//! (https://openfga.dev/api/service#/Relationship%20Tuples/Read).

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::SecondsFormat;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Fga;
use super::api::parse;
use super::error::FgaError;
use super::tuples::Filter;

const DEFAULT_PAGE_SIZE: usize = 50;
const MAX_PAGE_SIZE: i64 = 100;
/// Marks the sandbox's continuation tokens, so a forged one is refused.
const TOKEN_PREFIX: &str = "sandbox-read-offset:";

#[derive(Deserialize)]
pub struct ReadRequest {
    tuple_key: Option<PartialTupleKey>,
    page_size: Option<i64>,
    continuation_token: Option<String>,
}

#[derive(Deserialize)]
struct PartialTupleKey {
    user: Option<String>,
    relation: Option<String>,
    object: Option<String>,
}

pub async fn read(
    State(fga): State<Arc<Fga>>,
    Path(store): Path<String>,
    body: Result<Json<ReadRequest>, JsonRejection>,
) -> Result<Json<Value>, FgaError> {
    let request = parse(body)?;
    fga.check_store("ReadRequest", &store)?;
    let page_size = match request.page_size {
        None | Some(0) => DEFAULT_PAGE_SIZE,
        Some(size @ 1..=MAX_PAGE_SIZE) => usize::try_from(size).unwrap_or(DEFAULT_PAGE_SIZE),
        Some(_) => return Err(FgaError::page_size_invalid("ReadRequest")),
    };
    let offset = match request.continuation_token.as_deref() {
        None | Some("") => 0,
        Some(token) => decode_token(token).ok_or_else(FgaError::invalid_continuation_token)?,
    };
    let filter = request
        .tuple_key
        .map(filter)
        .transpose()?
        .unwrap_or_default();
    let matching = fga.tuples.read(&filter);
    let page: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(page_size)
        .map(|t| {
            json!({
                "key": t.key,
                "timestamp": t.timestamp.to_rfc3339_opts(SecondsFormat::Millis, true),
            })
        })
        .collect();
    let next = offset + page.len();
    let continuation_token = if next < matching.len() {
        encode_token(next)
    } else {
        String::new()
    };
    Ok(Json(
        json!({ "tuples": page, "continuation_token": continuation_token }),
    ))
}

/// OpenFGA's rules: with a `tuple_key`, `object` is required (a full object
/// or just `type:`), and a bare type needs a `user`.
fn filter(key: PartialTupleKey) -> Result<Filter, FgaError> {
    let non_empty = |v: Option<String>| v.filter(|s| !s.is_empty());
    let (user, relation, object) = (
        non_empty(key.user),
        non_empty(key.relation),
        non_empty(key.object),
    );
    let Some(object) = object else {
        return Err(FgaError::validation(
            "the 'object' field is required when a tuple_key is given",
        ));
    };
    if object.ends_with(':') && user.is_none() {
        return Err(FgaError::validation(
            "the 'user' field is required when the 'object' field is only a type",
        ));
    }
    Ok(Filter {
        user,
        relation,
        object: Some(object),
    })
}

fn encode_token(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("{TOKEN_PREFIX}{offset}"))
}

fn decode_token(token: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix(TOKEN_PREFIX)?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_tokens_round_trip_and_forgeries_fail() {
        assert_eq!(decode_token(&encode_token(7)), Some(7));
        assert_eq!(decode_token("not-a-token"), None);
        assert_eq!(decode_token(&URL_SAFE_NO_PAD.encode("7")), None);
    }
}
