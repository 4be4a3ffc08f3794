//! The Audit page's HTML, rendered here in full: it needs no WebAssembly,
//! so it adds nothing to the chat's bundle, and every value in it is
//! escaped. A small script (under the page's CSP nonce) keeps the first
//! page live.

use custodian_core::audit::time_utc;
use custodian_core::store::{AuditEntry, AuditPage};

use super::filter::AuditParams;

/// Actions the filter suggests; any other value works too.
const KNOWN_ACTIONS: [&str; 12] = [
    "auth",
    "auth.sign_in",
    "auth.sign_out",
    "okta.groups",
    "step_up",
    "step_up.requested",
    "step_up.approved",
    "step_up.denied",
    "step_up.refused",
    "password.reset",
    "action.refused",
    "audit",
];

/// What the page shows under its filter form.
pub enum Body<'a> {
    Entries {
        page: &'a AuditPage,
        /// The first page follows new entries as they come.
        live: bool,
    },
    /// The filter or the read failed; the text says why.
    Problem(&'a str),
}

pub fn render(base: &str, nonce: &str, params: &AuditParams, body: Body) -> String {
    let query = params.query_string();
    let (main, script) = match body {
        Body::Entries { page, live } => (entries(base, &query, params, page, live), live),
        Body::Problem(problem) => (
            format!("<p class=\"notice\" role=\"alert\">{}</p>", escape(problem)),
            false,
        ),
    };
    let script = if script {
        live_script(nonce)
    } else {
        String::new()
    };
    let body = format!(
        r#"<main class="audit">
<header class="audit-header">
<h1>Audit log</h1>
<nav aria-label="Audit log"><a href="{base}/">Back to chat</a>
<a class="button" href="{base}/audit/export?format=csv&amp;{query_attr}" download>Download CSV</a>
<a class="button" href="{base}/audit/export?format=json&amp;{query_attr}" download>Download JSON</a></nav>
</header>
{form}
{main}
</main>
{script}"#,
        base = escape(base),
        query_attr = escape(&query),
        form = filter_form(base, params),
    );
    document(base, &body)
}

/// The page shown instead when the reader may not see the log.
pub fn refused(base: &str, message: &str) -> String {
    let body = format!(
        r#"<main class="centered">
<h1>Audit log</h1>
<p role="alert">{message}</p>
<p><a class="button primary" href="{base}/">Back to chat</a></p>
</main>"#,
        base = escape(base),
        message = escape(message),
    );
    document(base, &body)
}

/// The HTML document around a page's body.
fn document(base: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Audit log · Custodian</title>
<link rel="icon" href="{base}/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{base}/pkg/custodian.css">
</head>
<body>
{body}
</body>
</html>"#,
        base = escape(base),
    )
}

fn filter_form(base: &str, params: &AuditParams) -> String {
    let field = |name: &str, label: &str, value: &str, kind: &str, extra: &str| {
        format!(
            "<label>{label}<input name=\"{name}\" type=\"{kind}\" value=\"{}\" autocapitalize=\"none\" spellcheck=\"false\"{extra}></label>",
            escape(value)
        )
    };
    let actions: String = KNOWN_ACTIONS
        .iter()
        .map(|action| format!("<option value=\"{action}\">"))
        .collect();
    format!(
        "<form class=\"audit-filter\" method=\"get\" action=\"{base}/audit\" role=\"search\" aria-label=\"Filter the audit log\">\n{}\n{}\n{}\n{}\n{}\n{}\n<datalist id=\"audit-actions\">{actions}</datalist>\n<div class=\"audit-filter-actions\"><button type=\"submit\" class=\"button primary\">Filter</button> <a href=\"{base}/audit\">Clear</a></div>\n</form>",
        field(
            "actor",
            "Actor",
            &params.actor,
            "text",
            " placeholder=\"admin@example.com\""
        ),
        field(
            "target",
            "Target",
            &params.target,
            "text",
            " placeholder=\"bob@example.com\""
        ),
        field(
            "action",
            "Action",
            &params.action,
            "text",
            " list=\"audit-actions\" placeholder=\"step_up\""
        ),
        field(
            "outcome",
            "Outcome",
            &params.outcome,
            "text",
            " placeholder=\"denied\""
        ),
        field("from", "From (UTC)", &params.from, "datetime-local", ""),
        field("until", "Until (UTC)", &params.until, "datetime-local", ""),
        base = escape(base),
    )
}

fn entries(base: &str, query: &str, params: &AuditParams, page: &AuditPage, live: bool) -> String {
    let rows = rows(&page.entries);
    let older = page.next.as_ref().map_or_else(String::new, |next| {
        let sep = if query.is_empty() { "" } else { "&" };
        format!(
            "<a class=\"button\" href=\"{}/audit?{}{sep}before={}\">Older entries</a>",
            escape(base),
            escape(query),
            next.encode()
        )
    });
    let newest = if params.before.is_empty() {
        String::new()
    } else {
        format!(
            "<a class=\"button\" href=\"{}/audit?{}\">Newest entries</a>",
            escape(base),
            escape(query)
        )
    };
    let live_switch = if live {
        "<label class=\"audit-live\"><input type=\"checkbox\" id=\"audit-live\" checked> Show new entries as they happen</label>"
    } else {
        ""
    };
    format!(
        "{live_switch}\n<p class=\"visually-hidden\" id=\"audit-announce\" aria-live=\"polite\"></p>\n<div class=\"audit-table\" tabindex=\"0\" role=\"region\" aria-label=\"Audit entries\"><table>\n<caption class=\"visually-hidden\">Audit entries, newest first</caption>\n<thead><tr><th scope=\"col\">Time (UTC)</th><th scope=\"col\">Action</th><th scope=\"col\">Actor</th><th scope=\"col\">Target</th><th scope=\"col\">Outcome</th></tr></thead>\n<tbody id=\"audit-rows\">{rows}</tbody>\n</table></div>\n<nav class=\"audit-pages\" aria-label=\"Pages\">{newest} {older}</nav>"
    )
}

/// The table's rows; also what the live script fetches.
pub fn rows(entries: &[AuditEntry]) -> String {
    if entries.is_empty() {
        return "<tr><td colspan=\"5\">No entries match.</td></tr>".into();
    }
    entries
        .iter()
        .map(|entry| {
            let time = time_utc(entry.at_ms);
            format!(
                "<tr id=\"entry-{id}\"><td><time datetime=\"{time}\">{shown}</time></td><td>{action}</td><td>{actor}</td><td>{target}</td><td>{outcome}</td></tr>",
                id = escape(&entry.id),
                shown = time.replace('T', " ").trim_end_matches('Z'),
                action = escape(&entry.action),
                actor = escape(&entry.actor),
                target = escape(&entry.target),
                outcome = escape(&entry.outcome),
            )
        })
        .collect()
}

/// Every few seconds while the switch is on and the tab is visible,
/// fetches the first page's rows again and swaps them in, announcing how
/// many are new. The rows come escaped from the server.
fn live_script(nonce: &str) -> String {
    format!(
        r#"<script nonce="{nonce}">
(() => {{
  const rows = document.getElementById("audit-rows");
  const live = document.getElementById("audit-live");
  const say = document.getElementById("audit-announce");
  const url = location.pathname.replace(/\/?$/, "/rows") + location.search;
  const ids = () => new Set([...rows.querySelectorAll("tr[id]")].map((r) => r.id));
  setInterval(async () => {{
    if (!live.checked || document.hidden) return;
    const before = ids();
    const answer = await fetch(url, {{ credentials: "same-origin" }}).catch(() => null);
    if (!answer || !answer.ok) return;
    const html = await answer.text();
    if (html === rows.innerHTML) return;
    rows.innerHTML = html;
    const fresh = [...rows.querySelectorAll("tr[id]")].filter((r) => !before.has(r.id));
    fresh.forEach((r) => r.classList.add("fresh"));
    if (fresh.length) say.textContent = fresh.length === 1 ? "1 new entry" : fresh.length + " new entries";
  }}, 3000);
}})();
</script>"#,
        nonce = escape(nonce)
    )
}

fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_quoted_attribute(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_show_as_text_whatever_they_hold() {
        let entry = AuditEntry {
            id: "x\"><script>alert(1)</script>".into(),
            at_ms: 1_764_596_702_123,
            action: "okta.groups".into(),
            actor: "<img src=x onerror=alert(1)>".into(),
            target: "bob@example.com".into(),
            outcome: "read".into(),
            expires_at: 0,
        };
        let html = rows(&[entry]);
        assert!(
            !html.contains("<script") && !html.contains("<img"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
        assert!(html.contains(
            "<time datetime=\"2025-12-01T13:45:02.123Z\">2025-12-01 13:45:02.123</time>"
        ));
    }

    #[test]
    fn the_filter_form_keeps_what_was_asked_escaped() {
        let params = AuditParams {
            actor: "\"><b>bold</b>".into(),
            ..AuditParams::default()
        };
        let html = render("/base", "n0nce", &params, Body::Problem("<i>no</i>"));
        assert!(
            !html.contains("<b>bold") && !html.contains("<i>no"),
            "{html}"
        );
        assert!(!html.contains("<script"), "no live updates without entries");
        assert!(html.contains("action=\"/base/audit\""));
    }
}
