//! The types a condition's parameters may have, and how a JSON context value
//! becomes the typed CEL value the expression sees, with OpenFGA's
//! conversions and messages (OpenFGA docs "Conditions", Supported Parameter
//! Types; its source, `internal/condition/types/converters.go`).

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{anyhow, bail};
use cel::Value as Cel;
use chrono::DateTime;
use serde_json::{Value, json};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamType {
    Any,
    Bool,
    String,
    Int,
    Uint,
    Double,
    Duration,
    Timestamp,
    List(Box<ParamType>),
    Map(Box<ParamType>),
}

impl ParamType {
    /// A type as the DSL writes it: `timestamp`, `list<string>`, `map<int>`.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let text = text.trim();
        if let Some(item) = generic(text, "list") {
            return Ok(Self::List(Box::new(Self::parse(item)?)));
        }
        if let Some(value) = generic(text, "map") {
            return Ok(Self::Map(Box::new(Self::parse(value)?)));
        }
        Ok(match text {
            "any" => Self::Any,
            "bool" => Self::Bool,
            "string" => Self::String,
            "int" => Self::Int,
            "uint" => Self::Uint,
            "double" => Self::Double,
            "duration" => Self::Duration,
            "timestamp" => Self::Timestamp,
            "ipaddress" | "bytes" => bail!("the sandbox does not support {text} parameters"),
            other => return Err(anyhow!("unknown parameter type {other:?}")),
        })
    }

    /// OpenFGA's JSON form, e.g. `{"type_name": "TYPE_NAME_LIST",
    /// "generic_types": [{"type_name": "TYPE_NAME_STRING"}]}`.
    pub fn to_json(&self) -> Value {
        let (name, generics) = match self {
            Self::Any => ("ANY", vec![]),
            Self::Bool => ("BOOL", vec![]),
            Self::String => ("STRING", vec![]),
            Self::Int => ("INT", vec![]),
            Self::Uint => ("UINT", vec![]),
            Self::Double => ("DOUBLE", vec![]),
            Self::Duration => ("DURATION", vec![]),
            Self::Timestamp => ("TIMESTAMP", vec![]),
            Self::List(item) => ("LIST", vec![item.to_json()]),
            Self::Map(value) => ("MAP", vec![value.to_json()]),
        };
        let mut json = json!({ "type_name": format!("TYPE_NAME_{name}") });
        if !generics.is_empty() {
            json["generic_types"] = Value::Array(generics);
        }
        json
    }

    /// The CEL value for a context value, or OpenFGA's reason why not.
    pub fn convert(&self, value: &Value) -> Result<Cel, String> {
        match self {
            Self::Any => Ok(any(value)),
            Self::Bool => value
                .as_bool()
                .map(Cel::Bool)
                .ok_or_else(|| expected_type("bool", value)),
            Self::String => value
                .as_str()
                .map(Cel::from)
                .ok_or_else(|| expected_type("string", value)),
            Self::Int => int(value),
            Self::Uint => uint(value),
            Self::Double => number(value, "float64").map(Cel::Float),
            Self::Duration => duration(value),
            Self::Timestamp => timestamp(value),
            Self::List(item) => list(item, value),
            Self::Map(item) => map(item, value),
        }
    }
}

/// `list<string>` → `string`.
fn generic<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.strip_prefix(name)?
        .trim_start()
        .strip_prefix('<')?
        .strip_suffix('>')
}

/// Go's name for what `structpb` decodes a JSON value to, as OpenFGA's
/// messages print it.
fn go_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

fn expected_type(wanted: &str, value: &Value) -> String {
    format!(
        "expected type value '{wanted}', but found '{}'",
        go_type(value)
    )
}

/// JSON numbers arrive as doubles; numeric strings are accepted too.
fn number(value: &Value, wanted: &str) -> Result<f64, String> {
    match value {
        Value::Number(n) => n.as_f64().ok_or_else(|| expected_type(wanted, value)),
        Value::String(s) => s.trim().parse().map_err(|_| {
            format!("expected a {wanted} value, but found invalid string value '{s}'")
        }),
        other => Err(expected_type(wanted, other)),
    }
}

fn int(value: &Value) -> Result<Cel, String> {
    let n = number(value, "int64")?;
    if n.fract() != 0.0 || n.abs() > i64::MAX as f64 {
        return Err(format!(
            "expected an int value, but found numeric value '{n}'"
        ));
    }
    Ok(Cel::Int(n as i64))
}

fn uint(value: &Value) -> Result<Cel, String> {
    let n = number(value, "uint64")?;
    if n.fract() != 0.0 || n > u64::MAX as f64 {
        return Err(format!(
            "expected a uint value, but found numeric value '{n}'"
        ));
    }
    if n < 0.0 {
        return Err(format!(
            "expected a uint value, but found int64 value '{n}'"
        ));
    }
    Ok(Cel::UInt(n as u64))
}

fn duration(value: &Value) -> Result<Cel, String> {
    let Some(text) = value.as_str() else {
        return Err(format!(
            "expected a duration string, but found: {} '{value}'",
            go_type(value)
        ));
    };
    go_duration(text)
        .map(Cel::Duration)
        .ok_or_else(|| format!("expected a valid duration string, but found: '{text}'"))
}

fn timestamp(value: &Value) -> Result<Cel, String> {
    let Some(text) = value.as_str() else {
        return Err(format!(
            "expected RFC 3339 formatted timestamp string, but found: {} '{value}'",
            go_type(value)
        ));
    };
    DateTime::parse_from_rfc3339(text)
        .map(Cel::Timestamp)
        .map_err(|_| format!("expected RFC 3339 formatted timestamp string, but found '{text}'"))
}

fn list(item: &ParamType, value: &Value) -> Result<Cel, String> {
    let Value::Array(items) = value else {
        return Err(format!("list requires a list, found: {}", go_type(value)));
    };
    let converted = items
        .iter()
        .enumerate()
        .map(|(index, v)| {
            item.convert(v)
                .map_err(|e| format!("found an invalid list item at index `{index}`: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Cel::List(Arc::new(converted)))
}

fn map(item: &ParamType, value: &Value) -> Result<Cel, String> {
    let Value::Object(entries) = value else {
        return Err(format!("map requires a map, found: {}", go_type(value)));
    };
    let converted = entries
        .iter()
        .map(|(key, v)| {
            item.convert(v)
                .map(|v| (key.clone(), v))
                .map_err(|e| format!("found an invalid value for key '{key}': {e}"))
        })
        .collect::<Result<HashMap<_, _>, _>>()?;
    Ok(Cel::from(converted))
}

/// `any` keeps the JSON value's own shape.
fn any(value: &Value) -> Cel {
    match value {
        Value::Null => Cel::Null,
        Value::Bool(b) => Cel::Bool(*b),
        Value::Number(n) => Cel::Float(n.as_f64().unwrap_or_default()),
        Value::String(s) => Cel::from(s.as_str()),
        Value::Array(items) => Cel::List(Arc::new(items.iter().map(any).collect())),
        Value::Object(entries) => Cel::from(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), any(v)))
                .collect::<HashMap<_, _>>(),
        ),
    }
}

/// Go's `time.ParseDuration`, which OpenFGA uses: a sign, then one or
/// more decimal numbers each with a unit (`ns`, `us`, `µs`, `ms`, `s`,
/// `m`, `h`), e.g. `1h30m`, `1.5s`; or a bare `0`.
pub fn go_duration(text: &str) -> Option<chrono::Duration> {
    let (sign, mut rest) = match text.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Some(chrono::Duration::zero());
    }
    if rest.is_empty() {
        return None;
    }
    let mut nanos = 0.0_f64;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, tail) = rest.split_at(digits);
        let letters = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(letters);
        let value: f64 = number.parse().ok()?;
        nanos += value * unit_nanos(unit)?;
        rest = tail;
    }
    let nanos = sign * nanos.round();
    (nanos.abs() <= i64::MAX as f64).then(|| chrono::Duration::nanoseconds(nanos as i64))
}

fn unit_nanos(unit: &str) -> Option<f64> {
    Some(match unit {
        "ns" => 1.0,
        "us" | "µs" | "μs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        "m" => 60e9,
        "h" => 3600e9,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_dsl_type_names() {
        assert_eq!(ParamType::parse("timestamp").unwrap(), ParamType::Timestamp);
        assert_eq!(
            ParamType::parse("list<map<int>>").unwrap(),
            ParamType::List(Box::new(ParamType::Map(Box::new(ParamType::Int))))
        );
        assert!(ParamType::parse("ipaddress").is_err());
        assert!(ParamType::parse("date").is_err());
        assert_eq!(
            ParamType::parse("list<string>").unwrap().to_json(),
            json!({ "type_name": "TYPE_NAME_LIST", "generic_types": [{ "type_name": "TYPE_NAME_STRING" }] })
        );
    }

    #[test]
    fn converts_like_openfga() {
        let timestamp = ParamType::Timestamp.convert(&json!("2024-01-01T00:00:00Z"));
        assert!(matches!(timestamp, Ok(Cel::Timestamp(_))));
        assert_eq!(
            ParamType::Timestamp.convert(&json!("tomorrow")),
            Err("expected RFC 3339 formatted timestamp string, but found 'tomorrow'".into())
        );
        assert_eq!(ParamType::Int.convert(&json!("-3")), Ok(Cel::Int(-3)));
        assert_eq!(ParamType::Int.convert(&json!(7)), Ok(Cel::Int(7)));
        assert!(ParamType::Int.convert(&json!(1.5)).is_err());
        assert!(ParamType::Uint.convert(&json!(-1)).is_err());
        assert_eq!(
            ParamType::Bool.convert(&json!("true")),
            Err("expected type value 'bool', but found 'string'".into())
        );
        assert_eq!(ParamType::String.convert(&json!("a")), Ok(Cel::from("a")));
        assert!(
            ParamType::List(Box::new(ParamType::Int))
                .convert(&json!([1, "x"]))
                .unwrap_err()
                .starts_with("found an invalid list item at index `1`")
        );
    }

    #[test]
    fn reads_go_durations() {
        let d = |s| go_duration(s).map(|d| d.num_milliseconds());
        assert_eq!(d("10s"), Some(10_000));
        assert_eq!(d("1h30m"), Some(5_400_000));
        assert_eq!(d("1.5s"), Some(1_500));
        assert_eq!(d("-2m"), Some(-120_000));
        assert_eq!(d("300ms"), Some(300));
        assert_eq!(d("0"), Some(0));
        assert_eq!(d(""), None);
        assert_eq!(d("10"), None);
        assert_eq!(d("1d"), None);
        assert_eq!(d("s"), None);
    }
}
