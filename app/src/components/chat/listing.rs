//! A page of conversations that follows the list's changes: asked again
//! whenever the chat bumps its list version, and only the answer to the
//! latest ask is shown, so an older answer that arrives late is dropped.
//! Plain signals and a spawned task, not a resource: the bundle then
//! carries none of Leptos' async rendering (about 22 KB brotli).

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::ChatState;
use super::conversation_list::ConversationList;
use crate::api::{AppError, ConversationListing};

/// What a listing shows: `None` until the first answer.
pub type Listing = Option<Result<ConversationListing, AppError>>;

/// Starts from `first` and asks `fetch` again on every change to the list;
/// with no `first`, it asks at once.
pub fn kept_current<F, Fut>(state: ChatState, first: Listing, fetch: F) -> ReadSignal<Listing>
where
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<ConversationListing, AppError>> + 'static,
{
    let asks_at_once = first.is_none();
    let listing = RwSignal::new(first);
    // Effects run only in the browser, once the page is live.
    Effect::new(move |seen: Option<u32>| {
        let version = state.list_version.get();
        if seen.is_some() || asks_at_once {
            let answer = fetch();
            spawn_local(async move {
                let answer = answer.await;
                if state.list_version.get_untracked() == version {
                    // A listing closed meanwhile (a search replaced) takes
                    // nothing.
                    let _ = listing.try_set(Some(answer));
                }
            });
        }
        version
    });
    listing.read_only()
}

/// How a listing looks: `waiting` until the first answer, `empty` when it
/// has no conversation, else its conversations (a search's when `query` is
/// set) or its error.
pub fn shown(
    listing: Listing,
    waiting: &'static str,
    empty: impl FnOnce() -> AnyView,
    query: Option<String>,
) -> AnyView {
    match listing {
        None => view! { <p class="muted pad">{waiting}</p> }.into_any(),
        Some(Ok(first)) if first.conversations.is_empty() => empty(),
        Some(Ok(first)) => view! { <ConversationList first query /> }.into_any(),
        Some(Err(error)) => {
            view! { <p class="muted pad" role="alert">{error.to_string()}</p> }.into_any()
        }
    }
}
