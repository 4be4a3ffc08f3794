//! How a permission denial reads. The wording starts with a fixed marker
//! so the chat can show denials distinctly, names what is missing, and
//! says whom to ask: the permission's approvers in FGA, when it has any.

use crate::fga::{DENIAL_MARKER, Permission};

use super::{ActionContext, Actor};

/// The most approvers a denial names.
const MAX_NAMED_APPROVERS: usize = 3;

/// The denial of `permission` to `actor`, with who may grant it.
pub async fn explain(
    context: &ActionContext,
    actor: &Actor,
    permission: Permission,
    target: &str,
) -> String {
    let mut approvers = context.fga.approvers(permission).await;
    // Nobody grants themselves anything.
    approvers.retain(|email| *email != actor.session.user.email);
    text(actor, permission, target, &approvers)
}

pub fn text(actor: &Actor, permission: Permission, target: &str, approvers: &[String]) -> String {
    let action = match permission {
        Permission::ReadOktaGroups => format!("read the Okta groups of {target}"),
        Permission::ResetPassword => format!("reset the password of {target}"),
        Permission::ReadAuditLog => "read the audit log".to_owned(),
    };
    format!(
        "{DENIAL_MARKER} {} ({}) lacks the `{}` permission on `{}` in Auth0 FGA, so Custodian did not {action}. {}",
        actor.session.user.name,
        actor.session.user.email,
        permission.relation(),
        permission.object(),
        whom_to_ask(approvers),
    )
}

fn whom_to_ask(approvers: &[String]) -> String {
    match approvers {
        [] => "Ask an FGA administrator to grant it.".to_owned(),
        [one] => format!("{one} can grant it."),
        named => {
            let shown = &named[..named.len().min(MAX_NAMED_APPROVERS)];
            let more = named.len() - shown.len();
            let (last, first) = shown.split_last().unwrap_or((&shown[0], &[]));
            let others = if more > 0 {
                format!(", {last} and {more} more")
            } else {
                format!(" or {last}")
            };
            format!("Ask {}{others} to grant it.", first.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::whom_to_ask;

    fn emails(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("a{i}@example.com")).collect()
    }

    #[test]
    fn the_approvers_are_named_and_a_long_list_is_cut() {
        assert_eq!(whom_to_ask(&[]), "Ask an FGA administrator to grant it.");
        assert_eq!(whom_to_ask(&emails(1)), "a1@example.com can grant it.");
        assert_eq!(
            whom_to_ask(&emails(2)),
            "Ask a1@example.com or a2@example.com to grant it."
        );
        assert_eq!(
            whom_to_ask(&emails(3)),
            "Ask a1@example.com, a2@example.com or a3@example.com to grant it."
        );
        assert_eq!(
            whom_to_ask(&emails(5)),
            "Ask a1@example.com, a2@example.com, a3@example.com and 2 more to grant it."
        );
    }
}
