//! The page is rendered once per distinct content and sent again while the
//! store answers the same: what a user sees must never lag behind the
//! store, nor cross between users, and every response keeps its own nonce.

use custodian_core::time::now_unix;
use reqwest::Response;
use test_support::users::{ADMIN_SUB, HELPDESK};

use crate::helpers::{ADMIN, GROUPS_QUESTION, ask, browser, csp_nonce, spawn_app};

/// The CSP nonce of `response` and its page with that nonce taken out.
async fn page_without_nonce(response: Response) -> (String, String) {
    let nonce = csp_nonce(response.headers());
    let page = response.text().await.unwrap();
    assert!(
        page.contains(&format!("nonce=\"{nonce}\"")),
        "the page's scripts carry the response's own nonce"
    );
    (nonce.clone(), page.replace(&nonce, "NONCE"))
}

#[tokio::test]
async fn a_page_sent_again_is_the_page_rendered_first_with_its_own_nonce() {
    let app = spawn_app().await;
    for client in [browser(), app.sign_in(ADMIN).await] {
        let first = client.get(app.url("/")).send().await.unwrap();
        let again = client.get(app.url("/")).send().await.unwrap();
        assert_eq!(again.status(), 200);
        let (first_nonce, first) = page_without_nonce(first).await;
        let (again_nonce, again) = page_without_nonce(again).await;
        assert_ne!(first_nonce, again_nonce);
        assert!(!again.contains(&first_nonce));
        assert_eq!(first, again);
    }
}

#[tokio::test]
async fn the_page_shows_what_another_process_changed_in_the_store() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let turn = ask(&app, &client, None, GROUPS_QUESTION).await;
    let id = turn.conversation_id;
    let path = format!("/c/{id}");
    let before = app.page(&client, &path).await;
    assert!(before.contains("Okta groups"), "the reply is on the page");

    let store = app.store().await;
    assert!(
        store
            .rename_conversation(ADMIN_SUB, &id, "Renamed elsewhere")
            .await
            .unwrap()
    );
    assert!(app.page(&client, &path).await.contains("Renamed elsewhere"));
    assert!(app.page(&client, "/").await.contains("Renamed elsewhere"));

    assert!(store.delete_conversation(ADMIN_SUB, &id).await.unwrap());
    assert!(!app.page(&client, "/").await.contains("Renamed elsewhere"));
    let gone = client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(gone.status(), 404);
}

#[tokio::test]
async fn a_session_ended_elsewhere_gets_the_sign_in_page_at_once() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    assert!(app.page(&client, "/").await.contains("Sign out"));
    assert!(app.page(&client, "/").await.contains("admin@example.com"));

    let store = app.store().await;
    for session in store.list_sessions(ADMIN_SUB, now_unix()).await.unwrap() {
        store.delete_session(&session.id).await.unwrap();
    }
    let page = app.page(&client, "/").await;
    assert!(!page.contains("admin@example.com"), "{page}");
    assert!(!page.contains("Sign out"));
}

#[tokio::test]
async fn two_users_never_see_each_others_page() {
    let app = spawn_app().await;
    let admin = app.sign_in(ADMIN).await;
    let helpdesk = app.sign_in(HELPDESK).await;
    for _ in 0..2 {
        let page = app.page(&admin, "/").await;
        assert!(page.contains("admin@example.com") && !page.contains("helpdesk@example.com"));
        let page = app.page(&helpdesk, "/").await;
        assert!(page.contains("helpdesk@example.com") && !page.contains("admin@example.com"));
    }
}
