//! Plain, self-contained pages for the sign-in routes' failures.

use axum::response::{Html, IntoResponse, Response};
use http::StatusCode;

/// A page with a title, an explanation and a way forward. The texts are
/// Custodian's own; they are escaped all the same. `base` is the path
/// Custodian is served under.
pub fn page(base: &str, status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Custodian</title>
<link rel="stylesheet" href="{base}/pkg/custodian.css">
</head>
<body>
<main class="centered">
<h1>{title}</h1>
<p role="alert">{message}</p>
<p><a class="button primary" href="{base}/login">Sign in again</a> <a class="button" href="{base}/">Home</a></p>
</main>
</body>
</html>"#,
        title = escape(title),
        message = escape(message),
        base = escape(base),
    );
    (status, Html(body)).into_response()
}

fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_quoted_attribute(text)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_is_escaped() {
        let escaped = escape("<a href='x'>&\"");
        assert!(!escaped.contains(['<', '>', '\'', '"']), "{escaped}");
        assert!(escaped.starts_with("&lt;a href="), "{escaped}");
    }
}
