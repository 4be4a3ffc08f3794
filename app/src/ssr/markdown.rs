//! Markdown in replies and notices, rendered on the server into a safe
//! subset of HTML: paragraphs, emphasis, strikethrough, inline code, code
//! blocks, lists, tables and links. The browser shows the result as it is,
//! so nothing the agent writes may become markup of its own: raw HTML is
//! shown as text, images as their description, and a link only keeps its
//! target when that is an http or https address.
//!
//! Rendering here rather than in the browser keeps the Markdown parser out
//! of the WebAssembly bundle.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use pulldown_cmark_escape::escape_href;

use crate::api::Formatted;

/// `text` as safe HTML; single line breaks stay line breaks, as people
/// expect in a chat.
pub fn to_html(text: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut links = Vec::new();
    let events = Parser::new_ext(text, options).filter_map(|event| safe(event, &mut links));
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    html::push_html(&mut out, events);
    out.truncate(out.trim_end().len());
    out
}

/// One event made safe; `links` remembers, per open link, whether its
/// anchor was written, so that its end matches.
fn safe<'a>(event: Event<'a>, links: &mut Vec<bool>) -> Option<Event<'a>> {
    Some(match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        Event::SoftBreak => Event::HardBreak,
        Event::Start(Tag::Link { dest_url, .. }) => {
            let anchor = anchor(&dest_url);
            links.push(anchor.is_some());
            Event::InlineHtml(CowStr::from(anchor?))
        }
        Event::End(TagEnd::Link) => {
            links.pop().filter(|written| *written)?;
            Event::InlineHtml(CowStr::Borrowed("</a>"))
        }
        // An image's description stays as text; nothing is loaded.
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => return None,
        other => other,
    })
}

/// The opening tag of a link to `target`, which opens in a new tab and
/// tells the target nothing; `None` unless it is an http(s) address.
fn anchor(target: &str) -> Option<String> {
    let scheme = target.split_once(':')?.0.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    // Percent-encodes what a URL may not hold and escapes `&` and `'`:
    // safe inside a double-quoted attribute.
    let mut href = String::new();
    escape_href(&mut href, target).ok()?;
    Some(format!(
        r#"<a href="{href}" target="_blank" rel="noopener noreferrer">"#
    ))
}

/// A reply as it streams in, formatted a line at a time: each complete
/// line is rendered with everything before it, and the unfinished line
/// after it is shown as plain text until it ends.
#[derive(Default)]
pub struct ReplyFormatter {
    text: String,
    covered: usize,
}

impl ReplyFormatter {
    /// Adds a piece of the reply; `Some` when another line is complete.
    pub fn push(&mut self, piece: &str) -> Option<Formatted> {
        self.text.push_str(piece);
        let end = self.text.rfind('\n')?;
        (end > self.covered).then(|| self.render(end))
    }

    /// The whole reply once it has ended; `None` if already shown whole.
    pub fn finish(&mut self) -> Option<Formatted> {
        let end = self.text.len();
        (end > self.covered).then(|| self.render(end))
    }

    fn render(&mut self, end: usize) -> Formatted {
        self.covered = end;
        Formatted {
            html: to_html(&self.text[..end]),
            covers: end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_markdown_agents_write_renders_as_html() {
        let html = to_html(
            "Groups for **bob**:\n\n- `Engineering`\n- *Everyone*\n\n```\nokta groups\n```\n\n\
             | group | members |\n|---|---|\n| Engineering | 4 |\n\n~~old~~",
        );
        for part in [
            "<strong>bob</strong>",
            "<li><code>Engineering</code></li>",
            "<li><em>Everyone</em></li>",
            "<pre><code>okta groups\n</code></pre>",
            "<table>",
            "<td>Engineering</td>",
            "<del>old</del>",
        ] {
            assert!(html.contains(part), "{part} missing from {html}");
        }
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html(
            "<script>alert(1)</script>\n\nSee <img src=x onerror=alert(2)> and <b>this</b>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(2)&gt;"),
            "{html}"
        );
    }

    #[test]
    fn links_open_in_a_new_tab_and_only_for_web_addresses() {
        let html = to_html(
            "[docs](https://example.com/a?b=1&c=\"2\") [bad](javascript:alert(1)) \
             [data](data:text/html,hi) <https://example.org>",
        );
        assert!(
            html.contains(
                r#"<a href="https://example.com/a?b=1&amp;c=%222%22" target="_blank" rel="noopener noreferrer">docs</a>"#
            ),
            "{html}"
        );
        assert!(html.contains("bad"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.org" target="_blank""#),
            "{html}"
        );
        assert_eq!(html.matches("<a ").count(), html.matches("</a>").count());
    }

    #[test]
    fn images_keep_only_their_description() {
        let html = to_html("![the logo](https://example.com/logo.png)");
        assert_eq!(html, "<p>the logo</p>");
    }

    #[test]
    fn single_line_breaks_stay_line_breaks() {
        assert_eq!(to_html("one\ntwo"), "<p>one<br />\ntwo</p>");
    }

    #[test]
    fn a_streamed_reply_is_formatted_a_line_at_a_time() {
        let mut reply = ReplyFormatter::default();
        assert_eq!(reply.push("**Groups**"), None);
        let first = reply.push(" for bob:\n- Eng").expect("a line ended");
        assert_eq!(first.html, "<p><strong>Groups</strong> for bob:</p>");
        assert_eq!(first.covers, "**Groups** for bob:".len());
        assert_eq!(reply.push("ineering"), None);
        let last = reply.finish().expect("the rest");
        assert!(
            last.html.ends_with("<li>Engineering</li>\n</ul>"),
            "{}",
            last.html
        );
        assert_eq!(last.covers, "**Groups** for bob:\n- Engineering".len());
        assert_eq!(reply.finish(), None);
    }
}
