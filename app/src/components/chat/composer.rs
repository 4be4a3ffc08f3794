//! Where messages are typed: Enter sends, Shift+Enter starts a new line.
//!
//! Until the page is live the composer is a plain form that posts to the
//! server, so a message sent early still gets its reply; once live, it
//! streams the reply in instead.

use leptos::prelude::*;

use super::{ChatState, turn};
use crate::api::MAX_MESSAGE_CHARS;

/// The composer form, which the suggestion buttons also submit.
pub const FORM_ID: &str = "composer";
const TEXT_ID: &str = "composer-text";

#[component]
pub fn Composer() -> impl IntoView {
    let state = expect_context::<ChatState>();
    let submit = move || turn::send(state, state.draft.get_untracked());
    view! {
        <form
            id=FORM_ID
            class="composer"
            method="post"
            action=crate::base_path::href("/messages")
            on:submit=move |event| {
                event.prevent_default();
                submit();
            }
        >
            <input
                type="hidden"
                name="conversation_id"
                value=move || state.conversation_id.get().unwrap_or_default()
            />
            <textarea
                id=TEXT_ID
                name="text"
                aria-label="Message"
                placeholder="Ask Custodian…"
                rows="1"
                required
                maxlength=MAX_MESSAGE_CHARS.to_string()
                prop:value=move || state.draft.get()
                prop:disabled=move || state.streaming.get()
                on:input=move |event| state.draft.set(event_target_value(&event))
                on:keydown=move |event| {
                    if event.key() == "Enter" && !event.shift_key() && !event.is_composing() {
                        event.prevent_default();
                        submit();
                    }
                }
            ></textarea>
            // Before the page is live an empty message is stopped by the
            // form itself (`required`), so the button stays usable.
            <button
                class="button primary send"
                type="submit"
                disabled=move || {
                    state.live.get()
                        && (state.streaming.get() || state.draft.with(|d| d.trim().is_empty()))
                }
            >
                "Send"
            </button>
        </form>
    }
}

/// The message box in the page.
#[cfg(feature = "hydrate")]
fn message_box() -> Option<web_sys::HtmlTextAreaElement> {
    use wasm_bindgen::JsCast;
    document()
        .get_element_by_id(TEXT_ID)
        .and_then(|element| element.dyn_into().ok())
}

/// Puts the cursor in the message box.
#[cfg(feature = "hydrate")]
pub fn focus() {
    if let Some(text) = message_box() {
        let _ = text.focus();
    }
}

/// What was typed before the page went live, so that going live keeps it.
pub fn typed_before_live() -> String {
    #[cfg(feature = "hydrate")]
    return message_box().map(|text| text.value()).unwrap_or_default();
    #[cfg(not(feature = "hydrate"))]
    String::new()
}
