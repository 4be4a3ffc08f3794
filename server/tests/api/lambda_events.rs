//! The application under the Lambda runtime: real-shaped API Gateway (REST,
//! with a stage) and Function URL events, turned into requests the way
//! `lambda_http` does, and answered by the same router.

use axum::body::Body;
use http::{Response, StatusCode};
use tower::ServiceExt;

use crate::helpers::{Options, TestApp, spawn_app_with};

const STAGE_URL: &str = "https://abc123.execute-api.us-east-1.amazonaws.com/prod";
const FUNCTION_URL: &str = "https://xyz789.lambda-url.us-east-1.on.aws";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

async fn invoke(app: &TestApp, event: &str) -> (Response<Body>, String) {
    invoke_json(app, &fixture(event)).await
}

/// Runs one event, given whole, through the router as the runtime would.
async fn invoke_json(app: &TestApp, event: &str) -> (Response<Body>, String) {
    let request = lambda_http::request::from_str(event).expect("a valid event");
    let (parts, body) = request.into_parts();
    let request = http::Request::from_parts(parts, Body::from(body.to_vec()));
    let response = app.router.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    (Response::from_parts(parts, Body::empty()), text)
}

async fn behind(public_url: &str) -> TestApp {
    spawn_app_with(Options {
        public_url: Some(public_url.to_owned()),
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn under_a_stage_every_link_asset_and_server_function_carries_it() {
    let app = behind(STAGE_URL).await;
    let (response, page) = invoke(&app, "apigw_rest_get_root.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        page.contains(r#"<meta name="custodian-base" content="/prod""#),
        "{page}"
    );
    assert!(page.contains(r#"href="/prod/login""#));
    assert!(page.contains("/prod/pkg/custodian.css"));
    assert!(page.contains("/prod/pkg/custodian.js"));
    assert!(
        !page.contains(r#"href="/login""#),
        "no link escapes the stage"
    );
    let hsts = response.headers()["strict-transport-security"]
        .to_str()
        .unwrap();
    assert!(hsts.contains("max-age"), "HSTS over https");
}

#[tokio::test]
async fn sign_in_under_a_stage_comes_back_to_the_stage_with_a_host_cookie() {
    let app = behind(STAGE_URL).await;
    let (response, _) = invoke(&app, "apigw_rest_get_login.json").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap();
    let redirect_uri = url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .unwrap()
        .1
        .into_owned();
    assert_eq!(redirect_uri, format!("{STAGE_URL}/callback"));
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("__Host-custodian_login="), "{cookie}");
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
}

#[tokio::test]
async fn sign_out_under_a_stage_returns_to_the_stage() {
    let app = behind(STAGE_URL).await;
    let (response, _) = invoke(&app, "apigw_rest_post_logout.json").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap();
    let return_to = url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "returnTo")
        .unwrap()
        .1
        .into_owned();
    assert_eq!(return_to, format!("{STAGE_URL}/"));
}

#[tokio::test]
async fn a_function_url_serves_at_the_root() {
    let app = behind(FUNCTION_URL).await;
    let (response, page) = invoke(&app, "function_url_get_root.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(page.contains(r#"href="/login""#));
    assert!(page.contains(r#"<meta name="custodian-base" content="""#));
}

/// The sign-in limit counts the address API Gateway saw (`sourceIp` in the
/// request context), not `X-Forwarded-For`, which the client writes.
#[tokio::test]
async fn sign_ins_are_counted_by_api_gateways_source_ip_not_a_forwarded_header() {
    let app = spawn_app_with(Options {
        public_url: Some(STAGE_URL.to_owned()),
        settings: vec![("LIMITS__SIGN_INS_PER_MINUTE", "2".to_owned())],
        ..Options::default()
    })
    .await;
    let event = |source_ip: &str, forwarded_for: &str| {
        let mut event: serde_json::Value =
            serde_json::from_str(&fixture("apigw_rest_get_login.json")).unwrap();
        event["requestContext"]["identity"]["sourceIp"] = source_ip.into();
        event["headers"]["X-Forwarded-For"] = forwarded_for.into();
        event["multiValueHeaders"]["X-Forwarded-For"] = serde_json::json!([forwarded_for]);
        event.to_string()
    };
    for _ in 0..2 {
        let (response, _) = invoke_json(&app, &event("203.0.113.7", "203.0.113.7")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }

    // A header naming someone else does not make a new client.
    let (response, page) = invoke_json(&app, &event("203.0.113.7", "198.51.100.9")).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    assert!(page.contains("Too many sign-ins"), "{page}");
    assert!(
        page.contains(r#"href="/prod/login""#),
        "links keep the stage"
    );

    // Another source address signs in, whatever its header claims.
    let (response, _) = invoke_json(&app, &event("198.51.100.9", "203.0.113.7")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}
