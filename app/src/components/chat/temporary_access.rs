//! The session panel's list of time-limited access the user holds, each
//! with "End now" (a plain form post). Asked for each time the panel
//! opens, like the list of sessions.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::ChatState;
use crate::api::{AppError, END_ACCESS_PATH, HeldAccess, temporary_access};

type Listing = Option<Result<Vec<HeldAccess>, AppError>>;

#[component]
pub fn TemporaryAccessList(
    /// Bumped each time the panel opens.
    opened: ReadSignal<u32>,
) -> impl IntoView {
    let listing = RwSignal::<Listing>::new(None);
    Effect::new(move |_| {
        if opened.get() > 0 {
            spawn_local(async move { listing.set(Some(temporary_access().await)) });
        }
    });
    view! {
        <section class="temporary-access" aria-labelledby="temporary-access-heading">
            <h3 id="temporary-access-heading">"Temporary access"</h3>
            {move || match listing.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(error)) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
                Some(Ok(held)) if held.is_empty() => {
                    view! { <p class="muted">"None right now."</p> }.into_any()
                }
                Some(Ok(held)) => view! {
                    <ul class="access-list">
                        {held.into_iter().map(|access| view! { <AccessRow access /> }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn AccessRow(access: HeldAccess) -> impl IntoView {
    let chat = expect_context::<ChatState>();
    view! {
        <li>
            <span>{format!("You may {} until {}", access.activity, access.until)}</span>
            <form method="post" action=crate::base_path::href(END_ACCESS_PATH)>
                <input type="hidden" name="relation" value=access.relation />
                <input
                    type="hidden"
                    name="conversation_id"
                    value=move || chat.conversation_id.get().unwrap_or_default()
                />
                <button class="button subtle" type="submit">"End now"</button>
            </form>
        </li>
    }
}
