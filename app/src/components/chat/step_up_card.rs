//! The live card of an approval waiting on the administrator's phone: what
//! will happen, the code to compare, a countdown, and the outcome. It
//! checks back by itself and shows what happened without a reload.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::ChatState;
use crate::api::{
    ChatMessage, MIN_CHECK_MS, MessageRole, SecondView, StepUpState, StepUpView, cancel_step_up,
    reveal_reset_link, state_label, step_up_status,
};
use crate::components::copy_button::CopyButton;

/// After a failed check, try again this much later.
const RETRY_AFTER: Duration = Duration::from_secs(3);

fn countdown(seconds: i64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

#[component]
pub fn StepUpCard(view: StepUpView) -> impl IntoView {
    let chat = expect_context::<ChatState>();
    let card = RwSignal::new(view);
    let left = RwSignal::new(card.get_untracked().seconds_left);
    // The revealed link, or why it could not be.
    let link = RwSignal::new(None::<Result<String, String>>);
    let id = card.get_untracked().id;
    let drop_id = id.clone();

    // Browser only: check back when the server says news can exist, and
    // tick the countdown. A card that turns final while shown adds its
    // outcome to the conversation, as a reload would show it.
    Effect::new({
        let id = id.clone();
        move |_| {
            if card.get_untracked().is_final() {
                return;
            }
            schedule_check(chat, card, id.clone(), card.get_untracked().check_again_ms);
            if let Ok(handle) = set_interval_with_handle(
                move || left.update(|s| *s = (*s - 1).max(0)),
                Duration::from_secs(1),
            ) {
                on_cleanup(move || handle.clear());
            }
        }
    });

    let cancel = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            spawn_local(async move {
                if let Ok(updated) = cancel_step_up(id).await {
                    settle(chat, card, updated);
                }
            });
        }
    };
    let reveal = move |_| {
        let id = id.clone();
        spawn_local(async move {
            link.set(Some(reveal_reset_link(id).await.map_err(|e| e.to_string())));
            card.update(|c| c.has_reset_link = false);
        });
    };

    view! {
        <article
            class=move || format!("step-up state-{}", card.read().state.as_str())
            aria-label="Approval request"
            data-testid="step-up"
            data-state=move || card.read().state.as_str()
        >
            <header class="step-up-head">
                <span class="step-up-badge" role="status">
                    {move || state_label(&card.read())}
                </span>
                <Show when=move || card.read().state == StepUpState::Pending>
                    <span class="step-up-countdown" aria-label="Time left">
                        {move || countdown(left.get())}
                    </span>
                </Show>
            </header>
            <p class="step-up-what">
                {move || {
                    let (access, target) = {
                        let card = card.read();
                        (card.access.clone(), card.target.clone())
                    };
                    match access {
                        Some(asked) => {
                            view! {
                                "Access to " {asked.access} ", asked of "
                                <strong>{asked.approver}</strong>
                            }
                                .into_any()
                        }
                        None => view! { "Reset the password of " <strong>{target}</strong> }.into_any(),
                    }
                }}
            </p>
            <p class="step-up-code">
                {move || {
                    if card.read().access.is_some() {
                        "Code on the approver's phone: "
                    } else {
                        "Code on your phone: "
                    }
                }}
                <strong class="binding-code" data-testid="binding-code">
                    {move || card.read().code.clone()}
                </strong>
            </p>
            {move || {
                let (second, own_approved) = {
                    let card = card.read();
                    (card.second.clone(), card.own_approved)
                };
                second.map(|second| view! { <ApprovalParts second own_approved /> })
            }}
            {move || {
                card.read()
                    .problem
                    .clone()
                    .map(|problem| view! { <p class="step-up-problem" role="alert">{problem}</p> })
            }}
            {move || {
                card.read()
                    .outcome
                    .clone()
                    .map(|outcome| view! { <p class="step-up-outcome">{outcome}</p> })
            }}
            <Show when=move || card.read().has_reset_link>
                <button class="button" on:click=reveal.clone()>
                    "Show the reset link (once)"
                </button>
            </Show>
            {move || {
                link.get()
                    .map(|revealed| match revealed {
                        Ok(url) => {
                            view! {
                                <div class="step-up-link">
                                    <p>
                                        <span>"One-time reset link: "</span>
                                        <code>{url.clone()}</code>
                                    </p>
                                    <p class="muted">
                                        "It works once, and it is not shown again: copy it now."
                                    </p>
                                    <CopyButton text=url label="Copy link" />
                                </div>
                            }
                                .into_any()
                        }
                        Err(problem) => {
                            view! { <p class="step-up-problem" role="alert">{problem}</p> }
                                .into_any()
                        }
                    })
            }}
            {move || {
                let until = card.read().access.as_ref().and_then(|a| a.active_until.clone())?;
                Some(view! { <EndAccess id=drop_id.clone() until /> })
            }}
            <Show when=move || card.read().state == StepUpState::Pending>
                <button class="button subtle" on:click=cancel.clone()>
                    "Cancel"
                </button>
            </Show>
            // Auditors see this request's entries; others are told why not.
            {move || {
                card.read()
                    .audit_query
                    .as_ref()
                    .map(|query| {
                        view! {
                            <a
                                class="step-up-audit"
                                href=crate::base_path::href(&format!("/audit?{query}"))
                            >
                                "Audit trail"
                            </a>
                        }
                    })
            }}
        </article>
    }
}

/// Dual control: each approval the reset waits for, and whether it is in.
#[component]
fn ApprovalParts(second: SecondView, own_approved: bool) -> impl IntoView {
    let label = |approved: bool| if approved { "Approved" } else { "Waiting" };
    view! {
        <ul class="step-up-parts" aria-label="Approvals needed">
            <li data-testid="approval-part" data-approved=own_approved.to_string()>
                "Yours: " <strong>{label(own_approved)}</strong>
            </li>
            <li data-testid="approval-part" data-approved=second.approved.to_string()>
                "Second administrator, " {second.approver} " (code "
                <strong class="binding-code">{second.code}</strong> "): "
                <strong>{label(second.approved)}</strong>
            </li>
        </ul>
    }
}

/// While granted access lasts: until when, and a plain form post that ends
/// it now (the page then shows the conversation again).
#[component]
fn EndAccess(id: String, until: String) -> impl IntoView {
    let chat = expect_context::<ChatState>();
    view! {
        <form
            class="step-up-end"
            method="post"
            action=crate::base_path::href("/access/drop")
        >
            <p>"Active until " {until}</p>
            <input
                type="hidden"
                name="conversation_id"
                value=move || chat.conversation_id.get().unwrap_or_default()
            />
            <input type="hidden" name="id" value=id />
            <button class="button subtle" type="submit">"End access now"</button>
        </form>
    }
}

/// Asks for the card's state after `delay_ms` (never sooner than
/// [`MIN_CHECK_MS`], whatever the server said), and again while it lasts.
fn schedule_check(chat: ChatState, card: RwSignal<StepUpView>, id: String, delay_ms: u64) {
    let delay_ms = delay_ms.max(MIN_CHECK_MS);
    set_timeout(
        move || {
            // The card may be gone (another conversation was opened).
            if card.try_get_untracked().is_none() {
                return;
            }
            spawn_local(async move {
                match step_up_status(id.clone()).await {
                    Ok(_) if card.try_get_untracked().is_none() => {}
                    Ok(updated) => {
                        let next = updated.check_again_ms;
                        let done = updated.is_final();
                        settle(chat, card, updated);
                        if !done {
                            schedule_check(chat, card, id, next);
                        }
                    }
                    Err(error) => {
                        card.update(|c| c.problem = Some(error.to_string()));
                        schedule_check(chat, card, id, RETRY_AFTER.as_millis() as u64);
                    }
                }
            });
        },
        Duration::from_millis(delay_ms),
    );
}

/// Applies a new state; an outcome that appears now joins the conversation.
fn settle(chat: ChatState, card: RwSignal<StepUpView>, updated: StepUpView) {
    let newly_final = updated.is_final() && !card.get_untracked().is_final();
    // The conversation's copy follows, so a re-render shows the same state.
    chat.messages.update(|messages| {
        if let Some(entry) = messages
            .iter_mut()
            .filter_map(|m| m.step_up.as_mut())
            .find(|s| s.id == updated.id)
        {
            *entry = updated.clone();
        }
    });
    if newly_final && let Some(outcome) = updated.outcome.clone() {
        let role = if updated.state == StepUpState::Completed {
            MessageRole::Assistant
        } else {
            MessageRole::Notice
        };
        // Rendered as the server renders it, so a reload shows the same.
        let message = match updated.outcome_html.clone() {
            Some(html) => ChatMessage::formatted(role, outcome, html),
            None => ChatMessage::new(role, outcome),
        };
        chat.messages.update(|messages| messages.push(message));
    }
    card.set(updated);
}
