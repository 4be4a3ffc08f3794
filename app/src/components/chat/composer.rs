//! Where messages are typed: Enter sends, Shift+Enter starts a new line.

use leptos::prelude::*;

use super::{ChatState, turn};
use crate::api::MAX_MESSAGE_CHARS;

#[component]
pub fn Composer() -> impl IntoView {
    let state = expect_context::<ChatState>();
    let submit = move || turn::send(state, state.draft.get_untracked());
    view! {
        <form
            class="composer"
            on:submit=move |event| {
                event.prevent_default();
                submit();
            }
        >
            <textarea
                aria-label="Message"
                placeholder="Ask Custodian…"
                rows="1"
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
            <button
                class="button primary send"
                type="submit"
                disabled=move || state.streaming.get() || state.draft.with(|d| d.trim().is_empty())
            >
                "Send"
            </button>
        </form>
    }
}
