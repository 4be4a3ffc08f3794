//! Runs `config/fga/tests.fga.yaml` — the file `fga model test` runs —
//! against the sandbox's own evaluator, so the two cannot drift apart.
//! The file's format is the FGA CLI's (OpenFGA docs "Testing Models"):
//! tuples with conditions, `check` with `context`, `list_users`. A section
//! this runner does not know is refused rather than skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::check::{Query, check};
use super::conditions::Context;
use super::list_users::{UserFilter, users};
use super::model::Model;
use super::validate::{self, TupleKey};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    #[serde(rename = "name")]
    _name: IgnoredAny,
    model_file: String,
    #[serde(default)]
    tuples: Vec<TupleKey>,
    tests: Vec<Test>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Test {
    name: String,
    #[serde(default, rename = "description")]
    _description: Option<IgnoredAny>,
    #[serde(default)]
    tuples: Vec<TupleKey>,
    #[serde(default)]
    check: Vec<Check>,
    #[serde(default)]
    list_users: Vec<ListUsers>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Check {
    user: String,
    object: String,
    #[serde(default)]
    context: Context,
    assertions: BTreeMap<String, bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListUsers {
    object: String,
    user_filter: Vec<UserFilter>,
    #[serde(default)]
    context: Context,
    assertions: BTreeMap<String, ListedUsers>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListedUsers {
    users: BTreeSet<String>,
}

fn config_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/fga")
}

fn test_file() -> TestFile {
    let text = std::fs::read_to_string(config_dir().join("tests.fga.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

#[test]
fn the_evaluator_passes_the_fga_cli_tests() {
    let file = test_file();
    let model_source = std::fs::read_to_string(config_dir().join(&file.model_file)).unwrap();
    assert_eq!(
        model_source,
        super::model::CUSTODIAN_MODEL,
        "the sandbox enforces the tested model"
    );
    let model = Model::parse(&model_source).unwrap();

    let (mut checks, mut listings) = (0, 0);
    for test in &file.tests {
        let tuples: Vec<TupleKey> = file.tuples.iter().chain(&test.tuples).cloned().collect();
        for tuple in &tuples {
            validate::tuple(&model, tuple).unwrap_or_else(|e| panic!("{}: {e}", test.name));
        }
        for c in &test.check {
            checks += run_check(&model, &tuples, &test.name, c);
        }
        for l in &test.list_users {
            listings += run_list_users(&model, &tuples, &test.name, l);
        }
    }
    assert!(checks >= 10, "only {checks} checks ran");
    assert!(listings >= 3, "only {listings} list_users assertions ran");
}

fn run_check(model: &Model, tuples: &[TupleKey], test: &str, c: &Check) -> usize {
    let query = Query {
        model,
        tuples,
        context: &c.context,
    };
    for (relation, expected) in &c.assertions {
        let key = TupleKey::new(&c.user, relation, &c.object);
        assert_eq!(
            check(&query, &key),
            Ok(*expected),
            "{test}: {} {relation} {} with {:?}",
            c.user,
            c.object,
            c.context
        );
    }
    c.assertions.len()
}

fn run_list_users(model: &Model, tuples: &[TupleKey], test: &str, l: &ListUsers) -> usize {
    let query = Query {
        model,
        tuples,
        context: &l.context,
    };
    // The CLI sends the first filter only.
    let filter = &l.user_filter[0];
    for (relation, expected) in &l.assertions {
        assert_eq!(
            users(&query, &l.object, relation, filter).as_ref(),
            Ok(&expected.users),
            "{test}: list_users {relation} {} with {:?}",
            l.object,
            l.context
        );
    }
    l.assertions.len()
}

#[test]
fn the_tested_tuples_include_the_sandbox_seed() {
    let file = test_file();
    for seeded in super::tuples::seed() {
        assert!(file.tuples.contains(&seeded), "{seeded:?} is not tested");
    }
}
