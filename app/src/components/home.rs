//! The one page: the chat for a signed-in user, the sign-in card otherwise.

use leptos::prelude::*;

use crate::api::{AppError, page_content};
use crate::components::chat::ChatLayout;
use crate::components::sign_in::SignIn;

/// Rendered from the content the server read before rendering, so the
/// first HTML already is the right page (no flash of the sign-in card for
/// a signed-in user) and hydration starts from the very same value.
#[component]
pub fn Home() -> impl IntoView {
    match page_content() {
        Ok(Some(page)) => view! { <ChatLayout page /> }.into_any(),
        Ok(None) | Err(AppError::SignedOut) => view! { <SignIn /> }.into_any(),
        Err(AppError::NotFound) => view! { <crate::components::not_found::NotFound /> }.into_any(),
        Err(error) => view! { <PageError error /> }.into_any(),
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
