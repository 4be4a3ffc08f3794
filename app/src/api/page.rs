//! What the one page shows. The server reads it from the store before it
//! renders and writes it into the page as JSON; the browser reads that
//! back when it hydrates. So the page is rendered from one value on both
//! sides, and the bundle needs no async resource machinery to get it.

use serde::{Deserialize, Serialize};

use super::{AppError, ConversationListing, ConversationView, Viewer};

/// The chat as the signed-in user first sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignedInPage {
    pub viewer: Viewer,
    /// The sidebar's first page.
    pub conversations: ConversationListing,
    /// The conversation the address names, if it names one.
    pub conversation: Option<ConversationView>,
}

/// Signed out is `Ok(None)`; an address naming a conversation that is not
/// the user's is `Err(NotFound)`.
pub type PageContent = Result<Option<SignedInPage>, AppError>;

/// The `id` of the element that carries the page's content.
pub const PAGE_DATA_ID: &str = "page-data";

/// This page's content: on the server, what it read before rendering; in
/// the browser, what the server wrote into the page.
pub fn page_content() -> PageContent {
    #[cfg(feature = "ssr")]
    {
        crate::ssr::prefetched(|page| Some(page.content.clone())).unwrap_or_else(|| {
            tracing::error!("the page was rendered without its content");
            Err(AppError::Internal)
        })
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        leptos::prelude::document()
            .get_element_by_id(PAGE_DATA_ID)
            .and_then(|element| element.text_content())
            .and_then(|text| super::from_json(text.as_bytes()).ok())
            .unwrap_or(Err(AppError::Internal))
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Err(AppError::Internal)
    }
}

/// `content` as JSON that can sit inside a `<script>` element: `<` only
/// occurs inside JSON strings, where `\u003c` reads back as the same
/// text, so nothing in it can close the element or open a comment.
pub fn page_content_json(content: &PageContent) -> Result<String, serde_json::Error> {
    Ok(serde_json::to_string(content)?.replace('<', "\\u003c"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::from_json;

    #[test]
    fn text_that_could_end_the_script_reads_back_unchanged() {
        let content: PageContent = Err(AppError::Unavailable(
            "</script><script>alert(1)</script><!-- x".into(),
        ));
        let json = page_content_json(&content).unwrap();
        assert!(!json.contains('<'), "{json}");
        let read: PageContent = from_json(json.as_bytes()).unwrap();
        assert_eq!(read, content);
    }
}
