//! The AgentCore harness as agent host: the same chat, actions and guards
//! as with Bedrock Agents Classic, with the harness's inline functions run
//! by the BFF for its own session. Nothing about the session reaches the
//! agent service, and calls the harness invents are refused, saying why.

use serde_json::{Value, json};

use crate::helpers::{ADMIN, GROUPS_QUESTION, Options, TestApp, ask, spawn_app_with};

const USER: (&str, &str) = ("user@example.com", "user-demo");

async fn spawn_with_harness() -> TestApp {
    spawn_app_with(Options {
        agent_host: Some("agentcore-harness"),
        ..Options::default()
    })
    .await
}

/// Every request the harness stand-in received, as one text to search.
async fn harness_traffic(app: &TestApp) -> (Vec<Value>, String) {
    let requests = app.sandbox_get("harness/requests").await;
    let text = requests.to_string();
    (requests.as_array().unwrap().clone(), text)
}

#[tokio::test]
async fn a_groups_question_runs_the_action_in_the_bff_and_leaks_nothing_to_the_harness() {
    let app = spawn_with_harness().await;
    let (client, cookie) = app.sign_in_with_cookie(ADMIN).await;

    let turn = ask(&app, &client, None, GROUPS_QUESTION).await;
    assert!(turn.reply().contains("Engineering"), "{:?}", turn.events);
    assert!(turn.notices().is_empty(), "{:?}", turn.events);
    let label = custodian_core::chat_turn::tool_label("get_user_groups");
    assert!(
        turn.of("status").iter().any(|s| s["label"] == label),
        "{:?}",
        turn.events
    );
    assert_eq!(
        app.sandbox_get("token-vault/exchanges").await["count"],
        1,
        "the admin's own Okta token was fetched once"
    );

    let (requests, traffic) = harness_traffic(&app).await;
    assert_eq!(requests.len(), 2, "the question, then the tool result");
    for request in &requests {
        assert_eq!(
            request["headers"]["x-amzn-bedrock-agentcore-runtime-session-id"],
            turn.conversation_id.as_str(),
            "one conversation is one harness session"
        );
    }
    let mut secrets = app
        .tokens_of_cookie(&format!("custodian_session={cookie}"))
        .await;
    secrets.push(custodian_core::ids::store_key(&cookie));
    secrets.push(cookie);
    for secret in secrets {
        assert!(
            !traffic.contains(&secret),
            "a session secret reached the harness"
        );
    }
    assert!(
        !traffic.contains(custodian_core::bedrock_agent::CAPABILITY_ATTRIBUTE),
        "{traffic}"
    );
    assert!(!traffic.contains("sessionAttributes"), "{traffic}");
}

#[tokio::test]
async fn a_denied_user_sees_the_same_notice_as_with_classic_and_nothing_is_read() {
    let app = spawn_with_harness().await;
    let client = app.sign_in(USER).await;
    let turn = ask(&app, &client, None, GROUPS_QUESTION).await;
    let notices = turn.notices();
    assert_eq!(notices.len(), 1, "{:?}", turn.events);
    assert!(notices[0].starts_with("Permission denied:"), "{notices:?}");
    assert!(notices[0].contains("user@example.com"), "{notices:?}");
    assert!(notices[0].contains("read_okta"), "{notices:?}");
    assert!(!turn.reply().contains("Engineering"), "{}", turn.reply());
    assert_eq!(app.sandbox_get("token-vault/exchanges").await["count"], 0);
}

#[tokio::test]
async fn a_reset_asks_for_approval_with_a_card_in_the_conversation() {
    let app = spawn_with_harness().await;
    let client = app.sign_in(ADMIN).await;
    let turn = ask(
        &app,
        &client,
        None,
        "Reset the password for bob@example.com",
    )
    .await;
    let cards = turn.of("step_up");
    assert_eq!(cards.len(), 1, "{:?}", turn.events);
    let card = &cards[0]["step_up"];
    assert_eq!(card["state"], "pending");
    assert_eq!(card["target"], "bob@example.com");
    let code = card["code"].as_str().unwrap();
    assert!(turn.reply().contains(code), "{}", turn.reply());
    let requests = app.sandbox_get("ciba/requests").await;
    assert_eq!(requests.as_array().unwrap().len(), 1, "{requests}");
    assert!(
        app.sandbox_get("okta/resets")
            .await
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing is reset before the approval"
    );
}

/// Arms the harness to answer the next message with this call, then asks.
async fn invented_call(app: &TestApp, name: &str, input: &str) -> crate::helpers::Turn {
    let client = app.sign_in(ADMIN).await;
    let armed = app
        .sandbox_post(
            "harness/faults",
            Some(json!({ "kind": "toolUse", "name": name, "input": input })),
        )
        .await;
    assert!(armed.status().is_success());
    ask(app, &client, None, "What can you do?").await
}

#[tokio::test]
async fn calls_the_harness_invents_are_refused_with_the_reason_and_run_nothing() {
    let app = spawn_with_harness().await;
    let cases = [
        ("delete_all_users", r#"{}"#, "does not have"),
        (
            "get_user_groups",
            r#"{"user_email":"bob@example.com","actor":"it@example.com"}"#,
            "no parameter named \"actor\"",
        ),
        ("get_user_groups", r#"{"user_email": 42"#, "not valid JSON"),
        ("authenticate_user", r#"{}"#, "\"user_id\" is missing"),
    ];
    for (name, input, reason) in cases {
        let turn = invented_call(&app, name, input).await;
        let notices = turn.notices();
        assert_eq!(notices.len(), 1, "{name} {input}: {:?}", turn.events);
        assert!(notices[0].contains(reason), "{name} {input}: {notices:?}");
        assert!(turn.of("error").is_empty(), "{:?}", turn.events);
    }
    assert_eq!(app.sandbox_get("token-vault/exchanges").await["count"], 0);
    let requests = app.sandbox_get("ciba/requests").await;
    assert!(requests.as_array().unwrap().is_empty(), "{requests}");
}
