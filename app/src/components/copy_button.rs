//! A button that puts a text on the clipboard and says whether it did.

use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn CopyButton(text: String, label: &'static str) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let copy = move |_| {
        let text = text.clone();
        spawn_local(async move { copied.set(Some(write_clipboard(&text).await)) });
    };
    view! {
        <button class="button" type="button" on:click=copy>
            {label}
        </button>
        <span class="copy-result" aria-live="polite">
            {move || match copied.get() {
                Some(true) => "Copied.",
                Some(false) => "Could not copy: select the text and copy it.",
                None => "",
            }}
        </span>
    }
}

#[cfg(feature = "hydrate")]
async fn write_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let written = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(written).await.is_ok()
}

#[cfg(not(feature = "hydrate"))]
async fn write_clipboard(_text: &str) -> bool {
    false
}
