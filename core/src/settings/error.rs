//! Why settings did not load, worded as `origin: field.path: problem`, where
//! the path is spelled as in the JSON file and the origin is the file or the
//! environment variable the bad value came from. Values are never repeated,
//! except URLs and host names quoted by their own parsers.

use std::fmt;
use std::path::Path;

use figment::error::{Actual, Kind};
use figment::{Profile, Source};

/// Fields whose values are never described, whatever went wrong.
const SECRET_FIELDS: &[&str] = &["auth0.clientSecret", "fga.clientSecret"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError {
    origin: String,
    field: String,
    problem: String,
}

impl SettingsError {
    pub(super) fn new(
        origin: impl Into<String>,
        field: impl Into<String>,
        problem: impl Into<String>,
    ) -> Self {
        Self {
            origin: origin.into(),
            field: field.into(),
            problem: problem.into(),
        }
    }

    /// The settings file, or the environment variable, that was at fault.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The field's path as written in the JSON (`auth0.clientId`); empty
    /// when the file as a whole is at fault.
    pub fn field(&self) -> &str {
        &self.field
    }

    pub fn problem(&self) -> &str {
        &self.problem
    }

    /// Translates figment's error, which would otherwise quote values.
    pub(super) fn from_figment(error: figment::Error, file: &Path) -> Self {
        let mut path = error.path.clone();
        let problem = match &error.kind {
            Kind::MissingField(name) => {
                path.push(name.to_string());
                "missing".to_owned()
            }
            Kind::UnknownField(name, _) => {
                // figment usually has the field in the path already.
                if path.last() != Some(name) {
                    path.push(name.clone());
                }
                "unknown field (check its spelling)".to_owned()
            }
            Kind::UnknownVariant(name, expected) => {
                format!(
                    "unknown kind {name:?}, expected one of {}",
                    expected.join(", ")
                )
            }
            Kind::InvalidType(actual, expected) => {
                format!("expected {}, found {}", plain(expected), kind_of(actual))
            }
            Kind::InvalidValue(_, expected) => format!("expected {}", plain(expected)),
            Kind::Message(message) => message.clone(),
            _ => "invalid".to_owned(),
        };
        let field = path.join(".");
        let problem = if SECRET_FIELDS.contains(&field.as_str()) && problem != "missing" {
            "invalid".to_owned()
        } else {
            problem
        };
        let origin = match &error.kind {
            // A missing field belongs in the file, whoever supplied its section.
            Kind::MissingField(_) => file.display().to_string(),
            _ => origin_of(&error, &path, file),
        };
        Self::new(origin, field, problem)
    }
}

fn origin_of(error: &figment::Error, path: &[String], file: &Path) -> String {
    match &error.metadata {
        Some(metadata) => match &metadata.source {
            Some(Source::File(source)) => source.display().to_string(),
            _ if path.is_empty() => metadata.name.to_string(),
            _ => format!(
                "environment variable {}",
                metadata.interpolate(&Profile::Default, path)
            ),
        },
        None => file.display().to_string(),
    }
}

/// serde names Rust types; operators read JSON.
fn plain(expected: &str) -> &str {
    match expected {
        "u8" | "u16" | "u32" | "u64" => "a whole number",
        "i8" | "i16" | "i32" | "i64" => "an integer",
        other => other,
    }
}

/// The kind of a rejected value, without the value.
fn kind_of(actual: &Actual) -> &'static str {
    match actual {
        Actual::Bool(_) => "a boolean",
        Actual::Unsigned(_) | Actual::Signed(_) | Actual::Float(_) => "a number",
        Actual::Char(_) | Actual::Str(_) => "a string",
        Actual::Seq => "a list",
        Actual::Map => "an object",
        Actual::Unit | Actual::Option => "nothing",
        _ => "another kind of value",
    }
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.origin, self.problem)
        } else {
            write!(f, "{}: {}: {}", self.origin, self.field, self.problem)
        }
    }
}

impl std::error::Error for SettingsError {}
