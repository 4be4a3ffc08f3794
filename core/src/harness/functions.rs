//! The inline functions Custodian offers the harness, built from the one
//! definition the Classic action groups also come from
//! (`config/action-groups.json`), and the check every call the harness
//! asks for must pass before anything runs.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::events::{ToolCall, ToolRefusal};

/// Compiled in, so the BFF needs no file beside it in AWS.
const SHARED_DEFINITION: &str = include_str!("../../../config/action-groups.json");

static SHARED: LazyLock<InlineFunctions> = LazyLock::new(|| {
    InlineFunctions::from_definition(SHARED_DEFINITION)
        .expect("config/action-groups.json is checked by the harness function tests")
});

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Definition {
    action_groups: Vec<Group>,
}

#[derive(Deserialize)]
struct Group {
    functions: Vec<FunctionDefinition>,
}

#[derive(Deserialize)]
struct FunctionDefinition {
    name: String,
    description: String,
    parameters: BTreeMap<String, Parameter>,
}

/// A Classic function-schema parameter: `{type, description, required}`.
#[derive(Clone, Debug, Deserialize)]
struct Parameter {
    #[serde(rename = "type")]
    kind: String,
    description: String,
    #[serde(default)]
    required: bool,
}

#[derive(Clone, Debug)]
pub struct InlineFunction {
    name: String,
    description: String,
    parameters: BTreeMap<String, Parameter>,
}

impl InlineFunction {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    /// The JSON Schema of the function's input (`inlineFunction.inputSchema`):
    /// an object with exactly the declared parameters.
    pub fn input_schema(&self) -> Value {
        let properties: Map<String, Value> = self
            .parameters
            .iter()
            .map(|(name, p)| {
                let schema = json!({ "type": p.kind, "description": p.description });
                (name.clone(), schema)
            })
            .collect();
        let required: Vec<&str> = self
            .parameters
            .iter()
            .filter(|(_, p)| p.required)
            .map(|(name, _)| name.as_str())
            .collect();
        json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        })
    }

    /// The input if it matches the schema, else what is wrong with it.
    fn check_input(&self, input: &Value) -> Result<Map<String, Value>, String> {
        let Value::Object(fields) = input else {
            return Err("the input is not a JSON object".to_owned());
        };
        if let Some(extra) = fields.keys().find(|k| !self.parameters.contains_key(*k)) {
            return Err(format!("it has no parameter named {extra:?}"));
        }
        for (name, parameter) in &self.parameters {
            match fields.get(name) {
                None if parameter.required => {
                    return Err(format!("the required parameter {name:?} is missing"));
                }
                None => {}
                Some(value) if !has_type(value, &parameter.kind) => {
                    return Err(format!(
                        "the parameter {name:?} must be a {}",
                        parameter.kind
                    ));
                }
                Some(Value::String(text)) if parameter.required && text.trim().is_empty() => {
                    return Err(format!("the parameter {name:?} is empty"));
                }
                Some(_) => {}
            }
        }
        Ok(fields.clone())
    }
}

fn has_type(value: &Value, kind: &str) -> bool {
    match kind {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        _ => false,
    }
}

/// Every function the harness may call, in the shared definition's order.
#[derive(Clone, Debug)]
pub struct InlineFunctions(Vec<InlineFunction>);

impl InlineFunctions {
    /// Custodian's functions, from `config/action-groups.json`.
    pub fn shared() -> &'static InlineFunctions {
        &SHARED
    }

    pub fn from_definition(json: &str) -> Result<Self, String> {
        let definition: Definition =
            serde_json::from_str(json).map_err(|e| format!("action groups: {e}"))?;
        let functions: Vec<InlineFunction> = definition
            .action_groups
            .into_iter()
            .flat_map(|group| group.functions)
            .map(|f| InlineFunction {
                name: f.name,
                description: f.description,
                parameters: f.parameters,
            })
            .collect();
        for (index, function) in functions.iter().enumerate() {
            if functions[..index].iter().any(|f| f.name == function.name) {
                return Err(format!(
                    "action groups: {:?} is defined twice",
                    function.name
                ));
            }
        }
        Ok(Self(functions))
    }

    pub fn iter(&self) -> impl Iterator<Item = &InlineFunction> {
        self.0.iter()
    }

    pub fn get(&self, name: &str) -> Option<&InlineFunction> {
        self.0.iter().find(|f| f.name == name)
    }

    /// A call the harness asked for, checked: a known function with input
    /// that matches its schema, or a refusal that says why not.
    pub fn check_call(
        &self,
        tool_use_id: &str,
        name: &str,
        raw_input: &str,
    ) -> Result<ToolCall, ToolRefusal> {
        let refuse = |reason: String| ToolRefusal::new(tool_use_id, name, raw_input, reason);
        let Some(function) = self.get(name) else {
            return Err(refuse(format!(
                "The assistant asked for a function Custodian does not have ({}).",
                printable(name)
            )));
        };
        let raw = if raw_input.trim().is_empty() {
            "{}"
        } else {
            raw_input
        };
        let input: Value = serde_json::from_str(raw).map_err(|_| {
            refuse(format!(
                "The assistant's call to {name} was malformed: its input is not valid JSON."
            ))
        })?;
        let fields = function.check_input(&input).map_err(|problem| {
            refuse(format!(
                "The assistant's call to {name} was malformed: {problem}."
            ))
        })?;
        Ok(ToolCall::new(tool_use_id, name, fields))
    }
}

/// A name from the model, shortened and stripped of control characters
/// before it goes into a message.
fn printable(name: &str) -> String {
    let cleaned: String = name.chars().filter(|c| !c.is_control()).take(64).collect();
    format!("{cleaned:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_definition_gives_both_functions() {
        let functions = InlineFunctions::shared();
        let names: Vec<&str> = functions.iter().map(InlineFunction::name).collect();
        assert_eq!(names, ["get_user_groups", "authenticate_user"]);
        let schema = functions.get("get_user_groups").unwrap().input_schema();
        assert_eq!(schema["type"], "object");
        assert_eq!(schema["required"], json!(["user_email"]));
        assert_eq!(schema["properties"]["user_email"]["type"], "string");
        assert_eq!(schema["additionalProperties"], false);
    }

    #[test]
    fn calls_are_checked_against_the_schema() {
        let functions = InlineFunctions::shared();
        let call = functions
            .check_call(
                "t1",
                "get_user_groups",
                r#"{"user_email":"bob@example.com"}"#,
            )
            .unwrap();
        assert_eq!(call.argument("user_email"), Some("bob@example.com"));
        let cases = [
            ("delete_user", "{}", "does not have (\"delete_user\")"),
            ("get_user_groups", "{\"user_email\":", "not valid JSON"),
            ("get_user_groups", "[]", "not a JSON object"),
            ("get_user_groups", "{}", "\"user_email\" is missing"),
            ("get_user_groups", r#"{"user_email":7}"#, "must be a string"),
            ("get_user_groups", r#"{"user_email":" "}"#, "is empty"),
            (
                "get_user_groups",
                r#"{"user_email":"b@x.io","actor":"admin@x.io"}"#,
                "no parameter named \"actor\"",
            ),
        ];
        for (name, input, expected) in cases {
            let refusal = functions.check_call("t2", name, input).unwrap_err();
            assert!(
                refusal.reason().contains(expected),
                "{name} {input}: {}",
                refusal.reason()
            );
            assert_eq!(refusal.tool_use_id(), "t2");
        }
    }

    #[test]
    fn duplicate_names_are_rejected() {
        let twice = r#"{"actionGroups":[
            {"functions":[{"name":"f","description":"d","parameters":{}}]},
            {"functions":[{"name":"f","description":"d","parameters":{}}]}]}"#;
        assert!(
            InlineFunctions::from_definition(twice)
                .unwrap_err()
                .contains("twice")
        );
    }
}
