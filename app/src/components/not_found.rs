use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="centered">
            <h1>"Page not found"</h1>
            <p>
                <a href=crate::base_path::href("/")>"Back to Custodian"</a>
            </p>
        </main>
    }
}
