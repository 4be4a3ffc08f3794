//! Field parsers used through `deserialize_with`: each checks one kind of
//! value and words its complaint for an operator. Messages may quote URLs
//! and host names, never anything else, so no secret can end up in them.

use std::path::PathBuf;

use secrecy::SecretString;
use serde::de::{Deserialize, Deserializer, Error};
use url::Url;

/// Longest CIBA request Auth0 accepts (`requested_expiry`).
const MAX_CIBA_EXPIRY_SECONDS: u32 = 300;

pub(super) fn required_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let value = String::deserialize(d)?;
    if value.trim().is_empty() {
        return Err(D::Error::custom("must not be empty"));
    }
    Ok(value)
}

/// An empty string counts as unset, so an environment variable can switch
/// an optional value in the file off.
pub(super) fn optional_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = Option::<String>::deserialize(d)?;
    Ok(value.filter(|v| !v.trim().is_empty()))
}

pub(super) fn required_secret<'de, D: Deserializer<'de>>(d: D) -> Result<SecretString, D::Error> {
    let value = String::deserialize(d)?;
    if value.trim().is_empty() {
        return Err(D::Error::custom("must not be empty"));
    }
    Ok(SecretString::from(value))
}

pub(super) fn required_path<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
    required_string(d).map(PathBuf::from)
}

pub(super) fn optional_path<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PathBuf>, D::Error> {
    optional_string(d).map(|v| v.map(PathBuf::from))
}

pub(super) fn positive<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let value = u32::deserialize(d)?;
    if value == 0 {
        return Err(D::Error::custom("must be greater than 0"));
    }
    Ok(value)
}

/// Under the BFF Lambda's five-minute timeout, so a turn always ends in
/// Custodian's words rather than the runtime's.
const MAX_TURN_DEADLINE_SECONDS: u32 = 240;

pub(super) fn turn_deadline<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    between(d, 1, MAX_TURN_DEADLINE_SECONDS)
}

/// Ten years: long past any common record-keeping rule.
const MAX_AUDIT_RETENTION_DAYS: u32 = 3650;

pub(super) fn audit_retention_days<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    between(d, 1, MAX_AUDIT_RETENTION_DAYS)
}

pub(super) fn ciba_expiry<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    between(d, 1, MAX_CIBA_EXPIRY_SECONDS)
}

fn between<'de, D: Deserializer<'de>>(d: D, low: u32, high: u32) -> Result<u32, D::Error> {
    let value = u32::deserialize(d)?;
    if !(low..=high).contains(&value) {
        return Err(D::Error::custom(format!(
            "must be between {low} and {high}"
        )));
    }
    Ok(value)
}

/// A JSON list of strings or, from an environment variable, one
/// comma-separated string; each item trimmed, blank ones dropped.
pub(super) fn list_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum ListOrText {
        List(Vec<String>),
        Text(String),
    }
    let items = match ListOrText::deserialize(d)? {
        ListOrText::List(items) => items,
        ListOrText::Text(text) => text.split(',').map(str::to_owned).collect(),
    };
    Ok(items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect())
}

/// JWS algorithms an ID token may carry (RFC 7518 §3.1 and RFC 8037), never
/// `none`. Accepts a JSON list or, from an environment variable, a
/// comma-separated string.
pub(super) fn signing_algorithms<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let names = list_or_text(d)?;
    if names.is_empty() {
        return Err(D::Error::custom(
            "must name at least one algorithm, e.g. [\"RS256\"]",
        ));
    }
    if let Some(unknown) = names
        .iter()
        .find(|n| !SIGNING_ALGORITHMS.contains(&n.as_str()))
    {
        return Err(D::Error::custom(format!(
            "{unknown:?} is not a signing algorithm; use one of {}",
            SIGNING_ALGORITHMS.join(", ")
        )));
    }
    Ok(names)
}

const SIGNING_ALGORITHMS: [&str; 13] = [
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
    "HS256", "HS384", "HS512",
];

pub(super) fn http_url<'de, D: Deserializer<'de>>(d: D) -> Result<Url, D::Error> {
    let raw = String::deserialize(d)?;
    parse_http_url(&raw).map_err(D::Error::custom)
}

pub(super) fn optional_http_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Url>, D::Error> {
    match optional_string(d)? {
        Some(raw) => parse_http_url(&raw).map(Some).map_err(D::Error::custom),
        None => Ok(None),
    }
}

/// A page every approver may open, so never one person's enrolment ticket
/// (`?ticket=…` is single-use and a secret): no query, no fragment.
pub(super) fn enrolment_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Url>, D::Error> {
    let Some(raw) = optional_string(d)? else {
        return Ok(None);
    };
    if raw.contains(['?', '#']) {
        return Err(D::Error::custom(
            "must not have a query or fragment: an enrolment ticket is one person's single-use \
             secret; give the page that hands tickets out, or the tenant's enrolment page",
        ));
    }
    parse_http_url(&raw).map(Some).map_err(D::Error::custom)
}

/// A tenant domain: a bare host (`tenant.us.auth0.com`, https implied) or a
/// full URL (`http://localhost:3001/okta`), kept with a trailing slash so it
/// is both the OIDC issuer and a base that `Url::join` appends to.
pub(super) fn domain<'de, D: Deserializer<'de>>(d: D) -> Result<Url, D::Error> {
    let raw = String::deserialize(d)?;
    parse_domain(&raw).map_err(D::Error::custom)
}

/// A host name or URL like `domain`; empty counts as unset.
pub(super) fn optional_domain<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Url>, D::Error> {
    let raw = Option::<String>::deserialize(d)?;
    raw.filter(|raw| !raw.trim().is_empty())
        .map(|raw| parse_domain(&raw).map_err(D::Error::custom))
        .transpose()
}

pub(super) fn parse_domain(raw: &str) -> Result<Url, String> {
    let trimmed = raw.trim();
    let candidate = if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    let mut url = Url::parse(&candidate)
        .ok()
        .filter(|url| !trimmed.is_empty() && url.host_str().is_some_and(|h| !h.is_empty()))
        .ok_or_else(|| format!("{} is not a URL or host name", shown(raw)))?;
    check_http(&url, raw)?;
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn parse_http_url(raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw.trim())
        .ok()
        .filter(|url| url.host_str().is_some_and(|h| !h.is_empty()))
        .ok_or_else(|| format!("{} is not an absolute http(s) URL", shown(raw)))?;
    check_http(&url, raw)?;
    Ok(url)
}

fn check_http(url: &Url, raw: &str) -> Result<(), String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{} must use http or https", shown(raw)));
    }
    // Credentials in a URL would be echoed by every later message about it.
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain a user name or password".to_owned());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{} must not have a query or fragment", shown(raw)));
    }
    Ok(())
}

/// Quotes a rejected value, unless it might carry credentials.
fn shown(raw: &str) -> String {
    if raw.contains('@') {
        "the value".to_owned()
    } else {
        format!("{raw:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_normalise_to_a_trailing_slash() {
        let cases = [
            ("tenant.us.auth0.com", "https://tenant.us.auth0.com/"),
            (
                "https://tenant.us.auth0.com",
                "https://tenant.us.auth0.com/",
            ),
            (
                "https://tenant.us.auth0.com/",
                "https://tenant.us.auth0.com/",
            ),
            ("http://localhost:3001", "http://localhost:3001/"),
            ("http://localhost:3001/okta", "http://localhost:3001/okta/"),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_domain(raw).unwrap().as_str(), expected, "{raw}");
        }
    }

    #[test]
    fn bad_domains_are_rejected() {
        for raw in [
            "",
            "ht tp://",
            "ftp://host",
            "https://",
            "a b",
            "https://h/?q=1",
        ] {
            assert!(parse_domain(raw).is_err(), "{raw:?} accepted");
        }
        let err = parse_domain("https://user:pw@host").unwrap_err();
        assert!(!err.contains("pw"), "{err}");
    }
}
