//! The two cookies Custodian sets, with the attributes DESIGN asks for:
//! HttpOnly, SameSite=Lax, Path=/, and Secure plus the `__Host-` prefix
//! whenever the site is served over https.

use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use cookie::time::Duration;
use custodian_core::settings::AppSettings;

const SESSION: &str = "custodian_session";
const LOGIN: &str = "custodian_login";

fn name(settings: &AppSettings, base: &str) -> String {
    if settings.is_https() {
        format!("__Host-{base}")
    } else {
        base.to_owned()
    }
}

fn build(
    settings: &AppSettings,
    name: String,
    value: String,
    max_age: Duration,
) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .secure(settings.is_https())
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(max_age)
        .build()
}

pub fn session_value(settings: &AppSettings, jar: &CookieJar) -> Option<String> {
    jar.get(&name(settings, SESSION))
        .map(|c| c.value().to_owned())
}

pub fn login_value(settings: &AppSettings, jar: &CookieJar) -> Option<String> {
    jar.get(&name(settings, LOGIN))
        .map(|c| c.value().to_owned())
}

pub fn set_session(
    settings: &AppSettings,
    jar: CookieJar,
    value: String,
    lifetime_seconds: i64,
) -> CookieJar {
    jar.add(build(
        settings,
        name(settings, SESSION),
        value,
        Duration::seconds(lifetime_seconds),
    ))
}

pub fn set_login(
    settings: &AppSettings,
    jar: CookieJar,
    value: String,
    lifetime_seconds: i64,
) -> CookieJar {
    jar.add(build(
        settings,
        name(settings, LOGIN),
        value,
        Duration::seconds(lifetime_seconds),
    ))
}

pub fn clear_session(settings: &AppSettings, jar: CookieJar) -> CookieJar {
    jar.add(build(
        settings,
        name(settings, SESSION),
        String::new(),
        Duration::ZERO,
    ))
}

pub fn clear_login(settings: &AppSettings, jar: CookieJar) -> CookieJar {
    jar.add(build(
        settings,
        name(settings, LOGIN),
        String::new(),
        Duration::ZERO,
    ))
}
