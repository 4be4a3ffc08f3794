//! Conversations, the signed-in user and sign-out.

use leptos::prelude::*;

use super::ChatState;
use super::conversation_search::{SearchBox, SearchResults};
use super::listing::{Listing, shown};
use crate::api::Viewer;

#[component]
pub fn Sidebar(viewer: Viewer, conversations: ReadSignal<Listing>) -> impl IntoView {
    let state = expect_context::<ChatState>();
    let searched = RwSignal::new(String::new());
    let expires = viewer.session.expires_label.clone();
    let scopes = viewer.session.scopes.join(" ");
    // Counts the session panel's openings; one opened before the page
    // was live counts once it is.
    let (opened, set_opened) = signal(0u32);
    let panel = NodeRef::<leptos::html::Details>::new();
    let count_if_open = move || {
        if panel
            .get_untracked()
            .is_some_and(|p| p.has_attribute("open"))
        {
            set_opened.update(|times| *times += 1);
        }
    };
    Effect::new(move |_| count_if_open());
    view! {
        <nav id="conversations" class="sidebar" aria-label="Conversations">
            <div class="sidebar-head">
                <span class="brand">
                    <span class="brand-mark small" aria-hidden="true">
                        "C"
                    </span>
                    "Custodian"
                </span>
                <button class="button new-chat" on:click=move |_| state.start_new()>
                    "New chat"
                </button>
            </div>
            <SearchBox searched />
            {move || {
                let query = searched.get();
                if !query.trim().is_empty() {
                    return view! { <SearchResults query /> }.into_any();
                }
                shown(
                    conversations.get(),
                    "Loading conversations…",
                    || view! { <p class="muted pad">"No conversations yet."</p> }.into_any(),
                    None,
                )
            }}
            <div class="sidebar-foot">
                <div class="who">
                    <span class="avatar" aria-hidden="true">
                        {viewer.initials.clone()}
                    </span>
                    <span class="who-text">
                        <span class="who-name">{viewer.name.clone()}</span>
                        <span class="who-email">{viewer.email.clone()}</span>
                    </span>
                </div>
                <details class="session-panel" node_ref=panel on:toggle=move |_| count_if_open()>
                    <summary>"Session details"</summary>
                    <dl>
                        <dt>"Signed in with"</dt>
                        <dd>{viewer.session.issuer}</dd>
                        <dt>"Scopes"</dt>
                        <dd>{scopes}</dd>
                        <dt>"Ends at the latest"</dt>
                        <dd>
                            <time>{expires}</time>
                        </dd>
                        <super::okta::OktaStatus />
                    </dl>
                    <super::temporary_access::TemporaryAccessList opened />
                    <super::sessions::SignedInSessions opened />
                </details>
                <super::shortcuts::ShortcutsHelp />
                // A plain link: the page checks who may read the log.
                <a class="button subtle audit-link" href=crate::base_path::href("/audit")>
                    "Audit log"
                </a>
                <form method="post" action=crate::base_path::href("/logout")>
                    <button class="button subtle sign-out" type="submit">
                        "Sign out"
                    </button>
                </form>
            </div>
        </nav>
    }
}
