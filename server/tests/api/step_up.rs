//! The CIBA step-up password reset, end to end through the server
//! functions: the chat's card, the sandbox phone (its admin API), the
//! server's polling of Auth0, and the Okta reset that must run once.

use std::time::Duration;

use custodian_core::ids::store_key;
use custodian_core::time::now_unix;
use reqwest::Client;
use serde_json::{Value, json};
use test_support::users::{ADMIN_SUB, HELPDESK, HELPDESK_SUB};

use crate::helpers::{
    ADMIN, Options, TestApp, captured_logs, chat_events, spawn_app, spawn_app_with,
};

const ASK: &str = "Reset the password for bob@example.com";
/// Bounds every loop that waits for the server; far more than any case needs.
const MAX_POLLS: usize = 60;

/// Everything the browser may know of a step-up, and nothing more.
const VIEW_FIELDS: [&str; 14] = [
    "access",
    "audit_query",
    "check_again_ms",
    "code",
    "has_reset_link",
    "id",
    "outcome",
    "outcome_html",
    "own_approved",
    "problem",
    "second",
    "seconds_left",
    "state",
    "target",
];

fn assert_view_shape(view: &Value) {
    let mut keys: Vec<&str> = view
        .as_object()
        .unwrap_or_else(|| panic!("not a view: {view}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, VIEW_FIELDS, "{view}");
}

fn is_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 7
        && bytes[3] == b'-'
        && code
            .chars()
            .filter(|c| *c != '-')
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// The reset turn: its conversation, its events and the card it sent.
pub(crate) struct Reset {
    pub(crate) conversation_id: String,
    pub(crate) events: Vec<Value>,
    pub(crate) card: Value,
}

impl Reset {
    pub(crate) fn id(&self) -> &str {
        self.card["id"].as_str().unwrap()
    }

    fn code(&self) -> &str {
        self.card["code"].as_str().unwrap()
    }
}

pub(crate) async fn ask_reset(app: &TestApp, client: &Client) -> Reset {
    ask_reset_with(app, client, ASK).await
}

pub(crate) async fn ask_reset_with(app: &TestApp, client: &Client, ask: &str) -> Reset {
    let response = app
        .server_fn(client, "send_message", &[("text", ask)])
        .await;
    assert!(response.status().is_success());
    let events = chat_events(response).await;
    assert_eq!(events.last().unwrap()["type"], "done", "{events:?}");
    let cards: Vec<&Value> = events.iter().filter(|e| e["type"] == "step_up").collect();
    assert_eq!(cards.len(), 1, "one card: {events:?}");
    let card = cards[0]["step_up"].clone();
    assert_view_shape(&card);
    Reset {
        conversation_id: events[0]["conversation_id"].as_str().unwrap().to_owned(),
        card,
        events,
    }
}

/// The sandbox's one CIBA request, as its admin API lists it.
pub(crate) async fn only_request(app: &TestApp) -> Value {
    let requests = app.sandbox_get("ciba/requests").await;
    let requests = requests.as_array().unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests[0].clone()
}

/// Answers the request on the "phone", optionally as another user.
pub(crate) async fn answer(app: &TestApp, decision: &str, sub: Option<&str>) {
    let request = only_request(app).await;
    answer_request(app, &request, decision, sub).await;
}

/// Answers `request` (as the sandbox lists it), optionally as another user.
pub(crate) async fn answer_request(
    app: &TestApp,
    request: &Value,
    decision: &str,
    sub: Option<&str>,
) {
    let handle = request["handle"].as_str().unwrap();
    let response = app
        .sandbox_post(
            &format!("ciba/requests/{handle}/{decision}"),
            sub.map(|sub| json!({ "sub": sub })),
        )
        .await;
    assert!(response.status().is_success(), "{decision}");
}

pub(crate) async fn resets(app: &TestApp) -> Vec<Value> {
    app.sandbox_get("okta/resets")
        .await
        .as_array()
        .unwrap()
        .clone()
}

/// One `step_up_status` call; the view, checked for its shape.
pub(crate) async fn status(app: &TestApp, client: &Client, id: &str) -> Value {
    let response = app.server_fn(client, "step_up_status", &[("id", id)]).await;
    assert!(response.status().is_success(), "{}", response.status());
    let view: Value = response.json().await.unwrap();
    assert_view_shape(&view);
    view
}

/// Asks for the card's state until `done` holds, waiting between calls as
/// the server says to (`check_again_ms`), as the browser does.
pub(crate) async fn status_until(
    app: &TestApp,
    client: &Client,
    id: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    for _ in 0..MAX_POLLS {
        let view = status(app, client, id).await;
        if done(&view) {
            return view;
        }
        tokio::time::sleep(Duration::from_millis(
            view["check_again_ms"].as_u64().unwrap(),
        ))
        .await;
    }
    panic!("the step-up never got there");
}

pub(crate) fn is_final(view: &Value) -> bool {
    !matches!(view["state"].as_str(), Some("pending" | "approved"))
}

/// The conversation of `reset` shows `text` as a notice of its own.
pub(crate) async fn assert_notice_in_conversation(
    app: &TestApp,
    client: &Client,
    reset: &Reset,
    text: &str,
) {
    let messages = conversation(app, client, &reset.conversation_id).await;
    assert!(
        messages
            .iter()
            .any(|m| m["role"] == "notice" && m["text"] == text),
        "{messages:?}"
    );
}

pub(crate) async fn conversation(app: &TestApp, client: &Client, id: &str) -> Vec<Value> {
    let view: Value = app
        .server_fn(client, "load_conversation", &[("id", id)])
        .await
        .json()
        .await
        .unwrap();
    view["messages"].as_array().unwrap().clone()
}

#[tokio::test]
async fn an_approved_reset_runs_once_and_its_outcome_lands_in_the_conversation() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &client).await;
    assert_eq!(reset.card["state"], "pending");
    assert_eq!(reset.card["target"], "bob@example.com");
    assert!(is_code(reset.code()), "{}", reset.card);
    assert!(reset.card["seconds_left"].as_i64().unwrap() > 0);
    let reply: String = reset
        .events
        .iter()
        .filter(|e| e["type"] == "chunk")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(reply.contains(reset.code()), "{reply}");

    // The phone shows the same code, to the administrator.
    let request = only_request(&app).await;
    assert_eq!(request["sub"], ADMIN_SUB);
    assert!(
        request["binding_message"]
            .as_str()
            .unwrap()
            .contains(reset.code()),
        "{request}"
    );
    assert!(resets(&app).await.is_empty(), "nothing before approval");

    answer(&app, "approve", None).await;
    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "completed", "{done}");
    let outcome = done["outcome"].as_str().unwrap();
    assert!(outcome.contains("bob@example.com"), "{outcome}");
    assert_eq!(done["problem"], Value::Null);
    assert_eq!(done["has_reset_link"], true);
    let done_resets = resets(&app).await;
    assert_eq!(done_resets.len(), 1, "{done_resets:?}");
    assert_eq!(done_resets[0]["login"], "bob@example.com");
    assert_eq!(done_resets[0]["sendEmail"], false);

    // After a reload: the card in its final state, then the outcome.
    let messages = conversation(&app, &client, &reset.conversation_id).await;
    let card = messages
        .iter()
        .position(|m| m["role"] == "stepup")
        .unwrap_or_else(|| panic!("{messages:?}"));
    assert_eq!(messages[card]["step_up"]["id"], reset.id());
    assert_eq!(messages[card]["step_up"]["state"], "completed");
    assert_view_shape(&messages[card]["step_up"]);
    let told = messages
        .iter()
        .position(|m| m["text"] == outcome)
        .unwrap_or_else(|| panic!("{messages:?}"));
    assert!(told > card, "{messages:?}");
    // The live outcome is rendered as the stored one is after a reload.
    assert!(done["outcome_html"].is_string(), "{done}");
    assert_eq!(
        done["outcome_html"], messages[told]["formatted"]["html"],
        "{messages:?}"
    );

    // The card's audit trail: the request, its answer and the reset.
    let query = done["audit_query"].as_str().unwrap();
    let trail = app.page(&client, &format!("/audit?{query}")).await;
    for action in ["step_up.requested", "step_up.approved", "password.reset"] {
        assert!(
            trail.contains(&format!("<td>{action}</td>")),
            "{action}: {trail}"
        );
    }

    // The one-time link: once, then never again.
    let response = app
        .server_fn(&client, "reveal_reset_link", &[("id", reset.id())])
        .await;
    assert!(response.status().is_success());
    let link: String = response.json().await.unwrap();
    assert!(
        link.starts_with(&format!("{}/okta/reset/", app.sandbox_url)),
        "{link}"
    );
    let response = app
        .server_fn(&client, "reveal_reset_link", &[("id", reset.id())])
        .await;
    assert!(!response.status().is_success());
    let refusal = response.text().await.unwrap();
    assert!(refusal.contains("already shown"), "{refusal}");
    assert!(!refusal.contains(&link));
    assert_eq!(
        status(&app, &client, reset.id()).await["has_reset_link"],
        false
    );
    assert_eq!(resets(&app).await.len(), 1);
}

/// `step_up_status` with owned arguments, for spawned tasks.
async fn status_from(client: Client, base_url: String, id: String) -> Value {
    let response = client
        .post(format!("{base_url}/api/step_up_status"))
        .header("origin", &base_url)
        .form(&[("id", id.as_str())])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.unwrap()
}

#[tokio::test]
async fn concurrent_polls_from_two_tabs_reset_exactly_once() {
    let app = spawn_app().await;
    let first_tab = app.sign_in(ADMIN).await;
    let second_tab = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &first_tab).await;
    answer(&app, "approve", None).await;

    // Waves of ten concurrent calls, five from each signed-in tab, until
    // the step-up is final; each wave waits as long as the server asks.
    let mut finished = None;
    for _ in 0..MAX_POLLS {
        let mut wave = tokio::task::JoinSet::new();
        for i in 0..10 {
            let tab = if i % 2 == 0 { &first_tab } else { &second_tab };
            wave.spawn(status_from(
                tab.clone(),
                app.base_url.clone(),
                reset.id().to_owned(),
            ));
        }
        let views = wave.join_all().await;
        for view in &views {
            assert_view_shape(view);
            assert!(
                matches!(
                    view["state"].as_str(),
                    Some("pending" | "approved" | "completed")
                ),
                "{view}"
            );
        }
        if let Some(done) = views.iter().find(|v| is_final(v)) {
            finished = Some(done.clone());
            break;
        }
        let wait = views
            .iter()
            .map(|v| v["check_again_ms"].as_u64().unwrap())
            .min()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(wait)).await;
    }
    let done = finished.expect("the step-up never finished");
    assert_eq!(done["state"], "completed", "{done}");

    // One more wave after the end changes nothing.
    let mut wave = tokio::task::JoinSet::new();
    for tab in [&first_tab, &second_tab].repeat(5) {
        wave.spawn(status_from(
            tab.clone(),
            app.base_url.clone(),
            reset.id().to_owned(),
        ));
    }
    for view in wave.join_all().await {
        assert_eq!(view["state"], "completed", "{view}");
    }
    let done_resets = resets(&app).await;
    assert_eq!(done_resets.len(), 1, "exactly one reset: {done_resets:?}");
    assert_eq!(done_resets[0]["login"], "bob@example.com");

    // Ten callers at a due poll still make one poll of Auth0.
    let request = only_request(&app).await;
    assert_eq!(request["collected"], true);
    let interval_ms = request["interval"].as_i64().unwrap() * 1000;
    let polls: Vec<i64> = request["polls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_i64().unwrap())
        .collect();
    assert!(
        polls
            .windows(2)
            .all(|pair| pair[1] - pair[0] >= interval_ms),
        "{polls:?}"
    );
}

#[tokio::test]
async fn the_server_polls_auth0_no_faster_than_the_interval_however_often_it_is_asked() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &client).await;
    let interval_ms = only_request(&app).await["interval"].as_i64().unwrap() * 1000;

    // The browser asks twenty times a second, ignoring `check_again_ms`.
    let mut ticker = tokio::time::interval(Duration::from_millis(50));
    let mut approved = false;
    let mut done = None;
    for _ in 0..MAX_POLLS * 20 {
        ticker.tick().await;
        let view = status(&app, &client, reset.id()).await;
        if is_final(&view) {
            done = Some(view);
            break;
        }
        if !approved && only_request(&app).await["polls"].as_array().unwrap().len() >= 3 {
            answer(&app, "approve", None).await;
            approved = true;
        }
    }
    let done = done.expect("the step-up never finished");
    assert_eq!(done["state"], "completed", "{done}");

    let request = only_request(&app).await;
    let polls: Vec<i64> = request["polls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_i64().unwrap())
        .collect();
    assert!(polls.len() >= 4, "{polls:?}");
    for pair in polls.windows(2) {
        assert!(
            pair[1] - pair[0] >= interval_ms,
            "polls {} ms apart, interval {interval_ms} ms: {polls:?}",
            pair[1] - pair[0]
        );
    }
    assert_eq!(
        request["interval"].as_i64().unwrap() * 1000,
        interval_ms,
        "no slow_down was ever needed"
    );
    assert_eq!(resets(&app).await.len(), 1);
}

#[tokio::test]
async fn a_denial_on_the_phone_resets_nothing() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &client).await;
    answer(&app, "deny", None).await;
    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "denied", "{done}");
    let outcome = done["outcome"].as_str().unwrap();
    assert!(outcome.contains("denied"), "{outcome}");
    assert!(outcome.contains("nothing was changed"), "{outcome}");
    assert_eq!(done["has_reset_link"], false);
    assert!(resets(&app).await.is_empty());
    assert_notice_in_conversation(&app, &client, &reset, outcome).await;
}

#[tokio::test]
async fn an_unanswered_request_expires_and_resets_nothing() {
    let app = spawn_app_with(Options {
        ciba_expiry_seconds: Some(3),
        ..Options::default()
    })
    .await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &client).await;
    assert!(reset.card["seconds_left"].as_i64().unwrap() <= 3);
    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "expired", "{done}");
    assert!(
        done["outcome"].as_str().unwrap().contains("expired"),
        "{done}"
    );
    assert_eq!(done["seconds_left"], 0);
    assert!(resets(&app).await.is_empty());
    assert_eq!(only_request(&app).await["state"], "expired");
}

#[tokio::test]
async fn an_approval_by_another_account_is_rejected() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &client).await;
    answer(&app, "approve", Some(HELPDESK_SUB)).await;
    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "failed", "{done}");
    assert!(
        done["outcome"]
            .as_str()
            .unwrap()
            .contains("different account"),
        "{done}"
    );
    assert!(resets(&app).await.is_empty());
}

#[tokio::test]
async fn only_the_owner_sees_or_cancels_and_a_late_approval_resets_nothing() {
    let app = spawn_app().await;
    let owner = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &owner).await;

    let stranger = app.sign_in(HELPDESK).await;
    for function in ["step_up_status", "cancel_step_up"] {
        let response = app
            .server_fn(&stranger, function, &[("id", reset.id())])
            .await;
        assert!(!response.status().is_success(), "{function}");
        let body = response.text().await.unwrap();
        assert!(body.contains("NotFound"), "{function}: {body}");
        assert!(!body.contains(reset.code()), "{function}: {body}");
    }
    let response = app
        .server_fn(&stranger, "reveal_reset_link", &[("id", reset.id())])
        .await;
    assert!(!response.status().is_success());
    let response = app
        .server_fn(
            &stranger,
            "load_conversation",
            &[("id", &reset.conversation_id)],
        )
        .await;
    assert!(response.text().await.unwrap().contains("NotFound"));
    assert_eq!(
        status(&app, &owner, reset.id()).await["state"],
        "pending",
        "the stranger's cancel changed nothing"
    );

    let response = app
        .server_fn(&owner, "cancel_step_up", &[("id", reset.id())])
        .await;
    assert!(response.status().is_success());
    let cancelled: Value = response.json().await.unwrap();
    assert_view_shape(&cancelled);
    assert_eq!(cancelled["state"], "cancelled");
    assert!(
        cancelled["outcome"].as_str().unwrap().contains("cancelled"),
        "{cancelled}"
    );
    let polls_at_cancel = only_request(&app).await["polls"].as_array().unwrap().len();

    // The phone still shows the push; approving it now does nothing.
    answer(&app, "approve", None).await;
    for _ in 0..3 {
        let view = status(&app, &owner, reset.id()).await;
        assert_eq!(view["state"], "cancelled", "{view}");
        tokio::time::sleep(Duration::from_millis(
            view["check_again_ms"].as_u64().unwrap(),
        ))
        .await;
    }
    let request = only_request(&app).await;
    assert_eq!(request["polls"].as_array().unwrap().len(), polls_at_cancel);
    assert_eq!(
        request["collected"], false,
        "the approval was never collected"
    );
    assert!(resets(&app).await.is_empty());
}

/// No definite answer from Auth0 — an outage (5xx) or its rate limit
/// (429), twice in a row — is no verdict: the card shows the trouble, the
/// request stays pending, and the approval still completes it afterwards.
#[tokio::test]
async fn auth0_down_or_rate_limiting_polls_shows_a_problem_and_keeps_the_request() {
    let cases = [
        (
            json!({ "fault": "down", "times": 2 }),
            "could not be reached",
        ),
        (
            json!({ "fault": "rate_limit", "reset_in_seconds": 1, "times": 2 }),
            "limiting how often",
        ),
    ];
    for (fault, problem) in cases {
        // A fresh stack each: the sandbox phone holds one request at a time.
        let app = spawn_app().await;
        let client = app.sign_in(ADMIN).await;
        let reset = ask_reset(&app, &client).await;
        app.arm("ciba", fault).await;

        let troubled = status_until(&app, &client, reset.id(), |v| !v["problem"].is_null()).await;
        assert_eq!(troubled["state"], "pending", "{troubled}");
        assert!(
            troubled["problem"].as_str().unwrap().contains(problem),
            "{troubled}"
        );

        answer(&app, "approve", None).await;
        let done = status_until(&app, &client, reset.id(), is_final).await;
        assert_eq!(done["state"], "completed", "{done}");
        assert_eq!(done["problem"], Value::Null);
        assert_eq!(resets(&app).await.len(), 1);
    }
}

#[tokio::test]
async fn without_reset_password_there_is_a_notice_and_no_push() {
    let app = spawn_app().await;
    let helpdesk = app.sign_in(HELPDESK).await;
    let response = app
        .server_fn(&helpdesk, "send_message", &[("text", ASK)])
        .await;
    let events = chat_events(response).await;
    let notices: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "notice")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(notices.len(), 1, "{events:?}");
    assert!(notices[0].starts_with("Permission denied:"), "{notices:?}");
    assert!(notices[0].contains("reset_password"), "{notices:?}");
    assert!(
        notices[0].ends_with("Ask admin@example.com or second.admin@example.com to grant it."),
        "{notices:?}"
    );
    assert!(events.iter().all(|e| e["type"] != "step_up"), "{events:?}");
    assert_eq!(app.sandbox_get("ciba/requests").await, json!([]));
    assert!(resets(&app).await.is_empty());
}

#[tokio::test]
async fn a_reset_run_leaks_no_token_or_request_id() {
    let app = spawn_app().await;
    let (client, cookie) = app.sign_in_with_cookie(ADMIN).await;
    let mut seen = Vec::<String>::new();

    let response = app
        .server_fn(&client, "send_message", &[("text", ASK)])
        .await;
    let reply = response.text().await.unwrap();
    let started: Value = crate::helpers::chat_event(reply.lines().next().unwrap());
    let conversation_id = started["conversation_id"].as_str().unwrap().to_owned();
    seen.push(reply);

    // What the store holds sealed, opened with the app's key while pending.
    let store = app.store().await;
    let session = store
        .get_session(&store_key(&cookie), now_unix())
        .await
        .unwrap()
        .unwrap();
    let records = store
        .list_step_ups(&session.user.sub, &conversation_id)
        .await
        .unwrap();
    assert_eq!(records.len(), 1);
    let auth_req_id =
        String::from_utf8(app.sealer().unseal(&records[0].sealed_auth_req_id).unwrap()).unwrap();
    assert!(auth_req_id.len() >= 16);
    let id = records[0].id.clone();

    answer(&app, "approve", None).await;
    for _ in 0..MAX_POLLS {
        let response = app
            .server_fn(&client, "step_up_status", &[("id", &id)])
            .await;
        let text = response.text().await.unwrap();
        let view: Value = serde_json::from_str(&text).unwrap();
        seen.push(text);
        if is_final(&view) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(
            view["check_again_ms"].as_u64().unwrap(),
        ))
        .await;
    }
    let record = store
        .get_step_up(&session.user.sub, &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.sealed_auth_req_id, "", "dropped once final");
    let sealed_link = record.sealed_reset_link.clone().expect("a sealed link");
    let link = String::from_utf8(app.sealer().unseal(&sealed_link).unwrap()).unwrap();
    for (name, form) in [
        ("load_conversation", vec![("id", conversation_id.as_str())]),
        ("list_conversations", vec![]),
        ("current_viewer", vec![]),
        ("cancel_step_up", vec![("id", id.as_str())]),
    ] {
        seen.push(
            app.server_fn(&client, name, &form)
                .await
                .text()
                .await
                .unwrap(),
        );
    }
    seen.push(app.page(&client, &format!("/c/{conversation_id}")).await);
    // What the model was told.
    seen.push(app.sandbox_get("agent/invocations").await.to_string());
    let revealed = app
        .server_fn(&client, "reveal_reset_link", &[("id", &id)])
        .await
        .text()
        .await
        .unwrap();
    assert!(revealed.contains(&link), "the approver gets the link, once");

    let mut secrets = app.tokens_of(&session).await;
    secrets.push(app.client_secret.clone());
    secrets.push(auth_req_id.clone());
    let logs = captured_logs();
    for secret in &secrets {
        for (i, text) in seen.iter().enumerate() {
            assert!(
                !text.contains(secret.as_str()),
                "a secret leaked into response #{i}"
            );
        }
        assert!(
            !logs.contains(secret.as_str()),
            "a secret leaked into the logs"
        );
    }
    for (i, text) in seen.iter().enumerate() {
        assert!(
            !text.contains("auth_req"),
            "response #{i} names the request"
        );
        assert!(!text.contains(&link), "the link leaked into response #{i}");
    }
    assert!(!logs.contains(&link), "the reset link leaked into the logs");
    assert!(
        logs.contains("password.reset"),
        "the audit event was captured"
    );
}

#[tokio::test]
async fn approving_a_reset_of_a_suspended_or_deactivated_user_says_why_nothing_happened() {
    let cases = [
        (
            "sam@example.com",
            "the account is suspended; an Okta administrator must unsuspend it first",
        ),
        (
            "dana@example.com",
            "the account is deactivated; an Okta administrator must reactivate it first",
        ),
    ];
    for (target, why) in cases {
        // A fresh stack each: the sandbox phone holds one request at a time.
        let app = spawn_app().await;
        let client = app.sign_in(ADMIN).await;
        let reset =
            ask_reset_with(&app, &client, &format!("Reset the password for {target}")).await;
        assert_eq!(reset.card["target"], target);
        answer(&app, "approve", None).await;
        let done = status_until(&app, &client, reset.id(), is_final).await;
        assert_eq!(done["state"], "failed", "{done}");
        let outcome = done["outcome"].as_str().unwrap();
        assert!(
            outcome.contains(&format!("the password of {target} was not reset")),
            "{outcome}"
        );
        assert!(outcome.contains(why), "{outcome}");
        assert_eq!(done["has_reset_link"], false);
        assert!(resets(&app).await.is_empty(), "Okta reset nobody");
    }
}

#[tokio::test]
async fn a_poll_refused_for_a_missing_enrolment_ends_the_card_with_how_to_enrol() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let reset = ask_reset(&app, &client).await;
    // The answer Auth0's SDKs read as "no push notifications" on the poll.
    app.arm("ciba", json!({ "fault": "invalid_request" })).await;

    let done = status_until(&app, &client, reset.id(), is_final).await;
    assert_eq!(done["state"], "failed", "{done}");
    let outcome = done["outcome"].as_str().unwrap();
    assert!(
        outcome.starts_with("Phone not enrolled for approvals:"),
        "{outcome}"
    );
    assert!(
        outcome.contains("most likely because your account has no phone enrolled"),
        "{outcome}"
    );
    assert!(outcome.contains("the password was not reset"), "{outcome}");
    assert!(outcome.contains("Auth0 Guardian app"), "{outcome}");
    assert!(resets(&app).await.is_empty());
    assert_notice_in_conversation(&app, &client, &reset, outcome).await;
}
