//! The session panel's list of where the user is signed in, with a way to
//! sign out one other session or all of them. It is asked for each time
//! the panel opens, so it is never older than the last look.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{
    AppError, SessionSummary, list_sessions, sign_out_other_sessions, sign_out_session,
};

type Listing = Option<Result<Vec<SessionSummary>, AppError>>;

#[component]
pub fn SignedInSessions(
    /// Bumped each time the panel opens.
    opened: ReadSignal<u32>,
) -> impl IntoView {
    let listing = RwSignal::<Listing>::new(None);
    let outcome = RwSignal::new(None::<String>);
    let reload = move || spawn_local(async move { listing.set(Some(list_sessions().await)) });
    Effect::new(move |_| {
        if opened.get() > 0 {
            reload();
        }
    });
    let others = move || {
        listing.with(|l| match l {
            Some(Ok(sessions)) => sessions.iter().filter(|s| !s.current).count(),
            _ => 0,
        })
    };
    let sign_out_others = move |_| {
        spawn_local(async move {
            outcome.set(Some(match sign_out_other_sessions().await {
                Ok(1) => "Signed out 1 other session.".to_owned(),
                Ok(ended) => format!("Signed out {ended} other sessions."),
                Err(error) => error.to_string(),
            }));
            reload();
        });
    };
    view! {
        <section class="signed-in-on" aria-labelledby="signed-in-on-heading">
            <h3 id="signed-in-on-heading">"Signed in on"</h3>
            <SessionRows listing outcome reload />
            <Show when=move || { others() > 0 }>
                <button class="button subtle" type="button" on:click=sign_out_others>
                    "Sign out other sessions"
                </button>
            </Show>
            <p class="muted" role="status" data-testid="sessions-outcome">
                {move || outcome.get()}
            </p>
        </section>
    }
}

#[component]
fn SessionRows(
    listing: RwSignal<Listing>,
    outcome: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    move || match listing.get() {
        None => view! { <p class="muted">"Loading…"</p> }.into_any(),
        Some(Err(error)) => view! { <p role="alert">{error.to_string()}</p> }.into_any(),
        Some(Ok(sessions)) => view! {
            <ul class="session-list">
                {sessions
                    .into_iter()
                    .map(|session| view! { <SessionRow session outcome reload /> })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    }
}

#[component]
fn SessionRow(
    session: SessionSummary,
    outcome: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let SessionSummary {
        handle,
        device,
        current,
        signed_in_label,
        last_seen_label,
        ..
    } = session;
    let ended_text = format!("Signed out {device}.");
    let label = format!("Sign out {device}, signed in {signed_in_label}");
    let sign_out = move |_| {
        let (handle, ended_text) = (handle.clone(), ended_text.clone());
        spawn_local(async move {
            outcome.set(Some(match sign_out_session(handle).await {
                Ok(()) => ended_text,
                Err(error) => error.to_string(),
            }));
            reload();
        });
    };
    view! {
        <li class="session-row" data-testid="session-row" data-current=current.to_string()>
            <span class="session-device">
                {device}
                {current.then(|| view! { <span class="badge">"This browser"</span> })}
            </span>
            <span class="session-times">
                "Signed in " <time>{signed_in_label}</time>
                " · last seen " <time>{last_seen_label}</time>
            </span>
            {(!current).then(|| view! {
                <button
                    class="button subtle"
                    type="button"
                    aria-label=label
                    on:click=sign_out.clone()
                >
                    "Sign out"
                </button>
            })}
        </li>
    }
}
