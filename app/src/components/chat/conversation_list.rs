//! The sidebar's conversation links, newest first: the first page comes
//! with the sidebar, and "Show older conversations" adds the next page
//! until there is none.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::conversation_row::ConversationRow;
use crate::api::{
    ConversationListing, ConversationSummary, list_conversations, search_conversations,
};

/// `query` set: the pages are a search's.
#[component]
pub fn ConversationList(
    first: ConversationListing,
    #[prop(optional_no_strip)] query: Option<String>,
) -> impl IntoView {
    let shown = RwSignal::new(first.conversations);
    let next = RwSignal::new(first.next);
    let loading = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let query = StoredValue::new(query);
    let show_older = move |_| {
        let Some(after) = next.get_untracked() else {
            return;
        };
        loading.set(true);
        spawn_local(async move {
            let page = match query.get_value() {
                Some(query) => search_conversations(query, Some(after), None).await,
                None => list_conversations(Some(after), None).await,
            };
            match page {
                Ok(page) => {
                    shown.update(|list| list.extend(page.conversations));
                    next.set(page.next);
                    problem.set(None);
                }
                Err(error) => problem.set(Some(error.to_string())),
            }
            loading.set(false);
        });
    };
    view! {
        {move || view! { <ConversationLinks list=shown.get() /> }}
        <Show when=move || next.with(Option::is_some)>
            <button
                class="button subtle show-older"
                type="button"
                disabled=move || loading.get()
                aria-busy=move || loading.get().to_string()
                on:click=show_older
            >
                "Show older conversations"
            </button>
        </Show>
        {move || problem.get().map(|text| view! { <p class="muted pad" role="alert">{text}</p> })}
    }
}

#[component]
fn ConversationLinks(list: Vec<ConversationSummary>) -> impl IntoView {
    view! {
        <ul class="conversation-list">
            {list
                .into_iter()
                .map(|conversation| view! { <ConversationRow conversation /> })
                .collect_view()}
        </ul>
    }
}
