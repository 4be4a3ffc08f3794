//! Chatting through the server functions, as the browser does.

use reqwest::StatusCode;

use crate::helpers::{ADMIN, Options, chat_events, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_reply_streams_in_as_several_events_and_is_stored() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let response = app
        .server_fn(&client, "send_message", &[("text", "hello")])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let events = chat_events(response).await;

    assert_eq!(events[0]["type"], "started");
    let id = events[0]["conversation_id"].as_str().unwrap().to_owned();
    let chunks: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "chunk")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(chunks.len() >= 2, "streamed in pieces: {events:?}");
    let reply: String = chunks.concat();
    assert!(reply.contains("not a language model"), "{reply}");
    assert!(reply.contains('—'), "multi-byte text intact: {reply}");
    assert_eq!(events.last().unwrap()["type"], "done");

    let list: serde_json::Value = app
        .server_fn(&client, "list_conversations", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["conversations"][0]["id"], id.as_str());
    assert_eq!(list["conversations"][0]["title"], "hello");

    let conversation: serde_json::Value = app
        .server_fn(&client, "load_conversation", &[("id", &id)])
        .await
        .json()
        .await
        .unwrap();
    let messages = conversation["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["role"], "user");
    assert_eq!(messages[1]["role"], "assistant");
    assert_eq!(messages[1]["text"], reply.as_str());

    // The next message continues the same conversation.
    let events = chat_events(
        app.server_fn(
            &client,
            "send_message",
            &[("conversation_id", &id), ("text", "and again")],
        )
        .await,
    )
    .await;
    assert_eq!(events[0]["conversation_id"], id.as_str());
}

#[tokio::test]
async fn conversations_belong_to_their_user_across_sessions() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let events = chat_events(
        app.server_fn(&client, "send_message", &[("text", "mine")])
            .await,
    )
    .await;
    let id = events[0]["conversation_id"].as_str().unwrap().to_owned();

    // The same person in a new browser sees it.
    let again = app.sign_in(ADMIN).await;
    let list: serde_json::Value = app
        .server_fn(&again, "list_conversations", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["conversations"][0]["id"], id.as_str());

    // Someone else does not, and cannot open or continue it.
    let other = app.sign_in(("helpdesk@example.com", "helpdesk-demo")).await;
    let list: serde_json::Value = app
        .server_fn(&other, "list_conversations", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["conversations"].as_array().unwrap().len(), 0);
    let response = app
        .server_fn(&other, "load_conversation", &[("id", &id)])
        .await;
    assert!(!response.status().is_success());
    assert!(response.text().await.unwrap().contains("NotFound"));
    let response = app
        .server_fn(
            &other,
            "send_message",
            &[("conversation_id", &id), ("text", "sneaky")],
        )
        .await;
    assert!(!response.status().is_success());
}

#[tokio::test]
async fn signed_out_callers_get_a_clear_error() {
    let app = spawn_app().await;
    let response = app
        .server_fn(&crate::helpers::browser(), "list_conversations", &[])
        .await;
    assert!(!response.status().is_success());
    assert!(response.text().await.unwrap().contains("SignedOut"));
}

#[tokio::test]
async fn empty_and_oversized_messages_are_refused_before_the_agent() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    for text in ["   ".to_owned(), "x".repeat(4001)] {
        let response = app
            .server_fn(&client, "send_message", &[("text", &text)])
            .await;
        assert!(!response.status().is_success());
        assert!(response.text().await.unwrap().contains("Invalid"));
    }
    assert!(app.conversations(&client).await.is_empty());
}

#[tokio::test]
async fn a_request_body_far_over_any_message_is_refused_unread() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let huge = "x".repeat(1024 * 1024);
    let response = app
        .server_fn(&client, "send_message", &[("text", &huge)])
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        app.conversations(&client).await.is_empty(),
        "nothing was stored"
    );
}

#[tokio::test]
async fn cross_site_server_function_calls_are_refused() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    for (name, value) in [
        ("origin", "http://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = client
            .post(app.url("/api/send_message"))
            .header(name, value)
            .form(&[("text", "hello")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    assert!(
        app.conversations(&client).await.is_empty(),
        "nothing was sent"
    );
}

#[tokio::test]
async fn an_unreachable_agent_gives_a_readable_error_and_stores_nothing() {
    // A port that was free a moment ago: nothing listens there.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let app = spawn_app_with(Options {
        agent_endpoint_override: Some(format!("http://127.0.0.1:{closed}/bedrock")),
        ..Options::default()
    })
    .await;
    let client = app.sign_in(ADMIN).await;
    let response = app
        .server_fn(&client, "send_message", &[("text", "hello")])
        .await;
    assert!(!response.status().is_success());
    let body = response.text().await.unwrap();
    assert!(
        body.contains("The assistant is unavailable, try again."),
        "{body}"
    );
    assert!(
        app.conversations(&client).await.is_empty(),
        "no half-made conversation"
    );
}

#[tokio::test]
async fn a_throttled_agent_is_reported_in_band() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    app.arm("agent", serde_json::json!({ "fault": "throttle" }))
        .await;
    let response = app
        .server_fn(&client, "send_message", &[("text", "hello")])
        .await;
    let body = if response.status().is_success() {
        chat_events(response).await.last().unwrap()["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    } else {
        response.text().await.unwrap()
    };
    assert!(
        body.contains("busy right now"),
        "{body}\n{}",
        crate::helpers::captured_logs()
    );
}

#[tokio::test]
async fn markdown_in_a_reply_is_rendered_safely_as_it_streams_and_when_reopened() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let turn = crate::helpers::ask(
        &app,
        &client,
        None,
        "Repeat after me: Groups for **bob**:\n- `Engineering`\n- <img src=x onerror=alert(1)>",
    )
    .await;
    let formatted = turn.of("formatted");
    assert!(
        formatted.len() >= 2,
        "formatted a line at a time: {:?}",
        turn.events
    );
    let last = &formatted.last().unwrap()["formatted"];
    let html = last["html"].as_str().unwrap();
    assert!(html.contains("<strong>bob</strong>"), "{html}");
    assert!(html.contains("<li><code>Engineering</code></li>"), "{html}");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    assert!(!html.contains("<img"), "{html}");
    assert_eq!(last["covers"], turn.reply().len());

    let conversation: serde_json::Value = app
        .server_fn(
            &client,
            "load_conversation",
            &[("id", &turn.conversation_id)],
        )
        .await
        .json()
        .await
        .unwrap();
    let reply = &conversation["messages"][1];
    assert_eq!(reply["formatted"]["html"], html);
    // What the user typed is shown as typed.
    assert!(conversation["messages"][0].get("formatted").is_none());
}
