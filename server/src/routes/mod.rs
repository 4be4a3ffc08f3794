//! HTTP routes outside the Leptos pages.

pub mod access;
pub mod audit;
pub mod auth;
pub mod composer_form;
pub mod connect;
mod connect_error;
pub mod health;
pub mod not_found;
pub mod page;
pub mod server_fns;
mod sign_in_error;

use custodian_core::settings::Settings;
use url::Url;

/// The public URL of one of Custodian's own paths, path prefix included.
pub fn public_url(settings: &Settings, path: &str) -> anyhow::Result<Url> {
    let url = format!(
        "{}{}{}",
        settings.app.origin(),
        settings.app.path_prefix(),
        path
    );
    Ok(Url::parse(&url)?)
}
