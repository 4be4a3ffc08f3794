//! The session panel: where a user is signed in, and signing out the
//! other sessions, all of them or one, and never another user's.

use reqwest::Client;
use serde_json::Value;

use test_support::http::browser_named;
use test_support::users::HELPDESK;

use crate::helpers::{ADMIN, TestApp, captured_logs, spawn_app};

const FIREFOX_LINUX: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME_ANDROID: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) \
     AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

async fn signed_in(app: &TestApp, agent: &str, user: (&str, &str)) -> (Client, String) {
    app.sign_in_on(browser_named(agent), user).await
}

async fn sessions_seen_by(app: &TestApp, client: &Client) -> (String, Vec<Value>) {
    let response = app.server_fn(client, "list_sessions", &[]).await;
    assert!(response.status().is_success(), "{}", response.status());
    let body = response.text().await.unwrap();
    let list: Vec<Value> = serde_json::from_str(&body).unwrap();
    (body, list)
}

fn devices(list: &[Value]) -> Vec<(&str, bool)> {
    list.iter()
        .map(|s| {
            (
                s["device"].as_str().unwrap(),
                s["current"].as_bool().unwrap(),
            )
        })
        .collect()
}

async fn is_signed_in(app: &TestApp, client: &Client) -> bool {
    app.page(client, "/").await.contains("Alex Admin")
}

#[tokio::test]
async fn the_panel_lists_this_users_sessions_this_one_first_without_secrets() {
    let app = spawn_app().await;
    let (laptop, laptop_cookie) = signed_in(&app, FIREFOX_LINUX, ADMIN).await;
    let (_, phone_cookie) = signed_in(&app, CHROME_ANDROID, ADMIN).await;
    signed_in(&app, SAFARI_IPHONE, HELPDESK).await;

    let (body, list) = sessions_seen_by(&app, &laptop).await;
    assert_eq!(
        devices(&list),
        [("Firefox on Linux", true), ("Chrome on Android", false)],
        "another user's session is not listed"
    );
    for session in &list {
        assert!(
            session["signed_in_label"]
                .as_str()
                .unwrap()
                .ends_with(" UTC")
        );
        assert!(
            session["last_seen_at"].as_i64().unwrap() >= session["signed_in_at"].as_i64().unwrap()
        );
    }
    let store = app.store().await;
    for cookie in [&laptop_cookie, &phone_cookie] {
        let id = custodian_core::ids::store_key(cookie);
        assert!(
            !body.contains(cookie.as_str()) && !body.contains(&id),
            "{body}"
        );
        let record = store
            .get_session(&id, custodian_core::time::now_unix())
            .await;
        assert!(!body.contains(&record.unwrap().unwrap().sealed_tokens));
    }
}

#[tokio::test]
async fn signing_out_the_other_sessions_keeps_only_this_one() {
    let app = spawn_app().await;
    let (laptop, _) = signed_in(&app, FIREFOX_LINUX, ADMIN).await;
    let (phone, _) = signed_in(&app, CHROME_ANDROID, ADMIN).await;
    let (tablet, _) = signed_in(&app, SAFARI_IPHONE, ADMIN).await;
    let (helpdesk, _) = signed_in(&app, FIREFOX_LINUX, HELPDESK).await;

    let response = app.server_fn(&laptop, "sign_out_other_sessions", &[]).await;
    assert_eq!(response.text().await.unwrap(), "2");

    assert!(is_signed_in(&app, &laptop).await, "this session stays");
    assert!(!is_signed_in(&app, &phone).await);
    assert!(!is_signed_in(&app, &tablet).await);
    let (_, helpdesk_list) = sessions_seen_by(&app, &helpdesk).await;
    assert_eq!(
        helpdesk_list.len(),
        1,
        "another user's session is untouched"
    );
    let (_, list) = sessions_seen_by(&app, &laptop).await;
    assert_eq!(devices(&list), [("Firefox on Linux", true)]);
    let logs = captured_logs();
    assert!(logs.contains("auth.sign_out_elsewhere") && logs.contains("Chrome on Android"));

    let again = app.server_fn(&laptop, "sign_out_other_sessions", &[]).await;
    assert_eq!(again.text().await.unwrap(), "0", "nothing left to end");
}

#[tokio::test]
async fn one_other_session_is_signed_out_by_its_handle_and_never_another_users() {
    let app = spawn_app().await;
    let (laptop, _) = signed_in(&app, FIREFOX_LINUX, ADMIN).await;
    let (phone, _) = signed_in(&app, CHROME_ANDROID, ADMIN).await;
    let (helpdesk, _) = signed_in(&app, SAFARI_IPHONE, HELPDESK).await;
    let handle_of = |list: &[Value], current: bool| {
        let session = list.iter().find(|s| s["current"] == current).unwrap();
        session["handle"].as_str().unwrap().to_owned()
    };
    let (_, helpdesk_list) = sessions_seen_by(&app, &helpdesk).await;
    let (_, list) = sessions_seen_by(&app, &laptop).await;

    for not_mine in [
        handle_of(&helpdesk_list, true),
        handle_of(&list, true),
        "0".repeat(16),
    ] {
        let response = app
            .server_fn(&laptop, "sign_out_session", &[("handle", &not_mine)])
            .await;
        assert!(response.status().is_success(), "{}", response.status());
    }
    assert!(
        is_signed_in(&app, &laptop).await,
        "this session is ended by signing out, not here"
    );
    assert!(is_signed_in(&app, &phone).await);
    assert_eq!(sessions_seen_by(&app, &helpdesk).await.1.len(), 1);

    let phone_handle = handle_of(&list, false);
    app.server_fn(&laptop, "sign_out_session", &[("handle", &phone_handle)])
        .await;
    assert!(!is_signed_in(&app, &phone).await);
    assert!(is_signed_in(&app, &laptop).await);
}

#[tokio::test]
async fn a_store_failure_while_listing_is_explained_and_signs_nobody_out() {
    let app = spawn_app().await;
    let (laptop, _) = signed_in(&app, FIREFOX_LINUX, ADMIN).await;
    let (phone, _) = signed_in(&app, CHROME_ANDROID, ADMIN).await;

    app.store_faults.fail("list_sessions");
    for name in ["list_sessions", "sign_out_other_sessions"] {
        let body = app
            .server_fn(&laptop, name, &[])
            .await
            .text()
            .await
            .unwrap();
        assert!(
            body.contains("storage is unavailable right now"),
            "{name}: {body}"
        );
    }
    app.store_faults.recover();
    assert!(is_signed_in(&app, &laptop).await);
    assert!(is_signed_in(&app, &phone).await, "nothing was ended");
}

#[tokio::test]
async fn a_signed_out_browser_lists_nothing() {
    let app = spawn_app().await;
    let response = app
        .server_fn(&crate::helpers::browser(), "list_sessions", &[])
        .await;
    assert!(!response.status().is_success());
    assert_eq!(response.text().await.unwrap(), r#""SignedOut""#);
}
