//! Searching the signed-in user's conversations by title and text.

use leptos::prelude::*;

use super::json::BrowserJson;
use super::{AppError, ConversationListing};

/// Longer search text is refused.
pub const MAX_QUERY_CHARS: usize = 100;

/// The conversations whose title or messages contain `query` (any case),
/// newest first, a page at a time like `list_conversations`.
#[server(prefix = "/api", endpoint = "search_conversations", output = BrowserJson)]
pub async fn search_conversations(
    query: String,
    after: Option<String>,
    limit: Option<String>,
) -> Result<ConversationListing, AppError> {
    use custodian_core::store::SearchQuery;

    let session = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::Invalid(format!(
            "Searches are limited to {MAX_QUERY_CHARS} characters."
        )));
    }
    let query = SearchQuery::new(&query)
        .ok_or_else(|| AppError::Invalid("Type something to search for.".into()))?;
    let page = super::conversations::page_request(after.as_deref(), limit.as_deref())?;
    let found = custodian_core::store::search_conversations(
        state.store.as_ref(),
        &session.user.sub,
        &query,
        &page,
    )
    .await
    .map_err(crate::ssr::store_error)?;
    Ok(super::conversations::listing(found))
}
