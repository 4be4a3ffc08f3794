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

fn build(settings: &AppSettings, base: &str, value: String, max_age: Duration) -> Cookie<'static> {
    Cookie::build((name(settings, base), value))
        .http_only(true)
        .secure(settings.is_https())
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(max_age)
        .build()
}

fn value(settings: &AppSettings, jar: &CookieJar, base: &str) -> Option<String> {
    jar.get(&name(settings, base)).map(|c| c.value().to_owned())
}

fn set(
    settings: &AppSettings,
    jar: CookieJar,
    base: &str,
    value: String,
    lifetime_seconds: i64,
) -> CookieJar {
    jar.add(build(
        settings,
        base,
        value,
        Duration::seconds(lifetime_seconds),
    ))
}

/// An empty, already expired cookie: the browser drops it.
fn clear(settings: &AppSettings, jar: CookieJar, base: &str) -> CookieJar {
    jar.add(build(settings, base, String::new(), Duration::ZERO))
}

pub fn session_value(settings: &AppSettings, jar: &CookieJar) -> Option<String> {
    value(settings, jar, SESSION)
}

pub fn login_value(settings: &AppSettings, jar: &CookieJar) -> Option<String> {
    value(settings, jar, LOGIN)
}

pub fn set_session(
    settings: &AppSettings,
    jar: CookieJar,
    value: String,
    lifetime_seconds: i64,
) -> CookieJar {
    set(settings, jar, SESSION, value, lifetime_seconds)
}

pub fn set_login(
    settings: &AppSettings,
    jar: CookieJar,
    value: String,
    lifetime_seconds: i64,
) -> CookieJar {
    set(settings, jar, LOGIN, value, lifetime_seconds)
}

pub fn clear_session(settings: &AppSettings, jar: CookieJar) -> CookieJar {
    clear(settings, jar, SESSION)
}

pub fn clear_login(settings: &AppSettings, jar: CookieJar) -> CookieJar {
    clear(settings, jar, LOGIN)
}
