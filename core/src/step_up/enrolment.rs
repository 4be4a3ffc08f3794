//! What an approver without an enrolled Guardian device reads: why no push
//! arrived and how to enrol, in Custodian's own words (the vendor's error
//! text is never shown).

use url::Url;

/// What the text starts with, so the chat shows it as a notice, verbatim,
/// whatever the agent makes of it.
pub const ENROLMENT_MARKER: &str = "Phone not enrolled for approvals:";

/// The whole message: marker, `why` (from the CIBA error), what was not
/// done, and how to enrol at `enrolment_url` or, without one, through an
/// Auth0 administrator.
pub fn enrolment_guidance(why: &str, enrolment_url: Option<&Url>) -> String {
    let how = match enrolment_url {
        Some(url) => format!(
            "To enrol, install the Auth0 Guardian app on your phone, open {url} and follow it \
             (you scan a QR code with the app)."
        ),
        None => "To enrol, ask your Auth0 administrator to send you a Guardian enrolment \
                 invitation (Auth0 Dashboard: User Management, Users, your account, \
                 Multi-Factor Authentication), install the Auth0 Guardian app on your phone \
                 and scan the invitation's QR code with it."
            .to_owned(),
    };
    format!("{ENROLMENT_MARKER} {why}, so the password was not reset. {how} Then ask again.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guidance_names_the_page_or_the_administrator_route() {
        let url = Url::parse("https://it.example.com/enrol-phone").unwrap();
        let with_page = enrolment_guidance("no phone", Some(&url));
        assert!(with_page.starts_with(ENROLMENT_MARKER), "{with_page}");
        assert!(with_page.contains("no phone, so the password was not reset."));
        assert!(with_page.contains("open https://it.example.com/enrol-phone and"));
        assert!(with_page.ends_with("Then ask again."));

        let without = enrolment_guidance("no phone", None);
        assert!(
            without.contains("Guardian enrolment invitation"),
            "{without}"
        );
        assert!(!without.contains("https://"), "{without}");
    }
}
