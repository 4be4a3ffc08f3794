//! The one page: the chat for a signed-in user, the sign-in card otherwise.

use leptos::prelude::*;

use crate::api::{AppError, JsonResource, current_viewer, load_conversation};
use crate::components::chat::ChatLayout;
use crate::components::sign_in::SignIn;

#[component]
pub fn Home() -> impl IntoView {
    let id = crate::components::chat::conversation_in_address();
    // Blocking, so the first HTML already is the right page (no flash of
    // the sign-in card for a signed-in user).
    let page = JsonResource::new_with_options(
        move || id.clone(),
        |id| async move {
            let Some(viewer) = current_viewer().await? else {
                return Ok::<_, AppError>(None);
            };
            let conversation = match id {
                Some(id) => Some(load_conversation(id).await?),
                None => None,
            };
            Ok(Some((viewer, conversation)))
        },
        true,
    );

    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Some((viewer, conversation))) => {
                        view! { <ChatLayout viewer conversation /> }.into_any()
                    }
                    Ok(None) | Err(AppError::SignedOut) => view! { <SignIn /> }.into_any(),
                    Err(AppError::NotFound) => {
                        view! { <crate::components::not_found::NotFound /> }.into_any()
                    }
                    Err(error) => view! { <PageError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PageError(error: AppError) -> impl IntoView {
    view! {
        <main class="centered">
            <h1>"Custodian is unavailable"</h1>
            <p role="alert">{error.to_string()}</p>
            <p>
                <a href=crate::base_path::href("/")>"Try again"</a>
            </p>
        </main>
    }
}
