//! Permission denials as the chat reads them: Custodian's own text, which
//! starts with a fixed marker and names the missing relation in backticks,
//! so the chat can show them distinctly and offer to request the access.

/// What the text of every permission denial starts with.
pub const DENIAL_MARKER: &str = "Permission denied:";

/// The FGA relation a denial's text names (`` the `reset_password`
/// permission ``), if the text is a denial.
pub fn denied_relation(text: &str) -> Option<&str> {
    let rest = text.strip_prefix(DENIAL_MARKER)?;
    let (before, _) = rest.split_once("` permission")?;
    let (_, relation) = before.rsplit_once('`')?;
    let plain =
        !relation.is_empty() && relation.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    plain.then_some(relation)
}

#[cfg(test)]
mod tests {
    use super::denied_relation;

    #[test]
    fn the_relation_is_read_from_a_denial_only() {
        let denial = "Permission denied: Harper (helpdesk@example.com) lacks the \
                      `reset_password` permission on `okta:password` in Auth0 FGA.";
        assert_eq!(denied_relation(denial), Some("reset_password"));
        let revoked = "Permission denied: a@example.com no longer has the `read_okta` \
                       permission on `okta:groups` in Auth0 FGA.";
        assert_eq!(denied_relation(revoked), Some("read_okta"));
        assert_eq!(
            denied_relation("Sure: you lack the `reset_password` permission."),
            None
        );
        assert_eq!(
            denied_relation("Permission denied: lacks the `<b>` permission"),
            None
        );
        assert_eq!(
            denied_relation("Permission denied: no relation named"),
            None
        );
    }
}
