//! The environment layer: `CUSTODIAN__SECTION__FIELD=value` overrides
//! `section.field`, with each SNAKE_CASE segment read as the JSON's camelCase.
//! A provider of our own (rather than figment's `Env`) so tests can hand in
//! variables without touching the process environment, and so every value
//! stays a string until the field it lands in asks for a number.

use figment::value::{Dict, Map, Value};
use figment::{Error, Metadata, Profile, Provider};

pub(super) const PREFIX: &str = "CUSTODIAN__";

pub(super) struct EnvLayer {
    dict: Dict,
}

impl EnvLayer {
    pub(super) fn new(vars: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut vars: Vec<(String, String)> = vars
            .into_iter()
            .filter_map(|(key, value)| {
                let rest = strip_prefix_ignore_case(&key, PREFIX)?;
                Some((rest.to_owned(), value))
            })
            .collect();
        // Sorted so that a section variable and its field variables combine
        // the same way on every start.
        vars.sort();
        let mut dict = Dict::new();
        for (rest, value) in vars {
            if rest.is_empty() {
                continue;
            }
            let path: Vec<String> = rest.split("__").map(camel_case).collect();
            insert(&mut dict, &path, Value::from(value));
        }
        Self { dict }
    }
}

impl Provider for EnvLayer {
    fn metadata(&self) -> Metadata {
        Metadata::named("environment").interpolater(|_, keys| variable_name(keys))
    }

    fn data(&self) -> Result<Map<Profile, Dict>, Error> {
        Ok(Profile::Default.collect(self.dict.clone()))
    }
}

/// `["auth0", "clientSecret"]` → `CUSTODIAN__AUTH0__CLIENT_SECRET`.
pub(super) fn variable_name(keys: &[&str]) -> String {
    let segments: Vec<String> = keys.iter().map(|k| snake_upper(k)).collect();
    format!("{PREFIX}{}", segments.join("__"))
}

fn strip_prefix_ignore_case<'a>(key: &'a str, prefix: &str) -> Option<&'a str> {
    let head = key.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &key[prefix.len()..])
}

/// `SESSION_IDLE_MINUTES` → `sessionIdleMinutes`; `AUTH0` → `auth0`.
fn camel_case(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for (i, word) in segment.split('_').filter(|w| !w.is_empty()).enumerate() {
        let word = word.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&word);
        } else {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    out
}

/// `sessionIdleMinutes` → `SESSION_IDLE_MINUTES`.
fn snake_upper(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() && !out.is_empty() {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

fn insert(dict: &mut Dict, path: &[String], value: Value) {
    match path {
        [] => {}
        [last] => {
            dict.insert(last.clone(), value);
        }
        [first, rest @ ..] => {
            let entry = dict
                .entry(first.clone())
                .or_insert_with(|| Value::from(Dict::new()));
            if !matches!(entry, Value::Dict(..)) {
                *entry = Value::from(Dict::new());
            }
            if let Value::Dict(_, inner) = entry {
                insert(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_map_to_camel_case_and_back() {
        assert_eq!(camel_case("SESSION_IDLE_MINUTES"), "sessionIdleMinutes");
        assert_eq!(camel_case("AUTH0"), "auth0");
        assert_eq!(camel_case("CLIENT_SECRET"), "clientSecret");
        assert_eq!(
            variable_name(&["auth0", "clientSecret"]),
            "CUSTODIAN__AUTH0__CLIENT_SECRET"
        );
        assert_eq!(
            variable_name(&["app", "sessionIdleMinutes"]),
            "CUSTODIAN__APP__SESSION_IDLE_MINUTES"
        );
    }

    #[test]
    fn only_prefixed_variables_are_read() {
        let layer = EnvLayer::new([
            ("CUSTODIAN_CONFIG".to_owned(), "x.json".to_owned()),
            ("PATH".to_owned(), "/bin".to_owned()),
            ("CUSTODIAN__APP__BASE_URL".to_owned(), "http://h".to_owned()),
        ]);
        let app = layer.dict.get("app").and_then(Value::as_dict).unwrap();
        assert_eq!(app.get("baseUrl").and_then(Value::as_str), Some("http://h"));
        assert_eq!(layer.dict.len(), 1);
    }
}
