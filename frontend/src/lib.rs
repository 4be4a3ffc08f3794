#![recursion_limit = "256"]
//! The browser half of Custodian: hydrates the server-rendered page.

use app::base_path::{BasePath, META_NAME};
use leptos::prelude::*;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let base = base_path_of_page();
    if !base.is_empty() {
        // Server functions live under the base path too; the URL is set
        // once for the page's lifetime, so leaking it is the intent.
        leptos::server_fn::client::set_server_url(Box::leak(base.clone().into_boxed_str()));
    }
    leptos::mount::hydrate_body(move || {
        provide_context(BasePath(base));
        view! { <app::App /> }
    });
}

/// The base path the server wrote into the page ("" when served at the root).
fn base_path_of_page() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("meta[name=\"{META_NAME}\"]"))
                .ok()
                .flatten()
        })
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_default()
}
