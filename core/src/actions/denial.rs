//! How a permission denial reads. The wording starts with a fixed marker
//! so the chat can show denials distinctly.

use crate::fga::{DENIAL_MARKER, Permission};

use super::Actor;

pub fn text(actor: &Actor, permission: Permission, target: &str) -> String {
    let action = match permission {
        Permission::ReadOktaGroups => format!("read the Okta groups of {target}"),
        Permission::ResetPassword => format!("reset the password of {target}"),
        Permission::ReadAuditLog => "read the audit log".to_owned(),
    };
    format!(
        "{DENIAL_MARKER} {} ({}) lacks the `{}` permission on `{}` in Auth0 FGA, so Custodian did not {action}. Ask an FGA administrator to grant it.",
        actor.session.user.name,
        actor.session.user.email,
        permission.relation(),
        permission.object(),
    )
}
