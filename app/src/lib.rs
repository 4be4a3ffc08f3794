#![recursion_limit = "256"]
//! Custodian's user interface: components, routes and the server functions
//! they call. Built with `ssr` into the server and with `hydrate` into the
//! WebAssembly bundle.

pub mod api;
pub mod base_path;
pub mod components;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;

use components::home::Home;

/// The CSP nonce the server minted for this response; the shell hands it to
/// Leptos so its hydration script may run under the policy.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Until the page is live the composer is a plain form, where Enter in a
/// textarea would only add a line: this sends it, as the live composer
/// does (Shift+Enter still adds a line). Once the page is live the
/// composer's own handler takes over. Written without `<`, `>` or `&`, so
/// the text needs no escaping inside the element.
#[cfg(feature = "ssr")]
const EARLY_ENTER: &str = r#"document.addEventListener("keydown", function (e) {
  var t = e.target;
  if (e.key !== "Enter" || e.shiftKey || e.isComposing || t.id !== "composer-text" || document.body.hasAttribute("data-hydrated")) return;
  e.preventDefault();
  if (t.value.trim()) t.form.requestSubmit();
});"#;

/// The HTML document around the app (server only).
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let nonce = with_context::<http::request::Parts, _>(|parts| {
        parts
            .extensions
            .get::<CspNonce>()
            .map(|CspNonce(nonce)| nonce.clone())
    });
    let nonce = nonce.flatten();
    if let Some(nonce) = nonce.clone() {
        provide_context(Nonce::from_value(nonce));
    }
    // JSON, never run; it carries the nonce all the same, so every
    // script element in the page is one the server vouches for.
    let page_data = ssr::page_data_json().map(|json| {
        view! {
            <script type="application/json" id=api::PAGE_DATA_ID nonce=nonce.clone() inner_html=json></script>
        }
    });
    let early_enter = nonce.map(|nonce| view! { <script nonce=nonce>{EARLY_ENTER}</script> });
    let base = base_path::base_path();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <meta name=base_path::META_NAME content=base.clone() />
                <title>"Custodian"</title>
                <link rel="icon" href=format!("{base}/favicon.svg") type="image/svg+xml" />
                <link rel="stylesheet" href=format!("{base}/pkg/custodian.css") />
                <HydrationScripts options root=base />
                {early_enter}
                {page_data}
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The whole app is one page: the server routes only `/` and `/c/<id>` to
/// it, and the chat moves between conversations itself, so no client-side
/// router is shipped in the bundle.
#[component]
pub fn App() -> impl IntoView {
    // Effects run only in the browser, after hydration: the marker tells
    // end-to-end tests (and curious people) that the page is live.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
    view! { <Home /> }
}
