//! No token or client secret reaches a page, a server-function answer, a
//! log line or the agent, across a whole sign-in → chat → sign-out run.

use custodian_core::bedrock_agent::CAPABILITY_ATTRIBUTE;
use custodian_core::ids::store_key;
use custodian_core::time::now_unix;

use crate::helpers::{ADMIN, browser, captured_logs, spawn_app};

#[tokio::test]
async fn a_whole_run_leaks_no_secret() {
    let app = spawn_app().await;
    let mut seen = Vec::<String>::new();

    // Sign in, keeping every body the browser receives.
    let client = browser();
    let login = client.get(app.url("/login")).send().await.unwrap();
    seen.push(format!("{:?}", login.headers()));
    let callback = app.authorize(&client, ADMIN).await;
    let signed_in = client.get(&callback).send().await.unwrap();
    seen.push(format!("{:?}", signed_in.headers()));
    let cookie = crate::helpers::session_cookie(&signed_in).unwrap();
    let cookie_value = crate::helpers::cookie_value(&cookie).to_owned();

    for path in ["/", "/healthz"] {
        seen.push(app.page(&client, path).await);
    }
    let reply = app
        .server_fn(&client, "send_message", &[("text", "hello")])
        .await
        .text()
        .await
        .unwrap();
    let id = crate::helpers::chat_event(reply.lines().next().unwrap())["conversation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    seen.push(reply);
    for (name, form) in [
        ("list_conversations", vec![]),
        ("current_viewer", vec![]),
        ("load_conversation", vec![("id", id.as_str())]),
    ] {
        seen.push(
            app.server_fn(&client, name, &form)
                .await
                .text()
                .await
                .unwrap(),
        );
    }
    seen.push(app.page(&client, &format!("/c/{id}")).await);

    // The tokens this session holds, read before sign-out deletes them.
    let store = app.store().await;
    let record = store
        .get_session(&store_key(&cookie_value), now_unix())
        .await
        .unwrap()
        .unwrap();
    let mut secrets = app.tokens_of(&record).await;
    assert!(secrets.len() >= 3, "access, ID and refresh tokens");
    secrets.push(app.client_secret.clone());

    let logout = app.sign_out(&client).await;
    seen.push(format!("{:?}", logout.headers()));
    seen.push(logout.text().await.unwrap());

    // What the agent was sent: the turn's sealed capability only, never
    // the session's id in the clear, nor the cookie.
    let invocations = browser()
        .get(format!("{}/__sandbox/agent/invocations", app.sandbox_url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let sent: serde_json::Value = serde_json::from_str(&invocations).unwrap();
    let sealed = sent[0]["sessionAttributes"][CAPABILITY_ATTRIBUTE]
        .as_str()
        .expect("the agent gets the turn's capability");
    let claims: serde_json::Value = app.sealer().unseal_json(sealed).unwrap();
    assert_eq!(claims["session_id"], record.id.as_str());
    assert!(
        !invocations.contains(&record.id),
        "the session's id is sealed"
    );
    assert!(
        !invocations.contains(&cookie_value),
        "and the cookie never sent"
    );
    seen.push(invocations);

    let logs = captured_logs();
    assert!(!logs.is_empty());
    for secret in &secrets {
        assert!(secret.len() >= 16);
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
    assert!(
        !logs.contains(&cookie_value),
        "the session cookie leaked into the logs"
    );
}
