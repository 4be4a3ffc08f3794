//! The sandbox's login page, read and submitted as a browser does.

use reqwest::{Client, Response};

/// The value of the first hidden input named `name` on a page.
pub fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).expect("a hidden input") + marker.len();
    let end = html[start..].find('"').unwrap();
    html[start..start + end].to_owned()
}

/// The login form's pending-request id.
pub fn request_id(login_page: &str) -> String {
    hidden_value(login_page, "request_id")
}

/// Posts the login form of the sandbox at `base`.
pub async fn submit(
    http: &Client,
    base: &str,
    request_id: &str,
    email: &str,
    password: &str,
) -> Response {
    http.post(format!("{base}/authorize/login"))
        .form(&[
            ("request_id", request_id),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

/// Opens the login page at `authorize_url` and signs `user` in; the
/// response is the redirect back to the client.
pub async fn sign_in(
    http: &Client,
    base: &str,
    authorize_url: &str,
    user: (&str, &str),
) -> Response {
    let page = http
        .get(authorize_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let response = submit(http, base, &request_id(&page), user.0, user.1).await;
    assert!(response.status().is_redirection(), "{}", response.status());
    response
}
