//! `config/action-groups.json` is what the CDK app turns into the agent's
//! action groups; `lambdas::names` is what the handlers dispatch on. A rename
//! on either side must fail here rather than in a deployed agent.

use std::collections::BTreeMap;

use lambdas::names;
use serde_json::Value;

/// group → function → parameter names, with the Lambda each group runs on.
type Shape = BTreeMap<String, (String, BTreeMap<String, Vec<String>>)>;

fn shared_definition() -> Value {
    let path = test_support::repo_root().join("config/action-groups.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("reading {}: {error}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("parsing {}: {error}", path.display()))
}

fn field<'a>(value: &'a Value, key: &str, at: &str) -> &'a Value {
    value
        .get(key)
        .unwrap_or_else(|| panic!("{at}: `{key}` is missing"))
}

fn text(value: &Value, key: &str, at: &str) -> String {
    field(value, key, at)
        .as_str()
        .unwrap_or_else(|| panic!("{at}.{key}: expected a string"))
        .to_owned()
}

fn shape_of(definition: &Value) -> Shape {
    let groups = field(definition, "actionGroups", "action-groups.json")
        .as_array()
        .expect("actionGroups: expected an array");
    let mut shape = Shape::new();
    for (g, group) in groups.iter().enumerate() {
        let at = format!("actionGroups[{g}]");
        let mut functions = BTreeMap::new();
        let list = field(group, "functions", &at)
            .as_array()
            .unwrap_or_else(|| panic!("{at}.functions: expected an array"));
        for (f, function) in list.iter().enumerate() {
            let at = format!("{at}.functions[{f}]");
            let parameters = field(function, "parameters", &at)
                .as_object()
                .unwrap_or_else(|| panic!("{at}.parameters: expected an object"));
            let previous = functions.insert(
                text(function, "name", &at),
                parameters.keys().cloned().collect::<Vec<_>>(),
            );
            assert!(previous.is_none(), "{at}: duplicate function name");
        }
        let previous = shape.insert(
            text(group, "name", &at),
            (text(group, "lambda", &at), functions),
        );
        assert!(previous.is_none(), "{at}: duplicate group name");
    }
    shape
}

fn expected() -> Shape {
    let group = |lambda: &str, function: &str, parameters: &[&str]| {
        (
            lambda.to_owned(),
            BTreeMap::from([(
                function.to_owned(),
                parameters.iter().map(|p| (*p).to_owned()).collect(),
            )]),
        )
    };
    Shape::from([
        (
            names::OKTA_OPERATIONS.to_owned(),
            group(
                "okta-operations",
                names::GET_USER_GROUPS,
                &[names::USER_EMAIL],
            ),
        ),
        (
            names::CIBA_AUTHENTICATION.to_owned(),
            group(
                "ciba-authentication",
                names::AUTHENTICATE_USER,
                &[names::USER_ID],
            ),
        ),
    ])
}

#[test]
fn shared_definition_matches_the_handler_names() {
    assert_eq!(shape_of(&shared_definition()), expected());
}

#[test]
fn every_parameter_is_a_required_described_string() {
    let definition = shared_definition();
    for group in definition["actionGroups"].as_array().into_iter().flatten() {
        for function in group["functions"].as_array().into_iter().flatten() {
            let parameters = function["parameters"].as_object().into_iter().flatten();
            for (name, parameter) in parameters {
                let at = format!("{}.{}.{name}", group["name"], function["name"]);
                assert_eq!(parameter["type"], "string", "{at}: type");
                assert_eq!(parameter["required"], true, "{at}: required");
                assert!(
                    parameter["description"]
                        .as_str()
                        .is_some_and(|d| !d.trim().is_empty()),
                    "{at}: description"
                );
            }
        }
    }
}

#[test]
fn the_agent_runs_on_nova_pro_with_a_real_instruction() {
    let definition = shared_definition();
    let agent = field(&definition, "agent", "action-groups.json");
    assert_eq!(
        text(agent, "foundationModel", "agent"),
        "us.amazon.nova-pro-v1:0"
    );
    // Bedrock refuses instructions shorter than 40 characters.
    assert!(text(agent, "instruction", "agent").chars().count() >= 40);
}
