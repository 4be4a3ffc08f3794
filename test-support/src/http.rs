//! HTTP clients that behave as the tests need: redirects are answers to
//! look at, never followed.

use reqwest::redirect::Policy;
use reqwest::{Client, ClientBuilder, Response};

/// A client that never follows redirects.
pub fn http() -> Client {
    Client::builder().redirect(Policy::none()).build().unwrap()
}

/// Keeps cookies, follows no redirects by itself.
fn browser_builder() -> ClientBuilder {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
}

/// A browser-like client: keeps cookies, follows no redirects by itself.
pub fn browser() -> Client {
    browser_builder().build().unwrap()
}

/// A browser-like client whose requests leave from `address` (any of
/// 127.0.0.0/8 reaches a loopback listener), as a second machine would.
pub fn browser_from(address: std::net::IpAddr) -> Client {
    browser_builder().local_address(address).build().unwrap()
}

/// A browser-like client that names itself with this `User-Agent`.
pub fn browser_named(agent: &str) -> Client {
    browser_builder().user_agent(agent).build().unwrap()
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
