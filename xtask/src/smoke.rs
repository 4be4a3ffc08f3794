//! `cargo xtask smoke --url <deployed URL>`: the post-deploy check. From
//! outside, as a browser would: `/healthz`, the security headers of a page,
//! the sign-in redirect to Auth0 with PKCE; with `--cookie` (a signed-in
//! browser's `Cookie` header), one question answered through the chat.

use anyhow::{Context, Result, bail, ensure};
use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{Client, StatusCode, Url};

/// What a Custodian page must carry (server/src/middleware/security_headers.rs).
const PAGE_HEADERS: [(&str, &str); 4] = [
    ("content-security-policy", "frame-ancestors 'none'"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", ""),
    ("cache-control", "no-store"),
];

pub struct Smoke {
    pub url: Url,
    pub cookie: Option<String>,
    pub question: String,
}

pub fn run(smoke: &Smoke) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(check(smoke))
}

pub async fn check(smoke: &Smoke) -> Result<()> {
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()?;
    let base = smoke.url.as_str().trim_end_matches('/');
    health(&client, base).await?;
    eprintln!("[ok ] {base}/healthz answers ok");
    let headers = client
        .get(format!("{base}/"))
        .send()
        .await?
        .headers()
        .clone();
    page_headers(&headers, smoke.url.scheme() == "https")?;
    eprintln!("[ok ] the page carries the security headers");
    sign_in_redirect(&client, base).await?;
    eprintln!("[ok ] /login sends the browser to Auth0 with PKCE, state and nonce");
    if let Some(cookie) = &smoke.cookie {
        let answer = ask(&client, &smoke.url, cookie, &smoke.question).await?;
        eprintln!("[ok ] the chat answered: {}", first_line(&answer));
    }
    eprintln!("\nSmoke check passed.");
    Ok(())
}

async fn health(client: &Client, base: &str) -> Result<()> {
    let response = client
        .get(format!("{base}/healthz"))
        .send()
        .await
        .with_context(|| format!("{base}/healthz cannot be reached"))?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    ensure!(
        status == StatusCode::OK && body.trim() == "ok",
        "{base}/healthz answered {status} {body:?}; read the BFF's start-up log"
    );
    Ok(())
}

fn page_headers(headers: &HeaderMap, https: bool) -> Result<()> {
    for (name, must_contain) in PAGE_HEADERS {
        let value = headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .with_context(|| format!("the page has no {name} header"))?;
        ensure!(
            value.contains(must_contain),
            "{name} is {value:?}, lacking {must_contain:?}"
        );
    }
    if https {
        ensure!(
            headers.contains_key("strict-transport-security"),
            "an https page without strict-transport-security"
        );
    }
    Ok(())
}

async fn sign_in_redirect(client: &Client, base: &str) -> Result<()> {
    let response = client.get(format!("{base}/login")).send().await?;
    ensure!(
        response.status() == StatusCode::SEE_OTHER,
        "/login answered {} instead of a redirect to Auth0",
        response.status()
    );
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .context("/login's redirect has no Location")?;
    let target = Url::parse(location).context("/login's redirect is not a URL")?;
    let params: Vec<(String, String)> = target.query_pairs().into_owned().collect();
    let value = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    ensure!(
        value("response_type") == Some("code"),
        "not a code flow: {target}"
    );
    ensure!(
        value("code_challenge_method") == Some("S256"),
        "no PKCE S256: {target}"
    );
    for name in ["state", "nonce", "client_id", "code_challenge"] {
        ensure!(
            value(name).is_some_and(|v| !v.is_empty()),
            "no {name} in {target}"
        );
    }
    let callback = format!("{base}/callback");
    ensure!(
        value("redirect_uri") == Some(callback.as_str()),
        "redirect_uri is {:?}, not {callback}: check app.baseUrl",
        value("redirect_uri")
    );
    Ok(())
}

/// Sends one message through the `send_message` server function and reads
/// its newline-delimited events until the reply is done.
async fn ask(client: &Client, url: &Url, cookie: &str, question: &str) -> Result<String> {
    let base = url.as_str().trim_end_matches('/');
    let response = client
        .post(format!("{base}/api/send_message"))
        .header("cookie", cookie)
        .header("origin", url.origin().ascii_serialization())
        .form(&[("text", question)])
        .send()
        .await?;
    ensure!(
        response.status().is_success(),
        "the chat refused the question ({}); is the cookie from a signed-in browser?",
        response.status()
    );
    let body = response.text().await?;
    let mut answer = String::new();
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        let event: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("an unreadable chat event: {line:?}"))?;
        if let Some(text) = event.pointer("/chunk/text").and_then(|t| t.as_str()) {
            answer.push_str(text);
        }
        if let Some(message) = event.pointer("/error/message").and_then(|m| m.as_str()) {
            bail!("the chat answered with an error: {message}");
        }
        if event == "done" {
            ensure!(!answer.is_empty(), "the chat finished without an answer");
            return Ok(answer);
        }
    }
    bail!("the chat's reply ended before it was done")
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, value.parse().unwrap());
        }
        headers
    }

    const GOOD: [(&str, &str); 4] = [
        (
            "content-security-policy",
            "default-src 'self'; frame-ancestors 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        ("cache-control", "no-store"),
    ];

    #[test]
    fn a_page_missing_a_header_fails() {
        assert!(page_headers(&page(&GOOD), false).is_ok());
        assert!(page_headers(&page(&GOOD[1..]), false).is_err());
        assert!(
            page_headers(&page(&GOOD), true).is_err(),
            "https needs HSTS"
        );
        let framable = [("content-security-policy", "default-src 'self'")];
        let headers = page(&[framable[0], GOOD[1], GOOD[2], GOOD[3]]);
        assert!(page_headers(&headers, false).is_err());
    }
}
