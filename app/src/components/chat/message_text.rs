//! A message's words: the server's rendering of its Markdown when there is
//! one, then any line still streaming in as plain text.

use leptos::prelude::*;

use crate::api::ChatMessage;

#[component]
pub fn MessageText(message: ChatMessage) -> impl IntoView {
    // The rendered part ends a block, so the line after it starts anew.
    let tail = message
        .unformatted_tail()
        .trim_start_matches('\n')
        .to_owned();
    match message.formatted {
        None => view! { <p class="message-text">{message.text}</p> }.into_any(),
        Some(formatted) => view! {
            <div class="message-text">
                // Safe by construction: the server renders Markdown into a
                // fixed set of tags and shows any HTML in it as text.
                <div class="markdown" inner_html=formatted.html></div>
                {(!tail.is_empty()).then(|| view! { <p class="streaming-line">{tail}</p> })}
            </div>
        }
        .into_any(),
    }
}
