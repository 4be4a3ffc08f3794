//! The IdP's own single-sign-on session and its cookie.

use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::{DateTime, Utc};

use super::Auth0;
use super::store::{SSO_SESSION_TTL, SsoSession};
use super::users::DemoUser;

/// The sandbox shares the host `localhost` with the BFF and cookies ignore
/// ports, so every sandbox cookie name starts with `sandbox_`.
pub const COOKIE: &str = "sandbox_idp_sso";

pub fn current(auth0: &Auth0, jar: &CookieJar) -> Option<SsoSession> {
    let id = jar.get(COOKIE)?.value();
    auth0.store.sso_sessions.get(id)
}

/// Replaces any previous session with a new one for `user`.
pub fn start(
    auth0: &Auth0,
    jar: CookieJar,
    user: &'static DemoUser,
    auth_time: DateTime<Utc>,
) -> CookieJar {
    let jar = end(auth0, jar);
    let id = auth0
        .store
        .sso_sessions
        .insert(SsoSession { user, auth_time }, SSO_SESSION_TTL);
    jar.add(
        Cookie::build((COOKIE, id))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(auth0.secure_cookies),
    )
}

pub fn end(auth0: &Auth0, jar: CookieJar) -> CookieJar {
    match jar.get(COOKIE) {
        Some(cookie) => {
            auth0.store.sso_sessions.remove(cookie.value());
            jar.remove(Cookie::build(COOKIE).path("/"))
        }
        None => jar,
    }
}
