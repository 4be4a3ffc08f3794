//! The time-limited access the signed-in user holds now, as the session
//! panel lists it: read from FGA, which decides it, so the list is what
//! every check sees.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;
use super::json::BrowserJson;

/// Where the panel's "End now" posts (a plain form).
pub const END_ACCESS_PATH: &str = "/access/end";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldAccess {
    pub relation: String,
    /// "reset passwords".
    pub activity: String,
    /// When it lapses, for people.
    pub until: String,
}

#[server(prefix = "/api", endpoint = "temporary_access", output = BrowserJson)]
pub async fn temporary_access() -> Result<Vec<HeldAccess>, AppError> {
    let session = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    let grants = state
        .actions
        .fga
        .active_grants(&session.user.email)
        .await
        .map_err(|error| {
            tracing::warn!(%error, "could not list time-limited access");
            AppError::Unavailable("Auth0 FGA did not answer, so the list is not shown.".into())
        })?;
    Ok(grants
        .into_iter()
        .map(|grant| HeldAccess {
            relation: grant.permission.relation().to_owned(),
            activity: grant.permission.activity().to_owned(),
            until: custodian_core::elevation::text::until_label(grant.valid_until.timestamp()),
        })
        .collect())
}
