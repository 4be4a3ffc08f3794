//! The path Custodian is served under ("" locally, "/prod" behind an API
//! Gateway stage). Every link, asset and server-function URL carries it.

use leptos::prelude::*;

/// Provided by the server from settings, and by the browser from the
/// page's `custodian-base` meta tag.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BasePath(pub String);

/// The name of the meta tag that hands the base path to the browser.
pub const META_NAME: &str = "custodian-base";

pub fn base_path() -> String {
    use_context::<BasePath>().map(|b| b.0).unwrap_or_default()
}

/// `path` (starting with `/`) under the base path.
pub fn href(path: &str) -> String {
    format!("{}{path}", base_path())
}

/// The app path of a browser path: `/prod/c/x` → `/c/x`.
pub fn strip(path: &str) -> &str {
    strip_base(path, &base_path())
}

/// `path` without `base`, when it starts with it.
pub fn strip_base<'a>(path: &'a str, base: &str) -> &'a str {
    match path.strip_prefix(base) {
        Some(rest) if !base.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
            if rest.is_empty() { "/" } else { rest }
        }
        _ => path,
    }
}
