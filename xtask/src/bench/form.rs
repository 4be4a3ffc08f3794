//! Just enough HTML reading to submit a login form like a browser would:
//! the form's action, its hidden fields and the names of its email and
//! password inputs.

use anyhow::{Context, Result};

#[derive(Debug, PartialEq)]
pub struct LoginForm {
    /// The `action` attribute; empty means "post back to this page".
    pub action: String,
    /// Hidden inputs and named submit buttons, sent back as they are.
    pub fields: Vec<(String, String)>,
    pub email_field: String,
    pub password_field: String,
}

impl LoginForm {
    /// Reads the first `<form>` of a page that asks for a password (an
    /// identity provider may offer "continue as …" forms before it).
    pub fn parse(html: &str) -> Result<Self> {
        let mut at = 0;
        let mut first_error = None;
        while let Some(start) = find_tag(html, "form", at) {
            let end = find_ci(html, "</form", start).unwrap_or(html.len());
            match Self::parse_form(&html[start..end]) {
                Ok(form) => return Ok(form),
                Err(err) => first_error = first_error.or(Some(err)),
            }
            at = end;
        }
        Err(first_error.unwrap_or_else(|| anyhow::anyhow!("the page has no <form>")))
    }

    fn parse_form(form_html: &str) -> Result<Self> {
        let form_attrs = tags(form_html, "form").next().unwrap_or_default();
        let mut fields = Vec::new();
        let mut email_field = None;
        let mut password_field = None;
        for attrs in tags(form_html, "input") {
            let (Some(name), kind) = (attr(&attrs, "name"), attr(&attrs, "type")) else {
                continue;
            };
            let value = attr(&attrs, "value").unwrap_or_default();
            match kind.unwrap_or("text").to_ascii_lowercase().as_str() {
                "hidden" => fields.push((name.to_owned(), value.to_owned())),
                "password" => password_field = Some(name.to_owned()),
                "email" | "text" => email_field = email_field.or(Some(name.to_owned())),
                _ => {}
            }
        }
        for attrs in tags(form_html, "button") {
            let is_submit = attr(&attrs, "type").is_none_or(|t| t.eq_ignore_ascii_case("submit"));
            if let (true, Some(name)) = (is_submit, attr(&attrs, "name")) {
                let value = attr(&attrs, "value").unwrap_or_default();
                fields.push((name.to_owned(), value.to_owned()));
            }
        }
        Ok(Self {
            action: attr(&form_attrs, "action").unwrap_or_default().to_owned(),
            fields,
            email_field: email_field.context("the form has no email input")?,
            password_field: password_field.context("the form has no password input")?,
        })
    }

    /// The form data to post for these credentials.
    pub fn fill(&self, email: &str, password: &str) -> Vec<(String, String)> {
        let mut fields = self.fields.clone();
        fields.push((self.email_field.clone(), email.to_owned()));
        fields.push((self.password_field.clone(), password.to_owned()));
        fields
    }
}

type Attrs = Vec<(String, String)>;

fn attr<'a>(attrs: &'a Attrs, name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The attributes of every `<name ...>` tag, in document order.
fn tags<'a>(html: &'a str, name: &'a str) -> impl Iterator<Item = Attrs> + 'a {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = find_tag(html, name, at)?;
        let (attrs, end) = parse_attrs(html, start + 1 + name.len());
        at = end;
        Some(attrs)
    })
}

/// The byte offset of the next `<name` followed by whitespace, `/` or `>`.
fn find_tag(html: &str, name: &str, from: usize) -> Option<usize> {
    let needle = format!("<{name}");
    let mut at = from;
    loop {
        let start = find_ci(html, &needle, at)?;
        let next = html[start + needle.len()..].chars().next();
        if next.is_some_and(|c| c.is_ascii_whitespace() || c == '>' || c == '/') {
            return Some(start);
        }
        at = start + needle.len();
    }
}

fn find_ci(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .to_ascii_lowercase()
        .find(&needle.to_ascii_lowercase())
        .map(|i| i + from)
}

/// Parses attributes from `at` up to the tag's closing `>`; returns them and
/// the offset after the tag.
fn parse_attrs(html: &str, mut at: usize) -> (Attrs, usize) {
    let bytes = html.as_bytes();
    let mut attrs = Vec::new();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() || bytes[at] == b'>' {
            return (attrs, (at + 1).min(bytes.len()));
        }
        let name_start = at;
        while at < bytes.len()
            && !matches!(bytes[at], b'=' | b'>' | b'/')
            && !bytes[at].is_ascii_whitespace()
        {
            at += 1;
        }
        let name = html[name_start..at].to_ascii_lowercase();
        let mut value = String::new();
        if bytes.get(at) == Some(&b'=') {
            at += 1;
            let (raw, next) = match bytes.get(at) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let close = html[at + 1..]
                        .find(quote as char)
                        .map_or(bytes.len(), |i| at + 1 + i);
                    (&html[(at + 1).min(close)..close], close + 1)
                }
                _ => {
                    let end = html[at..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(bytes.len(), |i| at + i);
                    (&html[at..end], end)
                }
            };
            value = decode_entities(raw);
            at = next;
        }
        attrs.push((name, value));
    }
}

/// Decodes the character references HTML templates emit in attributes.
fn decode_entities(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let decoded = match &rest[1..semi] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            num => num
                .strip_prefix("#x")
                .or_else(|| num.strip_prefix("#X"))
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| num.strip_prefix('#').map(str::parse))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_login_form() {
        let html = r#"<html><body>
            <form method="post" action="/sso"><input type="hidden" name="continue_as" value="sso">
              <button type="submit">Continue as Alex</button></form>
            <form class="x" method="post" action="/login?a=1&amp;b=2">
              <input type="hidden" name="state" value="s&#39;1&quot;">
              <input type=hidden name=client_id value=abc />
              <label>Email <input id="email" type="email" name="username" autocomplete="username"></label>
              <label for="pw">Password</label><input id="pw" type="password" name="password">
              <button type="submit">Continue with Okta-OIDC</button>
            </form><form action="/other"><input type="hidden" name="no" value="no"></form>"#;
        let form = LoginForm::parse(html).unwrap();
        assert_eq!(form.action, "/login?a=1&b=2");
        assert_eq!(form.email_field, "username");
        assert_eq!(form.password_field, "password");
        assert_eq!(
            form.fill("a@example.com", "pw"),
            [
                ("state", "s'1\""),
                ("client_id", "abc"),
                ("username", "a@example.com"),
                ("password", "pw"),
            ]
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
        );
    }

    #[test]
    fn needs_a_password_input() {
        let err = LoginForm::parse("<form><input name=email></form>").unwrap_err();
        assert!(err.to_string().contains("password"));
    }

    #[test]
    fn decodes_entities() {
        assert_eq!(
            decode_entities("a&amp;b&#x2F;c&#47;&unknown;&"),
            "a&b/c/&unknown;&"
        );
    }
}
