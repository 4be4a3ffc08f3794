//! What a signed-out visitor sees.

use leptos::prelude::*;

#[component]
pub fn SignIn() -> impl IntoView {
    view! {
        <main class="sign-in">
            <section class="sign-in-card" aria-labelledby="sign-in-title">
                <div class="brand-mark" aria-hidden="true">"C"</div>
                <h1 id="sign-in-title">"Custodian"</h1>
                <p class="lede">
                    "Your IT administration assistant. Ask about a user's Okta groups or reset a password — every action is checked against your permissions, and sensitive ones wait for your approval on your phone."
                </p>
                <a class="button primary" href=crate::base_path::href("/login") rel="external">
                    "Sign in"
                </a>
                <p class="fine-print">"You sign in with your company identity."</p>
            </section>
        </main>
    }
}
