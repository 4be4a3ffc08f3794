//! The sandbox's universal-login page.

use std::fmt::Write;

use crate::auth0::users::{DemoUser, demo_users};
use crate::web::html::{escape, page};

pub const TITLE: &str = "Sign in to Custodian (sandbox)";
/// What the form is for when it guards the approval page.
pub const GUARDIAN_INTRO: &str = "Sign in to see the approval requests waiting for you.";

pub struct LoginPage<'a> {
    /// The server-side pending request this form completes.
    pub request_id: &'a str,
    pub connection_name: &'a str,
    /// Signed in to the IdP already: offer to continue as this user.
    pub sso_user: Option<&'static DemoUser>,
    pub error: Option<&'a str>,
    /// Echoed back after a failed attempt so the user need not retype it.
    pub email: &'a str,
    /// Why to sign in, when it is not for an application.
    pub intro: Option<&'a str>,
}

impl LoginPage<'_> {
    pub fn render(&self) -> String {
        let body = [
            format!("<h1>{}</h1>\n", escape(TITLE)),
            self.intro
                .map(|intro| format!("<p>{}</p>\n", escape(intro)))
                .unwrap_or_default(),
            "<p class=\"note\">This is Custodian's local Auth0 stand-in. \
             It knows only the demo users listed below; never type a real password here.</p>\n"
                .to_owned(),
            self.error.map(alert).unwrap_or_default(),
            self.sso_user
                .map(|user| self.continue_as_form(user))
                .unwrap_or_default(),
            self.credentials_form(),
            demo_user_table(),
        ]
        .concat();
        page(TITLE, &body)
    }

    /// One click to reuse the IdP session: SSO still asks for consent to continue.
    fn continue_as_form(&self, user: &DemoUser) -> String {
        format!(
            "<form method=\"post\" action=\"/authorize/login\">\n\
             <input type=\"hidden\" name=\"request_id\" value=\"{request_id}\">\n\
             <input type=\"hidden\" name=\"continue_as\" value=\"sso\">\n\
             <button type=\"submit\" class=\"secondary\">Continue as {name}</button>\n\
             </form>\n<p class=\"or\">or sign in as someone else</p>\n",
            request_id = escape(self.request_id),
            name = escape(user.name),
        )
    }

    fn credentials_form(&self) -> String {
        let invalid = if self.error.is_some() {
            " aria-invalid=\"true\" aria-describedby=\"login-error\""
        } else {
            ""
        };
        format!(
            "<form method=\"post\" action=\"/authorize/login\">\n\
             <input type=\"hidden\" name=\"request_id\" value=\"{request_id}\">\n\
             <label for=\"email\">Email</label>\n\
             <input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" \
             inputmode=\"email\" autocapitalize=\"none\" spellcheck=\"false\" required \
             value=\"{email}\"{invalid}>\n\
             <label for=\"password\">Password</label>\n\
             <input id=\"password\" name=\"password\" type=\"password\" \
             autocomplete=\"current-password\" required{invalid}>\n\
             <button type=\"submit\">Continue with {connection}</button>\n\
             </form>\n",
            request_id = escape(self.request_id),
            email = escape(self.email),
            connection = escape(self.connection_name),
        )
    }
}

/// Announced by screen readers as soon as the page loads.
fn alert(message: &str) -> String {
    format!(
        "<p class=\"alert\" role=\"alert\" id=\"login-error\">{}</p>\n",
        escape(message)
    )
}

fn demo_user_table() -> String {
    let mut rows = String::new();
    for user in demo_users() {
        // Writing to a String cannot fail.
        let _ = writeln!(
            rows,
            "<tr><td><strong>{}</strong><br><code>{}</code><br><span class=\"note\">{}</span></td>\
             <td><code>{}</code></td></tr>",
            escape(user.name),
            escape(user.email),
            escape(user.role),
            escape(user.password),
        );
    }
    format!(
        "<h2 id=\"demo-users\">Demo users</h2>\n\
         <div class=\"table-wrap\" role=\"region\" aria-labelledby=\"demo-users\" tabindex=\"0\">\n\
         <table>\n<caption>Sign in as any of these users.</caption>\n\
         <thead><tr><th scope=\"col\">User and what they may do</th>\
         <th scope=\"col\">Password</th></tr></thead>\n\
         <tbody>\n{rows}</tbody>\n</table>\n</div>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_it_echoes() {
        let html = LoginPage {
            request_id: "id\"><script>",
            connection_name: "Okta<OIDC>",
            sso_user: None,
            error: Some("<b>bad</b>"),
            email: "\"><script>alert(1)</script>",
            intro: None,
        }
        .render();
        assert!(!html.contains("<script>"));
        assert!(html.contains("Continue with Okta&lt;OIDC&gt;"));
        assert!(html.contains("role=\"alert\""));
    }
}
