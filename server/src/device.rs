//! The browser a request comes from, in words a person recognises in the
//! list of their sessions ("Firefox on Linux"). Read from `User-Agent`,
//! which the browser may word as it likes: this names, it never decides.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use custodian_core::session::UNKNOWN_DEVICE;
use http::header::USER_AGENT;
use http::request::Parts;

/// Longest description kept: a made-up agent cannot bloat the record.
const MAX_CHARS: usize = 60;
const UNKNOWN: &str = "UNKNOWN";

pub struct Device(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Device {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let agent = parts
            .headers
            .get(USER_AGENT)
            .and_then(|value| value.to_str().ok());
        Ok(Self(describe(agent)))
    }
}

/// "Firefox on Linux", "Chrome on Android", "Safari on iPhone"; a browser
/// or system that cannot be told is left out, and "Unknown browser" stands
/// for an agent that says nothing recognisable.
pub fn describe(agent: Option<&str>) -> String {
    let parsed = agent.and_then(|agent| woothee::parser::Parser::new().parse(agent));
    let known = |value: &str| (!value.is_empty() && value != UNKNOWN).then(|| value.to_owned());
    let (name, os) = parsed.map_or((None, None), |p| (known(p.name), known(p.os)));
    let described = match (name, os) {
        (Some(name), Some(os)) => format!("{name} on {os}"),
        (Some(name), None) => name,
        (None, Some(os)) => format!("A browser on {os}"),
        (None, None) => UNKNOWN_DEVICE.to_owned(),
    };
    described.chars().take(MAX_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn common_browsers_are_named_with_their_system() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(describe(Some(firefox)), "Firefox on Linux");
        let chrome_phone = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 \
             (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
        assert_eq!(describe(Some(chrome_phone)), "Chrome on Android");
        let safari_phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) \
             AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
        assert_eq!(describe(Some(safari_phone)), "Safari on iPhone");
    }

    #[test]
    fn an_unrecognisable_agent_reads_as_unknown() {
        assert_eq!(describe(None), "Unknown browser");
        assert_eq!(describe(Some("")), "Unknown browser");
        assert_eq!(describe(Some("made-up agent")), "Unknown browser");
        // Not a browser, but a program woothee knows the kind of.
        assert_eq!(describe(Some("curl/8.5.0")), "HTTP Library");
    }
}
