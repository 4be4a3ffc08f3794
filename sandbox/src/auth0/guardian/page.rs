//! The approval page: the signed-in user's pending requests, each with what
//! it asks to approve (its Rich Authorization Request details), its binding
//! message shown large, the time left, and Approve / Deny.

use std::fmt::Write;

use chrono::{DateTime, SecondsFormat, Utc};

use super::{PATH, details};
use crate::auth0::ciba::{CibaView, guardian_details};
use crate::auth0::users::DemoUser;
use crate::web::html::{Page, escape};

pub const TITLE: &str = "Approval requests (sandbox)";
/// New requests show up within this many seconds, without a script.
const REFRESH_SECONDS: u32 = 5;

pub struct GuardianPage<'a> {
    pub user: &'a DemoUser,
    pub requests: &'a [CibaView],
    /// What was just done, announced politely.
    pub status: Option<&'a str>,
    /// Whether the user has a device enrolled; without one, the page
    /// offers to enrol this one and no request can reach it.
    pub enrolled: bool,
}

impl GuardianPage<'_> {
    pub fn render(&self) -> String {
        let mut body = format!(
            "<h1>Approval requests</h1>\n\
             <p class=\"note\">The sandbox's stand-in for the Auth0 Guardian app. Signed in as \
             <strong>{name}</strong> ({email}).</p>\n\
             <form method=\"post\" action=\"{PATH}/sign-out\">\
             <button type=\"submit\" class=\"secondary\">Sign out</button></form>\n\
             <p role=\"status\"{class}>{status}</p>\n",
            name = escape(self.user.name),
            email = escape(self.user.email),
            class = if self.status.is_some() {
                " class=\"status\""
            } else {
                ""
            },
            status = escape(self.status.unwrap_or_default()),
        );
        if !self.enrolled {
            body.push_str(
                "<h2>No phone enrolled</h2>\n<p class=\"note\">Approval requests need a phone \
                 enrolled for push notifications (the sandbox's stand-in for scanning Auth0's \
                 enrolment QR code with the Guardian app).</p>\n\
                 <form method=\"post\" action=\"/guardian/enrol\">\
                 <button type=\"submit\">Enrol this phone</button></form>\n",
            );
        } else if self.requests.is_empty() {
            body.push_str(
                "<h2>No approval requests</h2>\n<p class=\"note\">When Custodian asks for your \
                 approval, the request appears here by itself.</p>\n",
            );
        }
        let now = Utc::now().timestamp_millis();
        for request in self.requests {
            body.push_str(&card(request, now));
        }
        Page::new(TITLE, &body)
            .refresh(REFRESH_SECONDS, PATH)
            .render()
    }
}

fn card(request: &CibaView, now_ms: i64) -> String {
    let id = escape(&request.handle);
    let seconds_left = ((request.expires_at - now_ms).max(0) + 999) / 1000;
    let expires = DateTime::<Utc>::from_timestamp_millis(request.expires_at)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default();
    let shown = request
        .authorization_details
        .as_ref()
        .and_then(guardian_details)
        .map(|shown| details::render(&request.handle, &shown))
        .unwrap_or_default();
    let mut html = String::new();
    let _ = write!(
        html,
        "<article class=\"request\" aria-labelledby=\"title-{id}\">\n\
         <h2 id=\"title-{id}\">Approve this request?</h2>\n\
         {shown}\
         <p class=\"binding\" id=\"message-{id}\">{message}</p>\n\
         <p class=\"note\">Check that the code matches the one Custodian shows. \
         Expires in <time datetime=\"{expires}\">{left}</time>.</p>\n\
         <div class=\"actions\">\n\
         <form method=\"post\" action=\"{PATH}/{id}/approve\">\
         <button type=\"submit\" aria-describedby=\"message-{id}\">Approve</button></form>\n\
         <form method=\"post\" action=\"{PATH}/{id}/deny\">\
         <button type=\"submit\" class=\"deny\" aria-describedby=\"message-{id}\">Deny</button></form>\n\
         </div>\n</article>\n",
        message = escape(&request.binding_message),
        left = time_left(seconds_left),
    );
    html
}

/// "4 min 05 s", "45 s".
fn time_left(seconds: i64) -> String {
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} s"),
        (m, s) => format!("{m} min {s:02} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth0::users::demo_users;

    fn view(message: &str) -> CibaView {
        let now = Utc::now().timestamp_millis();
        CibaView {
            handle: "abc123".into(),
            sub: demo_users()[0].sub.into(),
            binding_message: message.into(),
            authorization_details: None,
            state: "pending",
            polls: vec![],
            created_at: now,
            expires_at: now + 125_000,
            interval: 5,
            collected: false,
        }
    }

    #[test]
    fn shows_each_request_with_its_buttons() {
        let requests = [view("Custodian password reset, code K7F-2QX")];
        let html = GuardianPage {
            user: &demo_users()[0],
            requests: &requests,
            status: None,
            enrolled: true,
        }
        .render();
        assert!(html.contains(
            "class=\"binding\" id=\"message-abc123\">Custodian password reset, code K7F-2QX<"
        ));
        assert!(html.contains("action=\"/guardian/abc123/approve\""));
        assert!(html.contains(">Approve</button>"));
        assert!(html.contains(">Deny</button>"));
        assert!(
            html.contains("2 min 0") || html.contains("2 min 05"),
            "{html}"
        );
        assert!(html.contains("http-equiv=\"refresh\""));
        assert!(!html.contains("No approval requests"));
    }

    #[test]
    fn shows_what_is_approved_above_the_code_and_buttons() {
        let mut request = view("Custodian password reset, code K7F-2QX");
        request.authorization_details = Some(serde_json::json!([{
            "type": "urn:auth0:schemas:authorization-details:v1:password-reset",
            "instruction": "Approve resetting the Okta password of <i>bob</i>@example.com.",
            "properties": {
                "requester": { "display": true, "name": "Requested by:", "display_order": 2, "value": "admin@example.com" },
                "target": { "display": true, "name": "User:", "display_order": 1, "value": "<i>bob</i>@example.com" },
            },
        }]));
        let html = GuardianPage {
            user: &demo_users()[0],
            requests: &[request],
            status: None,
            enrolled: true,
        }
        .render();
        let instruction = html
            .find("Approve resetting the Okta password of &lt;i&gt;bob&lt;/i&gt;@example.com.")
            .expect("the instruction, escaped");
        let user = html.find("<dt>User:</dt>").expect("the target");
        let requester = html.find("<dt>Requested by:</dt>").expect("the requester");
        let code = html.find("class=\"binding\"").unwrap();
        let approve = html.find(">Approve</button>").unwrap();
        assert!(instruction < user && user < requester && requester < code && code < approve);
        assert!(!html.contains("<i>"), "{html}");
    }

    #[test]
    fn offers_enrolment_when_no_phone_is_enrolled() {
        let html = GuardianPage {
            user: &demo_users()[0],
            requests: &[],
            status: None,
            enrolled: false,
        }
        .render();
        assert!(html.contains("No phone enrolled"));
        assert!(html.contains("action=\"/guardian/enrol\""));
        assert!(!html.contains("No approval requests"));
    }

    #[test]
    fn says_when_there_is_nothing_to_approve_and_escapes() {
        let html = GuardianPage {
            user: &demo_users()[1],
            requests: &[],
            status: Some("<b>done</b>"),
            enrolled: true,
        }
        .render();
        assert!(html.contains("No approval requests"));
        assert!(!html.contains("<b>done</b>"));
        assert_eq!(time_left(45), "45 s");
        assert_eq!(time_left(245), "4 min 05 s");
    }
}
