//! `GET /okta/api/v1/users/{id}/groups?limit=&after=`, paged as Okta pages
//! (Users API, "List all groups" of a user: `limit` ≤ 200, default 200;
//! `after` is an opaque cursor taken from the `Link` header; see Okta's
//! "Pagination" and "Link header" design principles). Each page carries
//! `Link: <…>; rel="self"`, and `Link: <…after=…>; rel="next"` while more
//! remain, as separate `Link` headers.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Okta;
use super::directory::{OktaGroup, find_user, groups_of};
use super::error::OktaError;
use super::users::CREATED;

pub const MAX_LIMIT: usize = 200;

#[derive(Deserialize)]
pub struct PageParams {
    limit: Option<String>,
    after: Option<String>,
}

pub async fn list_groups(
    State(okta): State<Arc<Okta>>,
    Path(id): Path<String>,
    Query(params): Query<PageParams>,
) -> Result<(HeaderMap, Json<Value>), OktaError> {
    let user = find_user(&id).ok_or_else(|| OktaError::user_not_found(&id))?;
    let limit = page_size(params.limit.as_deref())?;
    let groups: Vec<&OktaGroup> = groups_of(user).collect();
    let start = match params.after.as_deref() {
        None => 0,
        Some(after) => groups
            .iter()
            .position(|g| g.id == after)
            .map(|i| i + 1)
            .ok_or_else(|| OktaError::validation("after: the cursor is not valid"))?,
    };
    let page = &groups[start.min(groups.len())..(start + limit).min(groups.len())];
    let base = okta.api_url(&format!("users/{}/groups", user.id));
    let mut headers = HeaderMap::new();
    let self_query = match params.after.as_deref() {
        Some(after) => format!("after={after}&limit={limit}"),
        None => format!("limit={limit}"),
    };
    headers.append(header::LINK, link(&base, &self_query, "self"));
    if let (Some(last), true) = (page.last(), start + limit < groups.len()) {
        let next = format!("after={}&limit={limit}", last.id);
        headers.append(header::LINK, link(&base, &next, "next"));
    }
    let body = page.iter().map(|g| group_json(&okta, g)).collect();
    Ok((headers, Json(Value::Array(body))))
}

/// A missing limit is the maximum; a larger one is capped to it.
fn page_size(limit: Option<&str>) -> Result<usize, OktaError> {
    match limit {
        None => Ok(MAX_LIMIT),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if n > 0 => Ok(n.min(MAX_LIMIT)),
            _ => Err(OktaError::validation(
                "limit: The limit must be a positive integer",
            )),
        },
    }
}

fn link(base: &str, query: &str, rel: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("<{base}?{query}>; rel=\"{rel}\"")).expect("ASCII link")
}

/// Groups API, "Group object".
fn group_json(okta: &Okta, group: &OktaGroup) -> Value {
    let me = okta.api_url(&format!("groups/{}", group.id));
    json!({
        "id": group.id,
        "created": CREATED,
        "lastUpdated": CREATED,
        "lastMembershipUpdated": CREATED,
        "objectClass": ["okta:user_group"],
        "type": "OKTA_GROUP",
        "profile": { "name": group.name, "description": group.description },
        "_links": {
            "logo": [
                { "name": "medium", "href": format!("{}/okta/img/logos/groups/okta-medium.png", okta.public_url), "type": "image/png" },
                { "name": "large", "href": format!("{}/okta/img/logos/groups/okta-large.png", okta.public_url), "type": "image/png" },
            ],
            "users": { "href": format!("{me}/users") },
            "apps": { "href": format!("{me}/apps") },
        },
    })
}
