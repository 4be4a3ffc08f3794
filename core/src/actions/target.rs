//! The user an action is about comes from the model; accept only what looks
//! like an Okta login.

/// The login, if it is a plausible one (an email-like identifier without
/// spaces, slashes or control characters).
pub fn valid_login(candidate: &str) -> Option<&str> {
    let candidate = candidate.trim().trim_matches(|c| c == '\'' || c == '"');
    let plausible = (3..=254).contains(&candidate.len())
        && candidate.contains('@')
        && !candidate.starts_with('@')
        && !candidate.ends_with('@')
        && candidate.chars().all(|c| {
            !c.is_whitespace() && !c.is_control() && !matches!(c, '/' | '\\' | '?' | '#' | '%')
        });
    plausible.then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::valid_login;

    #[test]
    fn only_plausible_logins_pass() {
        assert_eq!(valid_login(" 'bob@example.com' "), Some("bob@example.com"));
        for bad in [
            "",
            "bob",
            "@x",
            "x@",
            "a b@c.d",
            "../admin@x",
            "a@b?c",
            "a@b%2f",
        ] {
            assert_eq!(valid_login(bad), None, "{bad:?}");
        }
    }
}
