//! Rate limits through the real router against the sandbox: approval
//! pushes and pending approvals per user (with either agent host), sign-in
//! starts per client address, chat turns per user. Each test sets its
//! limits low through the settings; the counts live in the test's store.

use std::net::IpAddr;

use reqwest::{Client, StatusCode};
use serde_json::Value;
use test_support::http::browser_from;
use test_support::users::ADMIN_SUB;

use crate::helpers::{
    ADMIN, GROUPS_QUESTION, Options, TestApp, Turn, ask, captured_logs, session_cookie,
    spawn_app_with,
};

const RESET: &str = "Reset the password for bob@example.com";

pub(crate) fn with_limits(limits: &[(&'static str, &str)]) -> Options {
    Options {
        settings: limits.iter().map(|&(k, v)| (k, v.to_owned())).collect(),
        ..Options::default()
    }
}

/// The seconds a refusal says to wait, from its closing "Try again in N
/// seconds." (or minutes).
fn retry_seconds(notice: &str) -> i64 {
    let when = notice
        .rsplit_once("Try again in ")
        .unwrap_or_else(|| panic!("no retry time in {notice:?}"))
        .1;
    let (number, unit) = when.split_once(' ').unwrap();
    let number: i64 = number.parse().unwrap();
    if unit.starts_with("minute") {
        number * 60
    } else {
        number
    }
}

/// The one approval card a turn showed: its id.
fn card_id(turn: &Turn) -> String {
    let cards = turn.of("step_up");
    assert_eq!(cards.len(), 1, "one card: {:?}", turn.events);
    cards[0]["step_up"]["id"].as_str().unwrap().to_owned()
}

async fn cancel(app: &TestApp, client: &Client, id: &str) {
    let response = app.server_fn(client, "cancel_step_up", &[("id", id)]).await;
    assert!(response.status().is_success(), "{}", response.status());
    let view: Value = response.json().await.unwrap();
    assert_eq!(view["state"], "cancelled", "{view}");
}

async fn ciba_requests(app: &TestApp) -> usize {
    app.sandbox_get("ciba/requests")
        .await
        .as_array()
        .unwrap()
        .len()
}

/// The stored messages of the admin's conversation `id`.
async fn stored(app: &TestApp, id: &str) -> Vec<(String, String)> {
    let conversation = app.store().await.get_conversation(ADMIN_SUB, id).await;
    conversation
        .unwrap()
        .unwrap()
        .messages
        .into_iter()
        .map(|m| (m.role.as_str().to_owned(), m.text))
        .collect()
}

fn audited(event: &str, outcome: &str) -> bool {
    captured_logs()
        .lines()
        .any(|line| line.contains(event) && line.contains(outcome))
}

#[tokio::test]
async fn the_sixth_push_in_a_minute_is_refused_with_when_to_retry() {
    let app = spawn_app_with(with_limits(&[("LIMITS__STEP_UP_PUSHES_PER_MINUTE", "5")])).await;
    let client = app.sign_in(ADMIN).await;
    for _ in 0..5 {
        let turn = ask(&app, &client, None, RESET).await;
        // Answered at once, so only the per-minute limit is in play.
        cancel(&app, &client, &card_id(&turn)).await;
    }
    assert_eq!(ciba_requests(&app).await, 5);

    let refused = ask(&app, &client, None, RESET).await;
    assert!(refused.of("step_up").is_empty(), "{:?}", refused.events);
    let notices = refused.notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    let notice = &notices[0];
    assert!(
        notice.starts_with(
            "Limit reached: Approval requests are limited to 5 requests a minute for each person"
        ),
        "{notice}"
    );
    assert!(notice.contains("none was sent and the password of bob@example.com was not reset"));
    assert!((1..=60).contains(&retry_seconds(notice)), "{notice}");
    assert_eq!(
        ciba_requests(&app).await,
        5,
        "no sixth push reached the phone"
    );
    let messages = stored(&app, &refused.conversation_id).await;
    assert!(
        messages.contains(&("notice".to_owned(), notice.clone())),
        "{messages:?}"
    );
    assert!(audited("step_up.refused", "rate-limited"));
}

/// With the harness the BFF runs the action itself: the same limit, the
/// same notice.
#[tokio::test]
async fn a_fourth_pending_request_waits_until_one_is_answered() {
    let app = spawn_app_with(Options {
        agent_host: Some("agentcore-harness"),
        ..with_limits(&[
            ("LIMITS__PENDING_STEP_UPS", "3"),
            ("LIMITS__STEP_UP_PUSHES_PER_MINUTE", "5"),
        ])
    })
    .await;
    let client = app.sign_in(ADMIN).await;
    let mut pending = Vec::new();
    for _ in 0..3 {
        pending.push(card_id(&ask(&app, &client, None, RESET).await));
    }

    let refused = ask(&app, &client, None, RESET).await;
    assert!(refused.of("step_up").is_empty(), "{:?}", refused.events);
    let notice = refused.notices().concat();
    assert!(
        notice.starts_with(
            "Limit reached: You already have 3 approval requests waiting on your phone"
        ),
        "{notice}"
    );
    assert!(notice.contains("Answer or cancel one of them"), "{notice}");
    // The oldest expires within Auth0's five minutes.
    assert!((1..=300).contains(&retry_seconds(&notice)), "{notice}");
    assert_eq!(ciba_requests(&app).await, 3);
    assert!(audited("step_up.refused", "too-many-pending"));

    // Cancelling one frees its place at once.
    cancel(&app, &client, &pending[0]).await;
    card_id(&ask(&app, &client, None, RESET).await);
    assert_eq!(ciba_requests(&app).await, 4);
}

#[tokio::test]
async fn a_burst_of_sign_ins_from_one_address_is_throttled_while_another_signs_in() {
    let app = spawn_app_with(with_limits(&[("LIMITS__SIGN_INS_PER_MINUTE", "3")])).await;
    let loopback = |text: &str| text.parse::<IpAddr>().unwrap();
    let burst = browser_from(loopback("127.0.0.1"));
    for _ in 0..3 {
        let response = burst.get(app.url("/login")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }

    let refused = burst.get(app.url("/login")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: i64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert!(
        refused.headers().get("set-cookie").is_none(),
        "no sign-in began"
    );
    let page = refused.text().await.unwrap();
    assert!(page.contains("<h1>Too many sign-ins</h1>"), "{page}");
    assert!(
        page.contains("More than 3 sign-ins were started from your network in the last minute"),
        "{page}"
    );
    assert!(page.contains("Try again in "), "{page}");
    assert!(audited("sign_in.throttled", "rate-limited"));

    // Meanwhile another machine signs in as usual.
    let other = browser_from(loopback("127.0.0.2"));
    let callback = app.authorize(&other, ADMIN).await;
    let response = other.get(&callback).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(session_cookie(&response).is_some());
}

#[tokio::test]
async fn a_chat_turn_over_the_limit_asks_no_agent_and_says_when_to_retry() {
    let app = spawn_app_with(with_limits(&[("LIMITS__CHAT_TURNS_PER_MINUTE", "2")])).await;
    let client = app.sign_in(ADMIN).await;
    let first = ask(&app, &client, None, GROUPS_QUESTION).await;
    let id = first.conversation_id.as_str();
    ask(&app, &client, Some(id), GROUPS_QUESTION).await;
    let invocations = app.sandbox_get("agent/invocations").await.to_string();

    let refused = ask(&app, &client, Some(id), "And for alice@example.com?").await;
    assert_eq!(refused.conversation_id, id);
    assert!(refused.of("chunk").is_empty(), "{:?}", refused.events);
    let notice = refused.notices().concat();
    assert!(
        notice.starts_with(
            "Limit reached: You can send 2 messages a minute, so this one was not sent to the assistant."
        ),
        "{notice}"
    );
    assert!((1..=60).contains(&retry_seconds(&notice)), "{notice}");
    assert_eq!(
        app.sandbox_get("agent/invocations").await.to_string(),
        invocations,
        "the agent was not asked"
    );
    // The conversation keeps the question and why it went unanswered.
    let messages = stored(&app, id).await;
    assert_eq!(
        messages[messages.len() - 2..],
        [
            ("user".to_owned(), "And for alice@example.com?".to_owned()),
            ("notice".to_owned(), notice)
        ]
    );
    assert!(audited("chat.throttled", "rate-limited"));
}
