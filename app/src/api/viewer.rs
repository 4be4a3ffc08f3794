//! Who is signed in, as the page shows it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AppError;
use super::json::BrowserJson;

/// The signed-in user, as the sidebar shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub name: String,
    pub email: String,
    pub initials: String,
    pub session: SessionInfo,
    /// What a denied user may ask an approver for, in the order offered.
    pub access_choices: Vec<AccessChoice>,
}

/// One "Request access for …" button.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessChoice {
    pub seconds: u64,
    /// "1 hour".
    pub label: String,
}

/// Session metadata only: never a token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub issuer: String,
    pub scopes: Vec<String>,
    /// Unix seconds at which the session ends at the latest.
    pub expires_at: i64,
    /// The same instant for people, rendered by the server in UTC.
    pub expires_label: String,
}

/// `None` when signed out (that is not an error).
#[server(prefix = "/api", endpoint = "current_viewer", output = BrowserJson)]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    let Some(session) = crate::ssr::current_session().await? else {
        return Ok(None);
    };
    Ok(Some(viewer_of(&session, &crate::ssr::state()?.settings)))
}

/// How the page shows the user of `session`.
#[cfg(feature = "ssr")]
pub fn viewer_of(
    session: &custodian_core::store::SessionRecord,
    settings: &custodian_core::settings::Settings,
) -> Viewer {
    Viewer {
        initials: initials(&session.user.name),
        name: session.user.name.clone(),
        email: session.user.email.clone(),
        session: SessionInfo {
            issuer: session.issuer.clone(),
            scopes: session.scopes.clone(),
            expires_at: session.expires_at(),
            expires_label: crate::ssr::utc_label(session.expires_at()),
        },
        access_choices: settings
            .elevation
            .durations
            .iter()
            .map(|duration| AccessChoice {
                seconds: duration.as_secs(),
                label: custodian_core::settings::duration_label(*duration),
            })
            .collect(),
    }
}

/// "Alex Admin" → "AA"; a one-word name gives one letter.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_the_first_two_words() {
        assert_eq!(initials("Alex Admin"), "AA");
        assert_eq!(initials("Cher"), "C");
        assert_eq!(initials("émile zola junior"), "ÉZ");
        assert_eq!(initials(""), "");
    }
}
