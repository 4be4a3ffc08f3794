//! Taking the base path (an API Gateway stage) off request paths.

use axum::extract::Request;
use http::Uri;

/// `/prod/login?x` → `/login?x`; a path without the prefix is left alone
/// (the Lambda integration may already have removed it).
pub fn strip(mut request: Request, prefix: &str) -> Request {
    let uri = request.uri();
    let Some(rest) = uri.path().strip_prefix(prefix) else {
        return request;
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return request;
    }
    let path = if rest.is_empty() { "/" } else { rest };
    let path_and_query = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    let mut parts = uri.clone().into_parts();
    if let Ok(path_and_query) = path_and_query.parse() {
        parts.path_and_query = Some(path_and_query);
        if let Ok(uri) = Uri::from_parts(parts) {
            *request.uri_mut() = uri;
        }
    }
    request
}

#[cfg(test)]
mod tests {
    use super::strip;
    use axum::body::Body;

    fn path_of(uri: &str) -> String {
        let request = http::Request::get(uri).body(Body::empty()).unwrap();
        strip(request, "/prod").uri().to_string()
    }

    #[test]
    fn only_the_whole_prefix_segment_is_removed() {
        assert_eq!(
            path_of("/prod/login?return_to=%2Fc"),
            "/login?return_to=%2Fc"
        );
        assert_eq!(path_of("/prod"), "/");
        assert_eq!(path_of("/prod/"), "/");
        assert_eq!(path_of("/login"), "/login");
        assert_eq!(path_of("/production/x"), "/production/x");
    }
}
