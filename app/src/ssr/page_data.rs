//! Everything the chat page shows, read from the store before it renders.
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

use super::AppState;
use crate::api::{
    AppError, ConversationListing, ConversationView, DEFAULT_PAGE_SIZE, Viewer, read_conversation,
    read_listing, viewer_of,
};
use crate::components::chat::conversation_in;

/// What the signed-in page shows: who is signed in, the sidebar's first
/// page and the open conversation. Signed out, all three are empty.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PageData {
    /// The address without the base path (it names the conversation).
    pub path: String,
    pub viewer: Option<Viewer>,
    pub conversations: Option<ConversationListing>,
    pub conversation: Option<ConversationView>,
}

impl PageData {
    /// Reads what the page at `path` shows to `session`'s user.
    pub async fn read(
        state: &AppState,
        session: Option<&SessionRecord>,
        path: &str,
    ) -> Result<Self, AppError> {
        let Some(session) = session else {
            return Ok(Self {
                path: path.to_owned(),
                viewer: None,
                conversations: None,
                conversation: None,
            });
        };
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
        Ok(Self {
            path: path.to_owned(),
            viewer: Some(viewer_of(session, &state.settings)),
            conversations: Some(conversations),
            conversation,
        })
    }

    /// The bytes that identify this value exactly (never a hash: two
    /// users' pages must never be taken for one another). `None` if it
    /// cannot be written out, and then nothing is remembered.
    pub fn key(&self) -> Option<Vec<u8>> {
        serde_json::to_vec(self).ok()
    }
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
