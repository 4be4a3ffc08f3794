//! What the approver's phone shows besides the binding message: one Rich
//! Authorization Request object in the schema the Auth0 Guardian app
//! renders ("Configure Rich Authorization Requests (RAR)", Auth0 Guardian
//! app: exactly one object, `type` `urn:auth0:schemas:authorization-details:v1:…`,
//! an `instruction` and displayed `properties`).
//!
//! Only what the administrator needs to recognise the request goes in: the
//! action, whose password, who asked and the binding code. The types below
//! have no room for a token, a secret or the `auth_req_id`.

use serde::Serialize;

use super::rar_limits::{self, MAX_VALUE_CHARS, RarLimitError};

/// Registered on the API named by `auth0.audience` (infra/README.md, 4.4).
pub const PASSWORD_RESET_TYPE: &str = "urn:auth0:schemas:authorization-details:v1:password-reset";
const ACTION: &str = "Reset Okta password";
/// Registered beside the reset's type: an approver granting a denied
/// permission for a while.
pub const ACCESS_GRANT_TYPE: &str = "urn:auth0:schemas:authorization-details:v1:access-grant";
const GRANT_ACTION: &str = "Grant access for a while";

/// Whether a value fits Auth0's length limit on property values.
fn fits(value: &str) -> bool {
    value.chars().count() <= MAX_VALUE_CHARS
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ApprovalDetailsError {
    /// An email address longer than any real one: refused rather than cut,
    /// since a shortened address could name someone else.
    #[error("{0} is longer than {MAX_VALUE_CHARS} characters")]
    TooLong(&'static str),
    #[error("they break Auth0's limits: {0}")]
    Limits(#[from] RarLimitError),
}

/// The reset to approve.
pub struct PasswordReset<'a> {
    /// Whose Okta password.
    pub target: &'a str,
    /// The administrator who asked.
    pub requester: &'a str,
    /// The code the chat shows, also in the binding message.
    pub binding_code: &'a str,
}

/// Access to grant for a while.
pub struct AccessGrant<'a> {
    /// What the access allows and for how long: "reset passwords for 1 hour".
    pub access: &'a str,
    /// Who asked for it (never the approver).
    pub requester: &'a str,
    pub binding_code: &'a str,
}

/// A checked `authorization_details` value: a JSON array, as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovalDetails(String);

#[derive(Serialize)]
struct Detail<'a> {
    r#type: &'static str,
    instruction: String,
    properties: Properties<'a>,
}

#[derive(Serialize)]
struct Properties<'a> {
    action: Property<'a>,
    target: Property<'a>,
    requester: Property<'a>,
    binding_code: Property<'a>,
}

#[derive(Serialize)]
struct Property<'a> {
    display: bool,
    name: &'static str,
    /// An integer, as Auth0's field description and full example have it.
    display_order: u8,
    value: &'a str,
}

impl ApprovalDetails {
    pub fn password_reset(reset: &PasswordReset<'_>) -> Result<Self, ApprovalDetailsError> {
        if !fits(reset.target) {
            return Err(ApprovalDetailsError::TooLong("the user's email address"));
        }
        Self::checked(
            PASSWORD_RESET_TYPE,
            reset_instruction(reset),
            (ACTION, ("User:", reset.target)),
            reset.requester,
            reset.binding_code,
        )
    }

    /// Time-limited access for `grant.requester`, approved by someone else.
    pub fn access_grant(grant: &AccessGrant<'_>) -> Result<Self, ApprovalDetailsError> {
        let full = format!(
            "Approve giving {} access to {} in Custodian.",
            grant.requester, grant.access
        );
        let instruction = if fits(&full) {
            full
        } else {
            "Approve the access below for the person below, requested in Custodian.".into()
        };
        Self::checked(
            ACCESS_GRANT_TYPE,
            instruction,
            (GRANT_ACTION, ("Access:", grant.access)),
            grant.requester,
            grant.binding_code,
        )
    }

    /// One detail in Guardian's schema, checked against Auth0's limits.
    fn checked(
        r#type: &'static str,
        instruction: String,
        (action, (target_name, target)): (&'static str, (&'static str, &str)),
        requester: &str,
        binding_code: &str,
    ) -> Result<Self, ApprovalDetailsError> {
        if !fits(target) {
            return Err(ApprovalDetailsError::TooLong("what is approved"));
        }
        if !fits(requester) {
            return Err(ApprovalDetailsError::TooLong("your email address"));
        }
        if !fits(binding_code) {
            return Err(ApprovalDetailsError::TooLong("the binding code"));
        }
        let detail = Detail {
            r#type,
            instruction,
            properties: Properties {
                action: shown(1, "Action:", action),
                target: shown(2, target_name, target),
                requester: shown(3, "Requested by:", requester),
                binding_code: shown(4, "Code:", binding_code),
            },
        };
        let text = serde_json::to_string(&[detail]).expect("plain structs serialise");
        rar_limits::check(&text)?;
        Ok(Self(text))
    }

    /// The form field's value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn shown<'a>(order: u8, name: &'static str, value: &'a str) -> Property<'a> {
    Property {
        display: true,
        name,
        display_order: order,
        value,
    }
}

/// The sentence with both addresses, or, when they make it too long, one
/// without them: the properties still name both.
fn reset_instruction(reset: &PasswordReset<'_>) -> String {
    let full = format!(
        "Approve resetting the Okta password of {}, requested by {} in Custodian.",
        reset.target, reset.requester
    );
    if fits(&full) {
        return full;
    }
    "Approve resetting the Okta password of the user below, requested in Custodian.".into()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn reset<'a>(target: &'a str, requester: &'a str) -> PasswordReset<'a> {
        PasswordReset {
            target,
            requester,
            binding_code: "K7F-2QX",
        }
    }

    fn parsed(details: &ApprovalDetails) -> Value {
        serde_json::from_str(details.as_str()).unwrap()
    }

    #[test]
    fn one_guardian_object_names_the_action_the_user_the_requester_and_the_code() {
        let details =
            ApprovalDetails::password_reset(&reset("bob@example.com", "admin@example.com"))
                .unwrap();
        let shown = |order: u8, name: &str, value: &str| json!({ "display": true, "name": name, "display_order": order, "value": value });
        assert_eq!(
            parsed(&details),
            json!([{
                "type": "urn:auth0:schemas:authorization-details:v1:password-reset",
                "instruction": "Approve resetting the Okta password of bob@example.com, requested by admin@example.com in Custodian.",
                "properties": {
                    "action": shown(1, "Action:", "Reset Okta password"),
                    "target": shown(2, "User:", "bob@example.com"),
                    "requester": shown(3, "Requested by:", "admin@example.com"),
                    "binding_code": shown(4, "Code:", "K7F-2QX"),
                },
            }])
        );
    }

    #[test]
    fn the_longest_addresses_fit_with_a_shorter_instruction() {
        let long = format!("{}@example.com", "a".repeat(242));
        assert_eq!(long.len(), 254);
        let details = ApprovalDetails::password_reset(&reset(&long, &long)).unwrap();
        let value = parsed(&details);
        let instruction = value[0]["instruction"].as_str().unwrap();
        assert!(instruction.chars().count() <= MAX_VALUE_CHARS);
        assert!(!instruction.contains(&long));
        assert_eq!(value[0]["properties"]["target"]["value"], long.as_str());
        assert_eq!(value[0]["properties"]["requester"]["value"], long.as_str());
    }

    #[test]
    fn an_address_too_long_to_show_is_refused_not_cut() {
        let too_long = format!("{}@example.com", "a".repeat(244));
        assert_eq!(
            ApprovalDetails::password_reset(&reset(&too_long, "admin@example.com")),
            Err(ApprovalDetailsError::TooLong("the user's email address"))
        );
        assert_eq!(
            ApprovalDetails::password_reset(&reset("bob@example.com", &too_long)),
            Err(ApprovalDetailsError::TooLong("your email address"))
        );
    }

    #[test]
    fn an_access_grant_names_the_access_the_requester_and_the_code() {
        let details = ApprovalDetails::access_grant(&AccessGrant {
            access: "reset passwords for 1 hour",
            requester: "helpdesk@example.com",
            binding_code: "K7F-2QX",
        })
        .unwrap();
        let value = parsed(&details);
        assert_eq!(value[0]["type"], ACCESS_GRANT_TYPE);
        assert_eq!(
            value[0]["instruction"],
            "Approve giving helpdesk@example.com access to reset passwords for 1 hour in Custodian."
        );
        assert_eq!(value[0]["properties"]["target"]["name"], "Access:");
        assert_eq!(
            value[0]["properties"]["target"]["value"],
            "reset passwords for 1 hour"
        );
        assert_eq!(
            value[0]["properties"]["requester"]["value"],
            "helpdesk@example.com"
        );
    }

    #[test]
    fn text_is_carried_as_data() {
        let odd = "o'brien+\"x\"<b>@example.com";
        let details = ApprovalDetails::password_reset(&reset(odd, "admin@example.com")).unwrap();
        assert_eq!(parsed(&details)[0]["properties"]["target"]["value"], odd);
    }
}
