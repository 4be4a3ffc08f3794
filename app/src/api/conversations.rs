//! The signed-in user's stored conversations.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;
use super::json::BrowserJson;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: String,
    pub title: String,
    pub updated_at: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageRole {
    User,
    Assistant,
    Notice,
    /// A step-up approval card (its `step_up` is set).
    StepUp,
}

impl MessageRole {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageRole::User => "user",
            MessageRole::Assistant => "assistant",
            MessageRole::Notice => "notice",
            MessageRole::StepUp => "stepup",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: MessageRole,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_up: Option<super::StepUpView>,
    /// The text as Markdown rendered by the server, for replies and notices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formatted: Option<Formatted>,
}

/// Safe HTML the server rendered from the first `covers` bytes of a
/// message's text; the rest, a line still streaming in, shows as text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Formatted {
    pub html: String,
    pub covers: usize,
}

impl ChatMessage {
    pub fn new(role: MessageRole, text: String) -> Self {
        Self {
            role,
            text,
            step_up: None,
            formatted: None,
        }
    }

    /// A message whose whole text the server has rendered.
    pub fn formatted(role: MessageRole, text: String, html: String) -> Self {
        let covers = text.len();
        Self {
            formatted: Some(Formatted { html, covers }),
            ..Self::new(role, text)
        }
    }

    /// The part of the text not covered by the rendered HTML yet.
    pub fn unformatted_tail(&self) -> &str {
        let covers = self.formatted.as_ref().map_or(0, |f| f.covers);
        self.text.get(covers..).unwrap_or_default()
    }

    pub fn card(step_up: super::StepUpView) -> Self {
        Self {
            role: MessageRole::StepUp,
            text: String::new(),
            step_up: Some(step_up),
            formatted: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationView {
    pub id: String,
    pub title: String,
    pub messages: Vec<ChatMessage>,
}

/// Summaries per page when the browser names no `limit`.
pub const DEFAULT_PAGE_SIZE: u32 = 30;
/// The most one page may ask for.
pub const MAX_PAGE_SIZE: u32 = 100;

/// One page of the sidebar: newest first, and where the next one starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationListing {
    pub conversations: Vec<ConversationSummary>,
    /// Opaque; pass it back as `after` for the next page. `None` on the last.
    pub next: Option<String>,
}

/// The signed-in user's conversations, a page at a time. `after` is a
/// previous page's `next`. `limit` (default 30, at most 100) arrives as
/// text so that a malformed one gets the same clear refusal as a big one.
#[server(prefix = "/api", endpoint = "list_conversations", output = BrowserJson)]
pub async fn list_conversations(
    after: Option<String>,
    limit: Option<String>,
) -> Result<ConversationListing, AppError> {
    let session = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    let page = page_request(after.as_deref(), limit.as_deref())?;
    read_listing(&state, &session.user.sub, &page).await
}

/// One page of `sub`'s conversations, as the sidebar lists them.
#[cfg(feature = "ssr")]
pub async fn read_listing(
    state: &crate::ssr::AppState,
    sub: &str,
    page: &custodian_core::store::ConversationPage,
) -> Result<ConversationListing, AppError> {
    let listed = state
        .store
        .list_conversations(sub, page)
        .await
        .map_err(crate::ssr::store_error)?;
    Ok(listing(listed))
}

/// The page a browser asks for with `after` (a previous page's `next`)
/// and `limit`.
#[cfg(feature = "ssr")]
pub fn page_request(
    after: Option<&str>,
    limit: Option<&str>,
) -> Result<custodian_core::store::ConversationPage, AppError> {
    use custodian_core::store::{ConversationCursor, ConversationPage};

    let after = match after {
        None | Some("") => None,
        Some(cursor) => Some(ConversationCursor::decode(cursor).ok_or_else(|| {
            AppError::Invalid("That page of conversations does not exist; reload the page.".into())
        })?),
    };
    Ok(ConversationPage {
        limit: page_size(limit)?,
        after,
    })
}

/// A stored page as the browser sees it.
#[cfg(feature = "ssr")]
pub fn listing(listed: custodian_core::store::ConversationList) -> ConversationListing {
    ConversationListing {
        conversations: listed
            .conversations
            .into_iter()
            .map(|s| ConversationSummary {
                id: s.id,
                title: s.title,
                updated_at: s.updated_at,
            })
            .collect(),
        next: listed.next.map(|next| next.encode()),
    }
}

/// `limit` as asked: absent means the default; anything but a whole
/// number from 1 to the maximum is refused, naming the limit.
pub fn page_size(limit: Option<&str>) -> Result<u32, AppError> {
    let Some(limit) = limit.map(str::trim).filter(|l| !l.is_empty()) else {
        return Ok(DEFAULT_PAGE_SIZE);
    };
    limit
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
        .ok_or_else(|| {
            AppError::Invalid(format!(
                "`limit` must be a whole number from 1 to {MAX_PAGE_SIZE} (conversations per page)."
            ))
        })
}

#[server(prefix = "/api", endpoint = "load_conversation", output = BrowserJson)]
pub async fn load_conversation(id: String) -> Result<ConversationView, AppError> {
    let session = crate::ssr::require_session().await?;
    let state = crate::ssr::state()?;
    read_conversation(&state, &session.user.sub, &id).await
}

/// `sub`'s conversation `id` with its messages and approval cards in order.
#[cfg(feature = "ssr")]
pub async fn read_conversation(
    state: &crate::ssr::AppState,
    sub: &str,
    id: &str,
) -> Result<ConversationView, AppError> {
    let conversation = state
        .store
        .get_conversation(sub, id)
        .await
        .map_err(crate::ssr::store_error)?
        .ok_or(AppError::NotFound)?;
    let step_ups = state
        .store
        .list_step_ups(sub, id)
        .await
        .map_err(crate::ssr::store_error)?;
    Ok(ConversationView {
        id: conversation.id,
        title: conversation.title,
        messages: crate::ssr::timeline(conversation.messages, step_ups),
    })
}
