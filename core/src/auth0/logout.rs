//! Auth0's logout endpoint ("Log Users Out of Auth0", `GET /v2/logout`):
//! it ends the Auth0 session and sends the browser to `returnTo`, which must
//! be listed in the application's Allowed Logout URLs.

use url::Url;

use crate::settings::Auth0Settings;

/// `https://<tenant>/v2/logout?client_id=…&returnTo=…`.
pub fn logout_url(settings: &Auth0Settings, return_to: &Url) -> Result<Url, url::ParseError> {
    let mut url = settings.issuer().join("v2/logout")?;
    url.query_pairs_mut()
        .append_pair("client_id", &settings.client_id)
        .append_pair("returnTo", return_to.as_str());
    Ok(url)
}
