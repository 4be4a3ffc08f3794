//! The address bar follows the open conversation without a page load, and
//! Back/Forward reopen the conversation in the address.

#[cfg(feature = "hydrate")]
use leptos::prelude::*;

use super::ChatState;

/// Records the app path `path` as a new history entry (browser only).
pub fn push(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let url = crate::base_path::href(path);
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Replaces the current entry (a new conversation got its id).
pub fn replace(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let url = crate::base_path::href(path);
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Whether the drawer was opened through its link before the page was
/// live. The fragment leaves the address (without an event), since from
/// now on the chat's state alone opens the drawer.
pub fn take_drawer_target() -> bool {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let location = window.location();
        if location.hash().ok().as_deref() == Some("#conversations") {
            let path = location.pathname().unwrap_or_default();
            let query = location.search().unwrap_or_default();
            if let Ok(history) = window.history() {
                let url = format!("{path}{query}");
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
            return true;
        }
    }
    false
}

/// The conversation id in a path like `/c/<id>`.
pub fn conversation_in(path: &str) -> Option<String> {
    path.strip_prefix("/c/")
        .filter(|id| !id.is_empty() && !id.contains('/'))
        .map(str::to_owned)
}

pub fn follow_back_and_forward(state: ChatState) {
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            let path = web_sys::window()
                .and_then(|w| w.location().pathname().ok())
                .unwrap_or_default();
            match conversation_in(crate::base_path::strip(&path)) {
                Some(id) => super::turn::open(state, id, false),
                None => {
                    state.conversation_id.set(None);
                    state.messages.set(Vec::new());
                }
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = state;
}

#[cfg(test)]
mod tests {
    use super::conversation_in;

    #[test]
    fn only_conversation_paths_name_a_conversation() {
        assert_eq!(conversation_in("/c/abc").as_deref(), Some("abc"));
        assert_eq!(conversation_in("/"), None);
        assert_eq!(conversation_in("/c/"), None);
        assert_eq!(conversation_in("/c/a/b"), None);
    }
}
