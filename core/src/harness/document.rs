//! JSON values to and from Smithy documents (the SDK's type for
//! `inputSchema` and `toolUse.input`).

use std::collections::HashMap;

use aws_smithy_types::{Document, Number};
use serde_json::Value;

pub fn to_document(value: &Value) -> Document {
    match value {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(n) => Document::Number(number(n)),
        Value::String(s) => Document::String(s.clone()),
        Value::Array(items) => Document::Array(items.iter().map(to_document).collect()),
        Value::Object(fields) => Document::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), to_document(v)))
                .collect::<HashMap<_, _>>(),
        ),
    }
}

fn number(n: &serde_json::Number) -> Number {
    if let Some(u) = n.as_u64() {
        Number::PosInt(u)
    } else if let Some(i) = n.as_i64() {
        Number::NegInt(i)
    } else {
        Number::Float(n.as_f64().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn converts_every_kind() {
        let value = json!({"a": [1, -2, 1.5, true, null, "x"], "b": {}});
        let Document::Object(fields) = to_document(&value) else {
            panic!("not an object")
        };
        let Document::Array(items) = &fields["a"] else {
            panic!("not an array")
        };
        assert_eq!(items[0], Document::Number(Number::PosInt(1)));
        assert_eq!(items[1], Document::Number(Number::NegInt(-2)));
        assert_eq!(items[2], Document::Number(Number::Float(1.5)));
        assert_eq!(items[3], Document::Bool(true));
        assert_eq!(items[4], Document::Null);
        assert_eq!(items[5], Document::String("x".into()));
        assert_eq!(fields["b"], Document::Object(HashMap::new()));
    }
}
