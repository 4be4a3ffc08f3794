//! Conditions: `condition name(param: type, ...) { CEL expression }` in the
//! model, and whether a conditional tuple holds for a query's context, as
//! OpenFGA evaluates it (OpenFGA docs "Conditions" (modeling/conditions) and
//! "Conditional Relationship Tuples" in Concepts; its source,
//! `internal/condition/condition.go` and `internal/condition/eval/eval.go`).

use std::collections::BTreeMap;

use anyhow::{Context as _, anyhow, bail};
use serde_json::{Map, Value};

use super::condition_types::ParamType;
use super::validate::TupleKey;

pub type Context = Map<String, Value>;

/// What OpenFGA prefixes every failed evaluation with (its
/// `ErrEvaluationFailed`).
const EVALUATION_FAILED: &str = "failed to evaluate relationship condition";

#[derive(Debug)]
pub struct Condition {
    pub name: String,
    pub parameters: BTreeMap<String, ParamType>,
    pub expression: String,
    program: cel::Program,
}

impl Condition {
    /// A whole `condition ... { ... }` block, possibly over several lines.
    pub fn parse(block: &str) -> anyhow::Result<Self> {
        let header = block
            .trim()
            .strip_prefix("condition ")
            .ok_or_else(|| anyhow!("expected `condition name(...) {{ ... }}`"))?;
        let (signature, body) = header
            .split_once('{')
            .ok_or_else(|| anyhow!("the condition has no `{{ expression }}`"))?;
        let expression = body
            .trim()
            .strip_suffix('}')
            .ok_or_else(|| anyhow!("the condition's expression is not closed with `}}`"))?
            .trim();
        let (name, parameters) = parse_signature(signature)?;
        // cel-rust does not type-check, so a non-boolean expression or an
        // undeclared name shows only when evaluated.
        let program = cel::Program::compile(expression)
            .map_err(|e| anyhow!("condition {name}: invalid CEL expression: {e}"))?;
        Ok(Self {
            name,
            parameters,
            expression: expression.to_owned(),
            program,
        })
    }

    /// The context as typed parameters, refusing a value of the wrong type
    /// (OpenFGA's `CastContextToTypedParameters`). Keys that are no
    /// parameter are left out.
    pub fn typed(&self, context: &Context) -> Result<BTreeMap<String, cel::Value>, String> {
        if !context.is_empty() && self.parameters.is_empty() {
            return Err(self.parameter_error("no parameters defined for the condition"));
        }
        let mut typed = BTreeMap::new();
        for (name, param_type) in &self.parameters {
            let Some(value) = context.get(name) else {
                continue;
            };
            let converted = param_type.convert(value).map_err(|e| {
                self.parameter_error(&format!(
                    "failed to convert context parameter '{name}': {e}"
                ))
            })?;
            typed.insert(name.clone(), converted);
        }
        Ok(typed)
    }

    fn parameter_error(&self, cause: &str) -> String {
        format!(
            "parameter type error on condition '{}' - {cause}",
            self.name
        )
    }

    /// Whether the condition holds for `tuple`. The request's context is
    /// merged first and the tuple's last, so a value the tuple persisted
    /// wins ("the merge strategy is such that persisted context has higher
    /// precedence than request context", OpenFGA docs "Conditions"). A
    /// parameter missing from both is an error, not a `false`, as in
    /// OpenFGA's `EvaluateTupleCondition`.
    fn evaluate(&self, tuple: &TupleKey, request: &Context) -> Result<bool, String> {
        let mut merged = request.clone();
        if let Some(condition) = &tuple.condition {
            merged.extend(condition.context.clone());
        }
        let typed = self.typed(&merged).map_err(|e| failed(&e))?;
        let missing: Vec<&str> = self
            .parameters
            .keys()
            .filter(|name| !typed.contains_key(*name))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            return Err(self.evaluation_error(&format!(
                "tuple '{}' is missing context parameters '[{}]'",
                tuple.display(),
                missing.join(" ")
            )));
        }
        self.execute(typed)
    }

    fn execute(&self, typed: BTreeMap<String, cel::Value>) -> Result<bool, String> {
        let mut context = cel::Context::default();
        for (name, value) in typed {
            context.add_variable_from_value(name, value);
        }
        match self.program.execute(&context) {
            Ok(cel::Value::Bool(met)) => Ok(met),
            Ok(other) => Err(self.evaluation_error(&format!(
                "failed to convert condition output to bool: got {other:?}"
            ))),
            Err(e) => {
                Err(self.evaluation_error(&format!("failed to evaluate condition expression: {e}")))
            }
        }
    }

    fn evaluation_error(&self, cause: &str) -> String {
        failed(&format!("'{}' - {cause}", self.name))
    }
}

fn failed(cause: &str) -> String {
    format!("{EVALUATION_FAILED}: {cause}")
}

/// `not_expired(current_time: timestamp, valid_until: timestamp)`
fn parse_signature(signature: &str) -> anyhow::Result<(String, BTreeMap<String, ParamType>)> {
    let (name, list) = signature
        .trim()
        .strip_suffix(')')
        .and_then(|s| s.split_once('('))
        .ok_or_else(|| anyhow!("expected `condition name(param: type, ...)`"))?;
    let name = name.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        bail!("{name:?} is not a valid condition name");
    }
    let mut parameters = BTreeMap::new();
    for param in list.split(',').filter(|p| !p.trim().is_empty()) {
        let (param_name, param_type) = param
            .split_once(':')
            .ok_or_else(|| anyhow!("expected `name: type`, got {param:?}"))?;
        let param_type =
            ParamType::parse(param_type).with_context(|| format!("condition {name}"))?;
        if parameters
            .insert(param_name.trim().to_owned(), param_type)
            .is_some()
        {
            bail!(
                "condition {name}: parameter {} is declared twice",
                param_name.trim()
            );
        }
    }
    Ok((name.to_owned(), parameters))
}

/// Whether a tuple counts for a query: one with no condition always does;
/// one with a condition when the condition holds for the query's context.
/// `conditions` are the model's.
pub fn tuple_holds(
    conditions: &BTreeMap<String, Condition>,
    tuple: &TupleKey,
    request: &Context,
) -> Result<bool, String> {
    let Some(written) = &tuple.condition else {
        return Ok(true);
    };
    match conditions.get(&written.name) {
        Some(condition) => condition.evaluate(tuple, request),
        None => Err(failed(&format!(
            "'{}' - condition was not found",
            written.name
        ))),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::fga::validate::RelationshipCondition;

    const NOT_EXPIRED: &str = "condition not_expired(current_time: timestamp, valid_until: timestamp) {\n  current_time < valid_until\n}";

    fn conditions() -> BTreeMap<String, Condition> {
        let condition = Condition::parse(NOT_EXPIRED).unwrap();
        BTreeMap::from([(condition.name.clone(), condition)])
    }

    fn grant(context: Value) -> TupleKey {
        TupleKey {
            condition: Some(RelationshipCondition {
                name: "not_expired".into(),
                context: context.as_object().cloned().unwrap_or_default(),
            }),
            ..TupleKey::new("user:bob", "reset_password", "okta:password")
        }
    }

    fn at(time: &str) -> Context {
        json!({ "current_time": time })
            .as_object()
            .cloned()
            .unwrap()
    }

    #[test]
    fn parses_the_signature_and_expression() {
        let condition = Condition::parse(NOT_EXPIRED).unwrap();
        assert_eq!(condition.name, "not_expired");
        assert_eq!(condition.expression, "current_time < valid_until");
        assert_eq!(
            condition.parameters.values().collect::<Vec<_>>(),
            [&ParamType::Timestamp, &ParamType::Timestamp]
        );
        assert!(Condition::parse("condition c(x: int) { x < }").is_err());
        assert!(Condition::parse("condition c(x: int, x: int) { x < 1 }").is_err());
        assert!(Condition::parse("condition c(x) { x }").is_err());
    }

    #[test]
    fn a_grant_holds_until_it_expires() {
        let tuple = grant(json!({ "valid_until": "2030-01-01T00:00:00Z" }));
        let holds = |time| tuple_holds(&conditions(), &tuple, &at(time));
        assert_eq!(holds("2029-12-31T23:59:59Z"), Ok(true));
        assert_eq!(holds("2030-01-01T00:00:00Z"), Ok(false));
        assert_eq!(
            tuple_holds(
                &conditions(),
                &TupleKey::new("user:a", "r", "o:1"),
                &Context::new()
            ),
            Ok(true),
            "no condition"
        );
    }

    #[test]
    fn the_tuple_context_wins_over_the_request() {
        let tuple = grant(json!({ "valid_until": "2030-01-01T00:00:00Z" }));
        let mut request = at("2029-06-01T00:00:00Z");
        request.insert("valid_until".into(), json!("2020-01-01T00:00:00Z"));
        assert_eq!(tuple_holds(&conditions(), &tuple, &request), Ok(true));
    }

    #[test]
    fn missing_parameters_and_bad_values_are_errors() {
        let tuple = grant(json!({ "valid_until": "2030-01-01T00:00:00Z" }));
        assert_eq!(
            tuple_holds(&conditions(), &tuple, &Context::new()),
            Err(
                "failed to evaluate relationship condition: 'not_expired' - tuple \
                 'okta:password#reset_password@user:bob' is missing context parameters \
                 '[current_time]'"
                    .into()
            )
        );
        let error = tuple_holds(&conditions(), &tuple, &at("noon")).unwrap_err();
        assert!(
            error.starts_with(
                "failed to evaluate relationship condition: parameter type error on condition \
                 'not_expired' - failed to convert context parameter 'current_time'"
            ),
            "{error}"
        );
        let unknown = TupleKey {
            condition: Some(RelationshipCondition {
                name: "other".into(),
                context: Context::new(),
            }),
            ..tuple
        };
        assert!(tuple_holds(&conditions(), &unknown, &Context::new()).is_err());
    }
}
