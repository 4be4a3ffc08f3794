//! HTTP clients that behave as the tests need: redirects are answers to
//! look at, never followed.

use reqwest::redirect::Policy;
use reqwest::{Client, Response};

/// A client that never follows redirects.
pub fn http() -> Client {
    Client::builder().redirect(Policy::none()).build().unwrap()
}

/// A browser-like client: keeps cookies, follows no redirects by itself.
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// A browser-like client whose requests leave from `address` (any of
/// 127.0.0.0/8 reaches a loopback listener), as a second machine would.
pub fn browser_from(address: std::net::IpAddr) -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .local_address(address)
        .build()
        .unwrap()
}

/// The `Location` of a redirect.
pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .expect("a redirect")
        .to_str()
        .unwrap()
        .to_owned()
}
