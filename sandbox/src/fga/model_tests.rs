//! Runs `config/fga/tests.fga.yaml` — the file `fga model test` runs —
//! against the sandbox's own evaluator, so the two cannot drift apart.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::check::check;
use super::model::Model;
use super::validate::{self, TupleKey};

#[derive(Deserialize)]
struct TestFile {
    model_file: String,
    #[serde(default)]
    tuples: Vec<TupleKey>,
    tests: Vec<Test>,
}

#[derive(Deserialize)]
struct Test {
    name: String,
    #[serde(default)]
    tuples: Vec<TupleKey>,
    #[serde(default)]
    check: Vec<Check>,
}

#[derive(Deserialize)]
struct Check {
    user: String,
    object: String,
    assertions: BTreeMap<String, bool>,
}

#[test]
fn the_evaluator_passes_the_fga_cli_tests() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/fga");
    let text = std::fs::read_to_string(dir.join("tests.fga.yaml")).unwrap();
    let file: TestFile = serde_yaml::from_str(&text).unwrap();
    let model_source = std::fs::read_to_string(dir.join(&file.model_file)).unwrap();
    assert_eq!(
        model_source,
        super::model::CUSTODIAN_MODEL,
        "the sandbox enforces the tested model"
    );
    let model = Model::parse(&model_source).unwrap();

    let mut checks = 0;
    for test in &file.tests {
        let tuples: Vec<TupleKey> = file.tuples.iter().chain(&test.tuples).cloned().collect();
        for tuple in &tuples {
            validate::tuple(&model, tuple).unwrap_or_else(|e| panic!("{}: {e}", test.name));
        }
        for c in &test.check {
            for (relation, expected) in &c.assertions {
                let key = TupleKey::new(&c.user, relation, &c.object);
                assert_eq!(
                    check(&model, &tuples, &key),
                    Ok(*expected),
                    "{}: {} {relation} {}",
                    test.name,
                    c.user,
                    c.object
                );
                checks += 1;
            }
        }
    }
    assert!(checks >= 10, "only {checks} checks ran");
}

#[test]
fn the_tested_tuples_include_the_sandbox_seed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/fga");
    let text = std::fs::read_to_string(dir.join("tests.fga.yaml")).unwrap();
    let file: TestFile = serde_yaml::from_str(&text).unwrap();
    for seeded in super::tuples::seed() {
        assert!(file.tuples.contains(&seeded), "{seeded:?} is not tested");
    }
}
