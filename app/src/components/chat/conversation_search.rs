//! Searching the conversations from the sidebar: what is typed is searched
//! once typing pauses, and the results replace the list until the box is
//! emptied (Escape empties it).

use std::time::Duration;

use leptos::prelude::*;

use super::ChatState;
use super::listing::{kept_current, shown};
use crate::api::{MAX_QUERY_CHARS, search_conversations};

/// Typing pauses this long before a search starts.
const PAUSE: Duration = Duration::from_millis(250);

/// The search box; `searched` is the text searched for ("" for none).
#[component]
pub fn SearchBox(searched: RwSignal<String>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let search_when_paused = move |value: String| {
        typed.set(value.clone());
        set_timeout(
            move || {
                if typed.get_untracked() == value {
                    searched.set(value);
                }
            },
            PAUSE,
        );
    };
    view! {
        <form class="conversation-search" role="search" on:submit=move |event| {
            event.prevent_default();
            searched.set(typed.get_untracked());
        }>
            <input
                type="search"
                aria-label="Search conversations"
                placeholder="Search conversations"
                maxlength=MAX_QUERY_CHARS.to_string()
                prop:value=move || typed.get()
                on:input=move |event| search_when_paused(event_target_value(&event))
                on:keydown=move |event| {
                    if event.key() == "Escape" {
                        typed.set(String::new());
                        searched.set(String::new());
                    }
                }
            />
        </form>
    }
}

/// The conversations that match `query`, newest first.
#[component]
pub fn SearchResults(query: String) -> impl IntoView {
    let state = expect_context::<ChatState>();
    let results = {
        let query = query.clone();
        kept_current(state, None, move || {
            search_conversations(query.clone(), None, None)
        })
    };
    move || {
        let empty = {
            let query = query.clone();
            move || {
                view! {
                    <p class="muted pad" role="status">
                        {format!("No conversation mentions “{query}”.")}
                    </p>
                }
                .into_any()
            }
        };
        shown(results.get(), "Searching…", empty, Some(query.clone()))
    }
}
