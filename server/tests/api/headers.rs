//! Security headers on pages and answers.

use crate::helpers::{ADMIN, browser, csp_nonce, spawn_app};

#[tokio::test]
async fn pages_carry_a_nonce_csp_and_the_hardening_headers() {
    let app = spawn_app().await;
    for client in [browser(), app.sign_in(ADMIN).await] {
        let response = client.get(app.url("/")).send().await.unwrap();
        let headers = response.headers().clone();
        let csp = headers["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(headers["cache-control"], "no-store");

        let nonce = csp_nonce(&headers);
        let page = response.text().await.unwrap();
        assert!(
            page.contains(&format!("nonce=\"{nonce}\"")),
            "the hydration script carries the nonce"
        );
        // Every inline script is covered by the nonce.
        for script in page.split("<script").skip(1) {
            let tag = script.split('>').next().unwrap();
            assert!(
                tag.contains("src=") || tag.contains(&nonce),
                "inline script without nonce: <script{tag}>"
            );
        }
    }
}

#[tokio::test]
async fn each_response_gets_its_own_nonce() {
    let app = spawn_app().await;
    let client = browser();
    let a = client.get(app.url("/")).send().await.unwrap();
    let b = client.get(app.url("/")).send().await.unwrap();
    assert_ne!(csp_nonce(a.headers()), csp_nonce(b.headers()));
}

#[tokio::test]
async fn the_health_check_answers() {
    let app = spawn_app().await;
    let response = browser().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn the_health_check_never_asks_the_store_even_with_a_session_cookie() {
    let app = spawn_app().await;
    let client = app.sign_in(ADMIN).await;
    let lookups = app.store_faults.calls("get_session");
    let response = client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().get("content-security-policy").is_some(),
        "the probe still gets the security headers"
    );
    assert_eq!(response.text().await.unwrap(), "ok");
    assert_eq!(app.store_faults.calls("get_session"), lookups);
}
