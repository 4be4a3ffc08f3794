//! The tuple admin page: a table of tuples, each with its Delete button,
//! and a form to add one. No script; works on a phone.

use std::fmt::Write;

use chrono::SecondsFormat;

use super::tuples::StoredTuple;
use super::validate::TupleKey;
use crate::web::html::{Page, escape};

pub const TITLE: &str = "FGA tuples (sandbox)";

pub struct AdminPage<'a> {
    pub tuples: &'a [StoredTuple],
    /// A completed change, announced politely.
    pub status: Option<&'a str>,
    /// A refused change, announced at once.
    pub error: Option<&'a str>,
    /// The add form's values, kept after an error.
    pub draft: [&'a str; 3],
}

impl AdminPage<'_> {
    pub fn render(&self) -> String {
        let mut body = format!(
            "<h1>{}</h1>\n<p class=\"note\">The relationship tuples of the sandbox's FGA store. \
             Changes apply to the next permission check at once.</p>\n",
            escape(TITLE)
        );
        if let Some(error) = self.error {
            let _ = writeln!(
                body,
                "<p class=\"alert\" role=\"alert\" id=\"tuple-error\">{}</p>",
                escape(error)
            );
        }
        // Always present, so screen readers announce a status that appears.
        let _ = writeln!(
            body,
            "<p role=\"status\"{}>{}</p>",
            if self.status.is_some() {
                " class=\"status\""
            } else {
                ""
            },
            escape(self.status.unwrap_or_default())
        );
        body.push_str(&self.table());
        body.push_str(&self.add_form());
        Page::new(TITLE, &body).wide().render()
    }

    fn table(&self) -> String {
        if self.tuples.is_empty() {
            return "<p>The store has no tuples: every check is denied.</p>\n".to_owned();
        }
        let mut rows = String::new();
        for tuple in self.tuples {
            let key = &tuple.key;
            let label = format!("Delete {} {} {}", key.user, key.relation, key.object);
            let _ = writeln!(
                rows,
                "<tr><td class=\"tuple\"><code>{user}</code><br><strong>{relation}</strong><br>\
                 <code>{object}</code>{condition}</td>\
                 <td class=\"wide-only\"><time datetime=\"{at}\">{at}</time></td>\
                 <td><form method=\"post\" action=\"/fga/admin/delete\" class=\"inline\">\
                 <input type=\"hidden\" name=\"user\" value=\"{user}\">\
                 <input type=\"hidden\" name=\"relation\" value=\"{relation}\">\
                 <input type=\"hidden\" name=\"object\" value=\"{object}\">\
                 <button type=\"submit\" class=\"secondary\" aria-label=\"{label}\">Delete</button>\
                 </form></td></tr>",
                user = escape(&key.user),
                relation = escape(&key.relation),
                object = escape(&key.object),
                condition = condition(key),
                at = tuple.timestamp.to_rfc3339_opts(SecondsFormat::Secs, true),
                label = escape(&label),
            );
        }
        format!(
            "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"tuples-caption\" tabindex=\"0\">\n\
             <table>\n<caption id=\"tuples-caption\">{count} tuples</caption>\n\
             <thead><tr><th scope=\"col\">User, relation, object</th>\
             <th scope=\"col\" class=\"wide-only\">Written</th>\
             <th scope=\"col\"><span class=\"note\">Action</span></th></tr></thead>\n\
             <tbody>\n{rows}</tbody>\n</table>\n</div>\n",
            count = self.tuples.len()
        )
    }

    fn add_form(&self) -> String {
        let invalid = if self.error.is_some() {
            " aria-invalid=\"true\" aria-describedby=\"tuple-error\""
        } else {
            ""
        };
        let [user, relation, object] = self.draft.map(escape);
        format!(
            "<h2 id=\"add-tuple\">Add a tuple</h2>\n\
             <form method=\"post\" action=\"/fga/admin/add\" aria-labelledby=\"add-tuple\">\n\
             <label for=\"tuple-user\">User</label>\n\
             <input id=\"tuple-user\" name=\"user\" required autocapitalize=\"none\" spellcheck=\"false\" \
             placeholder=\"user:bob@example.com\" aria-describedby=\"tuple-user-hint\" value=\"{user}\"{invalid}>\n\
             <p class=\"note\" id=\"tuple-user-hint\">For example <code>user:bob@example.com</code> \
             or <code>group:helpdesk#member</code>.</p>\n\
             <label for=\"tuple-relation\">Relation</label>\n\
             <input id=\"tuple-relation\" name=\"relation\" required autocapitalize=\"none\" spellcheck=\"false\" \
             list=\"relations\" placeholder=\"read_okta\" value=\"{relation}\"{invalid}>\n\
             <datalist id=\"relations\"><option value=\"read_okta\"><option value=\"reset_password\">\
             <option value=\"approver\"><option value=\"auditor\"><option value=\"member\"></datalist>\n\
             <label for=\"tuple-object\">Object</label>\n\
             <input id=\"tuple-object\" name=\"object\" required autocapitalize=\"none\" spellcheck=\"false\" \
             list=\"objects\" placeholder=\"okta:groups\" value=\"{object}\"{invalid}>\n\
             <datalist id=\"objects\"><option value=\"okta:groups\"><option value=\"okta:password\">\
             <option value=\"audit_log:custodian\"><option value=\"group:helpdesk\"></datalist>\n\
             <button type=\"submit\">Add tuple</button>\n</form>"
        )
    }
}

/// A conditional tuple holds only while its condition does, so its row
/// says which.
fn condition(key: &TupleKey) -> String {
    key.condition
        .as_ref()
        .map(|c| {
            format!(
                "<br><span class=\"note\">with <code>{}</code></span>",
                escape(&c.name)
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fga::validate::RelationshipCondition;

    #[test]
    fn labels_every_delete_button_and_escapes_values() {
        let tuples = [StoredTuple {
            key: TupleKey::new("user:<b>@x", "read_okta", "okta:groups"),
            timestamp: chrono::Utc::now(),
        }];
        let html = AdminPage {
            tuples: &tuples,
            status: None,
            error: Some("<bad>"),
            draft: ["\"><script>", "", ""],
        }
        .render();
        assert!(html.contains("aria-label=\"Delete user:&lt;b&gt;@x read_okta okta:groups\""));
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<bad>"));
        assert!(html.contains("<label for=\"tuple-user\">User</label>"));
        assert!(html.contains(">Add tuple</button>"));
        assert!(html.contains("<option value=\"approver\">"));
    }

    #[test]
    fn names_a_tuples_condition() {
        let key = TupleKey {
            condition: Some(RelationshipCondition {
                name: "not_expired".into(),
                context: serde_json::Map::new(),
            }),
            ..TupleKey::new("user:bob@x", "reset_password", "okta:password")
        };
        let tuples = [StoredTuple {
            key,
            timestamp: chrono::Utc::now(),
        }];
        let html = AdminPage {
            tuples: &tuples,
            status: None,
            error: None,
            draft: ["", "", ""],
        }
        .render();
        assert!(html.contains("with <code>not_expired</code>"), "{html}");
    }
}
