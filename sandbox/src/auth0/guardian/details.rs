//! What a request asks the approver to approve, as the Guardian app shows
//! Rich Authorization Request details: the instruction, then the displayed
//! properties in their order. Every word is the requester's, so all of it
//! is escaped.

use std::fmt::Write;

use crate::auth0::ciba::GuardianDetails;
use crate::web::html::escape;

/// The section for request `id`'s card.
pub fn render(id: &str, details: &GuardianDetails) -> String {
    let mut html = format!(
        "<section class=\"details\" aria-labelledby=\"instruction-{id}\">\n\
         <p class=\"instruction\" id=\"instruction-{id}\">{instruction}</p>\n",
        id = escape(id),
        instruction = escape(&details.instruction),
    );
    if !details.properties.is_empty() {
        html.push_str("<dl>\n");
        for (name, value) in &details.properties {
            let _ = writeln!(html, "<dt>{}</dt><dd>{}</dd>", escape(name), escape(value));
        }
        html.push_str("</dl>\n");
    }
    html.push_str("</section>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_the_instruction_then_each_property_escaped() {
        let details = GuardianDetails {
            instruction: "Approve <script>alert(1)</script>?".into(),
            properties: vec![
                ("User:".into(), "bob@example.com".into()),
                ("<b>By:</b>".into(), "\"admin\"@example.com".into()),
            ],
        };
        let html = render("abc", &details);
        assert!(html.contains(
            "<p class=\"instruction\" id=\"instruction-abc\">Approve &lt;script&gt;alert(1)&lt;/script&gt;?</p>"
        ));
        assert!(html.contains("<dt>User:</dt><dd>bob@example.com</dd>"));
        assert!(
            html.contains("<dt>&lt;b&gt;By:&lt;/b&gt;</dt><dd>&quot;admin&quot;@example.com</dd>")
        );
        assert!(!html.contains("<script>") && !html.contains("<b>"));
        assert!(html.find("User:").unwrap() < html.find("By:").unwrap());
    }
}
