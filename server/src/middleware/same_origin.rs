//! Refuses state-changing requests that do not come from Custodian's own
//! pages: browsers say where a request comes from in `Sec-Fetch-Site`, and
//! older ones in `Origin`. A request that says neither is refused too.

use app::ssr::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode, header};

pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if is_safe(request.method()) || is_same_origin(&request, &state.settings.app.origin()) {
        return next.run(request).await;
    }
    tracing::warn!(method = %request.method(), path = request.uri().path(), "cross-site request refused");
    (
        StatusCode::FORBIDDEN,
        "Refused: this request did not come from a Custodian page.",
    )
        .into_response()
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_same_origin(request: &Request, origin: &str) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin") | Ok("none"));
    }
    headers
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value == origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(headers: &[(&str, &str)]) -> Request {
        let mut builder = http::Request::post("/api/x");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::empty()).unwrap()
    }

    const ORIGIN: &str = "http://localhost:3000";

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(is_same_origin(
            &request(&[("sec-fetch-site", "same-origin")]),
            ORIGIN
        ));
        assert!(!is_same_origin(
            &request(&[("sec-fetch-site", "cross-site"), ("origin", ORIGIN)]),
            ORIGIN
        ));
        assert!(!is_same_origin(
            &request(&[("sec-fetch-site", "same-site")]),
            ORIGIN
        ));
    }

    #[test]
    fn origin_must_match_exactly() {
        assert!(is_same_origin(&request(&[("origin", ORIGIN)]), ORIGIN));
        assert!(!is_same_origin(
            &request(&[("origin", "http://evil.example")]),
            ORIGIN
        ));
        assert!(!is_same_origin(&request(&[("origin", "null")]), ORIGIN));
    }

    #[test]
    fn a_request_that_says_nothing_is_refused() {
        assert!(!is_same_origin(&request(&[]), ORIGIN));
    }
}
