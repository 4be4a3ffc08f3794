//! The demo users who can sign in to the sandbox IdP.
//!
//! Their passwords are published on the login page on purpose: this IdP only
//! ever runs on a developer's machine or in tests.

use crate::shared::secrets::constant_time_eq;

#[derive(Debug, PartialEq, Eq)]
pub struct DemoUser {
    pub email: &'static str,
    pub password: &'static str,
    pub name: &'static str,
    /// Auth0's user id for an Okta-federated user.
    pub sub: &'static str,
    /// What the sandbox's FGA store will allow this user, in words.
    pub role: &'static str,
    /// Whether their Okta account starts connected for Token Vault (the
    /// My Account API's Connected Accounts flow, done before the demo).
    pub okta_connected: bool,
}

const DEMO_USERS: &[DemoUser] = &[
    DemoUser {
        email: "admin@example.com",
        password: "admin-demo",
        name: "Alex Admin",
        sub: "oidc|Okta-OIDC|00uadmin0001",
        role: "Allowed everything: read groups and reset passwords",
        okta_connected: true,
    },
    DemoUser {
        email: "helpdesk@example.com",
        password: "helpdesk-demo",
        name: "Harper Helpdesk",
        sub: "oidc|Okta-OIDC|00uhelp0002",
        role: "May read Okta groups only",
        okta_connected: true,
    },
    DemoUser {
        email: "user@example.com",
        password: "user-demo",
        name: "Uma User",
        sub: "oidc|Okta-OIDC|00uuser0003",
        role: "Allowed nothing",
        okta_connected: true,
    },
    DemoUser {
        email: "newcomer@example.com",
        password: "newcomer-demo",
        name: "Nia Newcomer",
        sub: "oidc|Okta-OIDC|00unew0004",
        role: "May read Okta groups; has not connected Okta yet",
        okta_connected: false,
    },
    DemoUser {
        email: "second.admin@example.com",
        password: "second-demo",
        name: "Sam Second",
        sub: "oidc|Okta-OIDC|00usecond005",
        role: "Second administrator: approves resets of IT Admins and grants password resets",
        okta_connected: true,
    },
];

pub fn demo_users() -> &'static [DemoUser] {
    DEMO_USERS
}

/// The demo user with this Auth0 user id.
pub(crate) fn by_sub(sub: &str) -> Option<&'static DemoUser> {
    DEMO_USERS.iter().find(|u| u.sub == sub)
}

/// The user with this email (case-insensitive) and password, if any.
pub(crate) fn authenticate(email: &str, password: &str) -> Option<&'static DemoUser> {
    let user = DEMO_USERS
        .iter()
        .find(|u| u.email.eq_ignore_ascii_case(email.trim()))?;
    constant_time_eq(user.password.as_bytes(), password.as_bytes()).then_some(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authenticates_demo_users() {
        let admin = authenticate("Admin@Example.com ", "admin-demo").unwrap();
        assert_eq!(admin.name, "Alex Admin");
        assert!(authenticate("admin@example.com", "user-demo").is_none());
        assert!(authenticate("nobody@example.com", "admin-demo").is_none());
    }
}
