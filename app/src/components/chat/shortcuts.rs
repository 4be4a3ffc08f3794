//! Keyboard shortcuts for a new chat and for the message box, and the
//! popover that lists them.

use leptos::prelude::*;

use super::ChatState;

/// The shortcuts as the popover lists them: keys, then what they do.
const SHORTCUTS: [(&str, &str); 2] = [
    ("Alt + Shift + N", "Start a new chat"),
    ("/  or  Shift + Esc", "Go to the message box"),
];

/// Listens for the shortcuts while the chat is shown (browser only).
pub fn listen(state: ChatState) {
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::keydown, move |event| {
            let new_chat = event.alt_key() && event.shift_key() && event.code() == "KeyN";
            let to_message = (event.key() == "/" && !typing_in_a_field())
                || (event.shift_key() && event.key() == "Escape");
            if new_chat {
                state.start_new();
            }
            if new_chat || to_message {
                event.prevent_default();
                super::composer::focus();
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = state;
}

/// Whether the key goes into a text field, where `/` is just a character.
#[cfg(feature = "hydrate")]
fn typing_in_a_field() -> bool {
    document()
        .active_element()
        .is_some_and(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA"))
}

/// A button that opens the list of shortcuts; a native popover, so it
/// opens and closes (Esc, a click outside) without the page being live.
#[component]
pub fn ShortcutsHelp() -> impl IntoView {
    view! {
        <button class="button subtle shortcuts-button" type="button" popovertarget="shortcuts">
            "Keyboard shortcuts"
        </button>
        <div id="shortcuts" class="shortcuts" popover="auto" role="dialog" aria-label="Keyboard shortcuts">
            <h2>"Keyboard shortcuts"</h2>
            <dl>
                {SHORTCUTS
                    .map(|(keys, what)| {
                        view! {
                            <dt>
                                <kbd>{keys}</kbd>
                            </dt>
                            <dd>{what}</dd>
                        }
                    })
                    .collect_view()}
                <dt>
                    <kbd>"Enter"</kbd>
                    " / "
                    <kbd>"Shift + Enter"</kbd>
                </dt>
                <dd>"Send / new line, in the message box"</dd>
            </dl>
        </div>
    }
}
