//! The demo users `config/local.json` seeds, as `(email, password)`.

pub const ADMIN: (&str, &str) = ("admin@example.com", "admin-demo");
pub const HELPDESK: (&str, &str) = ("helpdesk@example.com", "helpdesk-demo");
pub const USER: (&str, &str) = ("user@example.com", "user-demo");
/// An approver of resets: the second administrator under dual control.
pub const SECOND_ADMIN: (&str, &str) = ("second.admin@example.com", "second-demo");

/// Their `sub` as Auth0 names a user of the Okta OIDC connection.
pub const ADMIN_SUB: &str = "oidc|Okta-OIDC|00uadmin0001";
pub const HELPDESK_SUB: &str = "oidc|Okta-OIDC|00uhelp0002";
pub const SECOND_ADMIN_SUB: &str = "oidc|Okta-OIDC|00usecond005";
