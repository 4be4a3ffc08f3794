//! The login page, failed sign-ins, IdP single sign-on and logout.

use reqwest::header::LOCATION;

use crate::support::*;

#[tokio::test]
async fn the_login_page_is_accessible_and_lists_the_demo_users() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let url = authorize_url(base, SCOPE, "n", &Pkce::new().challenge);
    let response = http().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    let html = response.text().await.unwrap();

    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("name=\"viewport\""));
    assert!(html.contains("<title>Sign in to Custodian (sandbox)</title>"));
    assert!(html.contains("local Auth0 stand-in"));
    assert!(html.contains("<label for=\"email\">Email</label>"));
    assert!(html.contains("id=\"email\""));
    assert!(html.contains("<label for=\"password\">Password</label>"));
    assert!(html.contains("id=\"password\""));
    assert!(html.contains(">Continue with Okta-OIDC</button>"));
    assert!(html.contains("action=\"/authorize/login\""));
    assert!(!html.contains("Continue as"), "no SSO session yet");
    for user in sandbox::demo_users() {
        assert!(html.contains(user.email), "{}", user.email);
        assert!(html.contains(user.password), "{}", user.password);
        assert!(html.contains(user.name), "{}", user.name);
    }
    // The original request travels as a server-side id, not in hidden fields.
    assert!(!html.contains("state-123"));
}

#[tokio::test]
async fn a_wrong_password_shows_the_page_again_with_an_alert() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let http = http();
    let url = authorize_url(base, SCOPE, "n", &Pkce::new().challenge);
    let (request_id, _) = open_login(&http, &url, None).await;

    let response = submit_login(&http, base, &request_id, "admin@example.com", "nope").await;
    assert_eq!(response.status(), 401);
    assert!(response.headers().get(LOCATION).is_none());
    assert!(cookie_pair(&response, "sandbox_idp_sso").is_none());
    let html = response.text().await.unwrap();
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("Wrong email or password."));
    assert!(
        html.contains("value=\"admin@example.com\""),
        "email is kept"
    );

    // The pending request survives a typo; a successful login then uses it up.
    let request_id = hidden_value(&html, "request_id");
    let response = submit_login(&http, base, &request_id, "admin@example.com", "admin-demo").await;
    callback_params(&response);
    let response = submit_login(&http, base, &request_id, "admin@example.com", "admin-demo").await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn sso_offers_continue_as_and_logout_ends_it() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let http = http();
    let pkce = Pkce::new();
    let url = authorize_url(base, SCOPE, "n", &pkce.challenge);

    let (request_id, _) = open_login(&http, &url, None).await;
    let response = submit_login(&http, base, &request_id, "admin@example.com", "admin-demo").await;
    let sso_cookie = set_cookie(&response, "sandbox_idp_sso").expect("SSO cookie");
    assert!(sso_cookie.contains("HttpOnly"), "{sso_cookie}");
    assert!(sso_cookie.contains("SameSite=Lax"), "{sso_cookie}");
    assert!(sso_cookie.contains("Path=/"), "{sso_cookie}");
    let cookie = cookie_pair(&response, "sandbox_idp_sso").unwrap();

    // Back at /authorize the page offers the session, but still asks for a click.
    let (request_id, html) = open_login(&http, &url, Some(&cookie)).await;
    assert!(html.contains(">Continue as Alex Admin</button>"));
    assert!(html.contains(">Continue with Okta-OIDC</button>"));
    let response = http
        .post(format!("{base}/authorize/login"))
        .header("cookie", &cookie)
        .form(&[("request_id", request_id.as_str()), ("continue_as", "sso")])
        .send()
        .await
        .unwrap();
    let (code, _) = callback_params(&response);
    let cookie = cookie_pair(&response, "sandbox_idp_sso").unwrap();
    let login = Login {
        code,
        pkce,
        nonce: "n".into(),
    };
    let (status, tokens) = exchange(base, &login).await;
    assert_eq!(status, 200);
    let (_, claims, _) = jwt_parts(tokens["id_token"].as_str().unwrap());
    assert_eq!(claims["email"], "admin@example.com");

    // Logout clears the session and returns to an allowed URL.
    let logout = format!("{base}/v2/logout?client_id={CLIENT_ID}&returnTo={APP_URL}");
    let response = http
        .get(&logout)
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()[LOCATION], APP_URL);
    let cleared = set_cookie(&response, "sandbox_idp_sso").expect("cookie cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");

    let (request_id, html) = open_login(&http, &url, Some(&cookie)).await;
    assert!(!html.contains("Continue as"), "the old cookie is dead");
    let response = http
        .post(format!("{base}/authorize/login"))
        .header("cookie", &cookie)
        .form(&[("request_id", request_id.as_str()), ("continue_as", "sso")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn logout_never_redirects_to_an_unlisted_url() {
    let sandbox = start().await;
    let base = &sandbox.base_url;
    let response = http()
        .get(format!(
            "{base}/v2/logout?returnTo=https://evil.example.com/"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().get(LOCATION).is_none());
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("You are signed out")
    );
}
