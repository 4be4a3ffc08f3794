//! Everything the page shows, read from the store before it renders.
//! The page is a pure function of this data and the address, so a server
//! may keep the HTML it rendered for one value and send it again while
//! the store still answers the same (the server's page memo). The render
//! then reads this very value instead of asking the store again, so the
//! HTML can never show something other than what its key says.

use std::sync::Arc;

use custodian_core::store::{ConversationPage, SessionRecord};
use http::request::Parts;
use leptos::prelude::*;
use serde::Serialize;

use super::{AppState, CurrentSession};
use crate::api::{
    AppError, DEFAULT_PAGE_SIZE, PageContent, SignedInPage, page_content_json, read_conversation,
    read_listing, viewer_of,
};
use crate::components::chat::conversation_in;

/// What the page at `path` shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PageData {
    /// The address without the base path (it names the conversation).
    pub path: String,
    pub content: PageContent,
}

impl PageData {
    /// Reads what the page at `path` shows to the request's user.
    pub async fn read(state: &AppState, session: &CurrentSession, path: &str) -> Self {
        let content = match session {
            CurrentSession::SignedIn(session) => signed_in(state, session, path).await.map(Some),
            CurrentSession::SignedOut => Ok(None),
            CurrentSession::Unknown => Err(super::session::unknown()),
        };
        Self {
            path: path.to_owned(),
            content,
        }
    }

    /// The bytes that identify this value exactly (never a hash: two
    /// users' pages must never be taken for one another). `None` for an
    /// error, which may pass, or if it cannot be written out: then nothing
    /// is remembered.
    pub fn key(&self) -> Option<Vec<u8>> {
        if self.content.is_err() {
            return None;
        }
        serde_json::to_vec(self).ok()
    }
}

async fn signed_in(
    state: &AppState,
    session: &SessionRecord,
    path: &str,
) -> Result<SignedInPage, AppError> {
    let sub = &session.user.sub;
    let first_page = ConversationPage {
        limit: DEFAULT_PAGE_SIZE,
        after: None,
    };
    let conversations = read_listing(state, sub, &first_page).await?;
    // Found as the render finds it, base path and all.
    let base = state.settings.app.path_prefix();
    let conversation = match conversation_in(crate::base_path::strip_base(path, base)) {
        Some(id) => Some(read_conversation(state, sub, &id).await?),
        None => None,
    };
    Ok(SignedInPage {
        viewer: viewer_of(session, &state.settings),
        conversations,
        conversation,
    })
}

/// Reads the page data the server put into this request's extensions, if
/// it did: the render then shows exactly that.
pub fn prefetched<T>(read: impl FnOnce(&PageData) -> Option<T>) -> Option<T> {
    with_context::<Parts, _>(|parts| {
        parts
            .extensions
            .get::<Arc<PageData>>()
            .and_then(|page| read(page))
    })
    .flatten()
}

/// The page's content as the JSON the browser reads when it hydrates.
pub fn page_data_json() -> Option<String> {
    prefetched(|page| {
        page_content_json(&page.content)
            .inspect_err(|error| tracing::error!(error = %error, "writing the page data failed"))
            .ok()
    })
}
