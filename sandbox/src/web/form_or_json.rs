//! Auth0's Authentication API takes its parameters form-encoded or as JSON
//! (`/oauth/token` examples show both; @auth0/ai sends the Token Vault
//! exchange as JSON), and so does `auth.fga.dev`'s token endpoint.

use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use serde::de::DeserializeOwned;

/// The body as JSON when the content type says so, else form-encoded.
pub fn parse<T: DeserializeOwned>(headers: &HeaderMap, body: &Bytes) -> Option<T> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    if is_json {
        serde_json::from_slice(body).ok()
    } else {
        serde_urlencoded::from_bytes(body).ok()
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;
    use serde::Deserialize;

    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Fields {
        grant_type: Option<String>,
    }

    #[test]
    fn reads_json_or_form_by_content_type() {
        let mut headers = HeaderMap::new();
        let form = Bytes::from_static(b"grant_type=refresh_token");
        let json = Bytes::from_static(br#"{"grant_type":"refresh_token"}"#);
        let wanted = Some(Fields {
            grant_type: Some("refresh_token".into()),
        });
        assert_eq!(parse::<Fields>(&headers, &form), wanted);
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        assert_eq!(parse::<Fields>(&headers, &json), wanted);
        assert_eq!(parse::<Fields>(&headers, &form), None);
    }
}
