//! The shared HTML shell of the sandbox's pages and their response headers.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Inline styles are fine here: the sandbox is its own origin and ships no script.
const STYLE: &str = r#"
:root{color-scheme:light dark;--bg:#f3f5f9;--card:#fff;--text:#1b2230;--muted:#4f5b70;--accent:#3346d3;--on-accent:#fff;--border:#c9d1de;--alert-bg:#fdecec;--alert:#9b1c1c}
@media (prefers-color-scheme:dark){:root{--bg:#10141c;--card:#1a202b;--text:#e8ecf3;--muted:#a9b3c4;--accent:#9aa7ff;--on-accent:#10141c;--border:#3a4456;--alert-bg:#3b1717;--alert:#ffc2c2}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;justify-content:center;align-items:flex-start;padding:2rem 1rem;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:100%;max-width:32rem;background:var(--card);border:1px solid var(--border);border-radius:12px;padding:1.5rem;box-shadow:0 4px 24px rgb(0 0 0/.08)}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .5rem}
h2{font-size:1.1rem;margin:1.75rem 0 .5rem}
p{margin:0 0 1rem}
.badge{display:inline-block;font-size:.75rem;font-weight:700;letter-spacing:.05em;text-transform:uppercase;padding:.15rem .6rem;border-radius:999px;background:var(--accent);color:var(--on-accent);margin-bottom:.75rem}
.note{color:var(--muted)}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{width:100%;font:inherit;padding:.65rem .75rem;border:1px solid var(--border);border-radius:8px;background:var(--card);color:var(--text)}
button{width:100%;min-height:44px;margin-top:1.25rem;font:inherit;font-weight:700;padding:.65rem 1rem;border:2px solid var(--accent);border-radius:8px;background:var(--accent);color:var(--on-accent);cursor:pointer}
button.secondary{margin-top:0;background:transparent;color:var(--accent)}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.alert{background:var(--alert-bg);color:var(--alert);border-radius:8px;padding:.75rem 1rem;font-weight:600}
.or{text-align:center;color:var(--muted);margin:1rem 0 0}
.table-wrap{overflow-x:auto}
table{width:100%;border-collapse:collapse;font-size:.9rem}
caption{text-align:left;color:var(--muted);padding-bottom:.5rem}
th,td{text-align:left;vertical-align:top;padding:.45rem .5rem;border-bottom:1px solid var(--border)}
td .note{font-size:.85rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem;white-space:nowrap}
main.wide{max-width:56rem}
.status{border-left:4px solid var(--accent);padding:.5rem .75rem;font-weight:600}
.inline{display:inline}
td button{width:auto;min-height:44px;margin:0;padding:.4rem .9rem}
.actions{display:flex;gap:.75rem}
.actions form{flex:1}
.actions button.deny{background:transparent;color:var(--accent)}
.request{border:1px solid var(--border);border-radius:10px;padding:1rem;margin:0 0 1rem}
.request h2{margin-top:0}
p[role=status]:empty{margin:0}
td.tuple code{white-space:normal;overflow-wrap:anywhere}
.binding{font-size:1.6rem;font-weight:800;line-height:1.3;margin:.25rem 0 .5rem;overflow-wrap:anywhere}
.details .instruction{font-weight:600;overflow-wrap:anywhere}
.details dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;margin:0 0 1rem}
.details dt{color:var(--muted)}
.details dd{margin:0;font-weight:600;overflow-wrap:anywhere}
@media (max-width:40rem){.wide-only{display:none}}
@media (max-width:30rem){body{padding:.75rem .5rem}main{padding:1.25rem 1rem}}
"#;

/// A complete page around `body` (already-escaped HTML).
pub fn page(title: &str, body: &str) -> String {
    Page::new(title, body).render()
}

/// A page with options beyond the plain one.
pub struct Page<'a> {
    title: &'a str,
    body: &'a str,
    wide: bool,
    /// Reload after this many seconds, at this same-origin path.
    refresh: Option<(u32, &'a str)>,
}

impl<'a> Page<'a> {
    pub fn new(title: &'a str, body: &'a str) -> Self {
        Self {
            title,
            body,
            wide: false,
            refresh: None,
        }
    }

    /// Room for tables.
    pub fn wide(mut self) -> Self {
        self.wide = true;
        self
    }

    /// A meta refresh: no script needed, so the CSP stays script-free.
    pub fn refresh(mut self, seconds: u32, path: &'a str) -> Self {
        self.refresh = Some((seconds, path));
        self
    }

    pub fn render(&self) -> String {
        let title = escape(self.title);
        let refresh = self
            .refresh
            .map(|(seconds, path)| {
                format!(
                    "<meta http-equiv=\"refresh\" content=\"{seconds}; url={}\">\n",
                    escape(path)
                )
            })
            .unwrap_or_default();
        let main = if self.wide {
            "<main class=\"wide\">"
        } else {
            "<main>"
        };
        format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             {refresh}<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{main}\n\
             <span class=\"badge\">Sandbox</span>\n{body}\n</main>\n</body>\n</html>\n",
            body = self.body
        )
    }
}

/// An HTML response that is never cached or framed.
pub fn html(status: StatusCode, document: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            // No form-action: browsers apply it to the redirect back to the client.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
            ),
            (header::X_FRAME_OPTIONS, "DENY"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        document,
    )
        .into_response()
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        let escaped = escape(r#"<a href="x">'&'</a>"#);
        assert!(!escaped.contains(['<', '>', '"', '\'']), "{escaped}");
        assert!(
            escaped.starts_with("&lt;a href=&quot;x&quot;&gt;"),
            "{escaped}"
        );
    }
}
