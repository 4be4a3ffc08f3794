//! Session cookies that name no live session mean signed out, quietly; a
//! store that cannot answer signs nobody out.

use custodian_core::ids::store_key;
use custodian_core::time::now_unix;
use reqwest::StatusCode;

use crate::helpers::{ADMIN, TestApp, browser, spawn_app};

fn signed_out(page: &str) -> bool {
    page.contains("href=\"/login\"") && !page.contains("Alex Admin")
}

async fn home_with_cookie(app: &TestApp, value: &str) -> (StatusCode, String, Vec<String>) {
    let response = browser()
        .get(app.url("/"))
        .header("cookie", format!("custodian_session={value}"))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let set_cookies = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    (status, response.text().await.unwrap(), set_cookies)
}

async fn session_value(app: &TestApp) -> String {
    app.sign_in_with_cookie(ADMIN).await.1
}

#[tokio::test]
async fn a_valid_cookie_shows_the_chat() {
    let app = spawn_app().await;
    let value = session_value(&app).await;
    let (status, page, _) = home_with_cookie(&app, &value).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Alex Admin"));
}

#[tokio::test]
async fn unknown_or_tampered_cookies_are_signed_out_and_cleared() {
    let app = spawn_app().await;
    let value = session_value(&app).await;
    let mut tampered = value.clone();
    tampered.replace_range(0..1, if value.starts_with('A') { "B" } else { "A" });
    for cookie in ["garbage", tampered.as_str(), &"x".repeat(500)] {
        let (status, page, set_cookies) = home_with_cookie(&app, cookie).await;
        assert_eq!(status, StatusCode::OK, "no error page");
        assert!(signed_out(&page));
        assert!(
            set_cookies
                .iter()
                .any(|c| c.starts_with("custodian_session=;") && c.contains("Max-Age=0")),
            "the stale cookie is cleared: {set_cookies:?}"
        );
    }
}

#[tokio::test]
async fn expired_sessions_are_signed_out_even_before_the_store_deletes_them() {
    let app = spawn_app().await;
    let store = app.store().await;
    for expire in [
        (|r: &mut custodian_core::store::SessionRecord| r.idle_expires_at = now_unix() - 1)
            as fn(&mut _),
        |r| r.absolute_expires_at = now_unix() - 1,
    ] {
        let value = session_value(&app).await;
        let mut record = store
            .get_session(&store_key(&value), now_unix())
            .await
            .unwrap()
            .unwrap();
        expire(&mut record);
        store.put_session(&record).await.unwrap();
        let (_, page, _) = home_with_cookie(&app, &value).await;
        assert!(signed_out(&page));
    }
}

#[tokio::test]
async fn a_session_whose_tokens_do_not_unseal_is_never_used() {
    let app = spawn_app().await;
    let store = app.store().await;
    let value = session_value(&app).await;
    let mut record = store
        .get_session(&store_key(&value), now_unix())
        .await
        .unwrap()
        .unwrap();
    // Sealed under another key: well-formed Fernet, but not ours.
    let other = custodian_core::sealing::Sealer::from_keys(
        &custodian_core::sealing::Sealer::generate_key(),
        &[],
    )
    .unwrap();
    record.sealed_tokens =
        other.seal(b"{\"access_token\":\"a\",\"refresh_token\":null,\"id_token\":\"i\"}");
    store.put_session(&record).await.unwrap();
    let (_, page, _) = home_with_cookie(&app, &value).await;
    assert!(signed_out(&page));

    record.sealed_tokens = "not a fernet token".into();
    store.put_session(&record).await.unwrap();
    let (_, page, _) = home_with_cookie(&app, &value).await;
    assert!(signed_out(&page));
}

#[tokio::test]
async fn signing_out_deletes_the_session_and_ends_it_at_the_identity_provider() {
    let app = spawn_app().await;
    let (client, value) = app.sign_in_with_cookie(ADMIN).await;
    let store = app.store().await;
    let id = store_key(&value);
    assert!(store.get_session(&id, now_unix()).await.unwrap().is_some());

    let response = app.sign_out(&client).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = crate::helpers::location(&response);
    assert!(
        location.starts_with(&format!("{}/v2/logout?", app.sandbox_url)),
        "{location}"
    );
    assert!(location.contains("client_id=custodian-test"));
    assert!(
        location.contains(&format!("returnTo={}", urlencode(&app.url("/")))),
        "{location}"
    );
    assert!(
        store.get_session(&id, now_unix()).await.unwrap().is_none(),
        "the record is gone"
    );

    let page = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert!(signed_out(&page.text().await.unwrap()));
}

#[tokio::test]
async fn a_cross_site_sign_out_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    for headers in [
        vec![("origin", "http://evil.example")],
        vec![("sec-fetch-site", "cross-site")],
        vec![],
    ] {
        let mut request = client.post(app.url("/logout"));
        for (name, value) in headers {
            request = request.header(name, value);
        }
        assert_eq!(
            request.send().await.unwrap().status(),
            StatusCode::FORBIDDEN
        );
    }
    let page = app.page(&client, "/").await;
    assert!(page.contains("Alex Admin"), "still signed in");
}

fn urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[tokio::test]
async fn a_store_failure_during_the_lookup_keeps_the_cookie_and_the_session() {
    let app = spawn_app().await;
    let (client, value) = app.sign_in_with_cookie(ADMIN).await;

    app.store_faults.fail("get_session");
    let (_, page, set_cookies) = home_with_cookie(&app, &value).await;
    assert!(page.contains("could not check your sign-in"), "{page}");
    assert!(
        !page.contains("Alex Admin"),
        "nothing of the session is shown"
    );
    assert!(
        !set_cookies
            .iter()
            .any(|c| c.starts_with("custodian_session=")),
        "the cookie is kept: {set_cookies:?}"
    );
    let listing = app.server_fn(&client, "list_conversations", &[]).await;
    let body = listing.text().await.unwrap();
    assert!(body.contains("could not check your sign-in"), "{body}");
    assert!(crate::helpers::captured_logs().contains("session lookup failed"));

    app.store_faults.recover();
    let (_, page, _) = home_with_cookie(&app, &value).await;
    assert!(
        page.contains("Alex Admin"),
        "signed in again once the store answers"
    );
}

#[tokio::test]
async fn a_failed_idle_expiry_touch_keeps_the_session() {
    let app = spawn_app().await;
    let store = app.store().await;
    let value = session_value(&app).await;
    let id = store_key(&value);
    let mut record = store.get_session(&id, now_unix()).await.unwrap().unwrap();
    // Last seen long enough ago that this request touches the idle expiry.
    record.last_seen_at = now_unix() - 600;
    store.put_session(&record).await.unwrap();

    app.store_faults.fail("touch_session");
    let (_, page, set_cookies) = home_with_cookie(&app, &value).await;
    assert!(page.contains("Alex Admin"), "still signed in");
    assert!(set_cookies.is_empty(), "{set_cookies:?}");
    assert!(crate::helpers::captured_logs().contains("idle-expiry touch failed"));
    let unchanged = store.get_session(&id, now_unix()).await.unwrap().unwrap();
    assert_eq!(unchanged.last_seen_at, record.last_seen_at);

    app.store_faults.recover();
    let (_, page, _) = home_with_cookie(&app, &value).await;
    assert!(page.contains("Alex Admin"));
    let touched = store.get_session(&id, now_unix()).await.unwrap().unwrap();
    assert!(
        touched.last_seen_at > record.last_seen_at,
        "the next request touches it"
    );
}
