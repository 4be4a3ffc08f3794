//! The authorization model, parsed from the OpenFGA DSL.
//!
//! The sandbox evaluates `config/fga/model.fga` itself, so the model it
//! enforces is the file `fga model test` checks. Only the constructs that
//! model uses are supported — direct type restrictions such as
//! `[user, group#member]` — and anything else is refused by name rather
//! than silently misread.

use std::collections::BTreeMap;

use anyhow::{Context, anyhow, bail};

/// Custodian's model, the file the FGA CLI tests.
pub const CUSTODIAN_MODEL: &str = include_str!("../../../config/fga/model.fga");

/// Who may be related directly: `user` or a userset like `group#member`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirectType {
    Type(String),
    Userset {
        object_type: String,
        relation: String,
    },
}

#[derive(Debug, Default)]
pub struct TypeDefinition {
    pub relations: BTreeMap<String, Vec<DirectType>>,
}

#[derive(Debug)]
pub struct Model {
    pub types: BTreeMap<String, TypeDefinition>,
}

impl Model {
    pub fn parse(source: &str) -> anyhow::Result<Self> {
        let mut types: BTreeMap<String, TypeDefinition> = BTreeMap::new();
        let mut current: Option<String> = None;
        let mut in_relations = false;
        let mut schema = None;
        for (number, raw) in source.lines().enumerate() {
            let line = raw.trim();
            let at = || format!("model line {}", number + 1);
            if line.is_empty() || line.starts_with('#') || line.starts_with("//") || line == "model"
            {
                continue;
            }
            if let Some(version) = line.strip_prefix("schema ") {
                schema = Some(version.trim().to_owned());
            } else if let Some(name) = line.strip_prefix("type ") {
                let name = identifier(name.trim()).with_context(at)?;
                if types
                    .insert(name.to_owned(), TypeDefinition::default())
                    .is_some()
                {
                    bail!("{}: type {name} is defined twice", at());
                }
                current = Some(name.to_owned());
                in_relations = false;
            } else if line == "relations" {
                if current.is_none() {
                    bail!("{}: relations outside a type", at());
                }
                in_relations = true;
            } else if let Some(definition) = line.strip_prefix("define ") {
                let (Some(type_name), true) = (&current, in_relations) else {
                    bail!("{}: define outside a type's relations", at());
                };
                let (relation, restriction) = parse_define(definition).with_context(at)?;
                let relations = &mut types.get_mut(type_name).expect("current type").relations;
                if relations.insert(relation.clone(), restriction).is_some() {
                    bail!("{}: relation {relation} is defined twice", at());
                }
            } else {
                bail!("{}: unsupported syntax {line:?}", at());
            }
        }
        if schema.as_deref() != Some("1.1") {
            bail!("the model must declare schema 1.1");
        }
        let model = Self { types };
        model.check_references()?;
        Ok(model)
    }

    pub fn custodian() -> Self {
        Self::parse(CUSTODIAN_MODEL).expect("config/fga/model.fga is a valid model")
    }

    /// The direct types allowed for `object_type#relation`.
    pub fn relation(&self, object_type: &str, relation: &str) -> Option<&[DirectType]> {
        self.types
            .get(object_type)?
            .relations
            .get(relation)
            .map(Vec::as_slice)
    }

    /// Every restriction names a defined type (and relation, for usersets).
    fn check_references(&self) -> anyhow::Result<()> {
        for (type_name, definition) in &self.types {
            for (relation, restriction) in &definition.relations {
                for direct in restriction {
                    let known = match direct {
                        DirectType::Type(t) => self.types.contains_key(t),
                        DirectType::Userset {
                            object_type,
                            relation,
                        } => self.relation(object_type, relation).is_some(),
                    };
                    if !known {
                        bail!("{type_name}#{relation} refers to an undefined {direct:?}");
                    }
                }
            }
        }
        Ok(())
    }
}

/// `read_okta: [user, group#member]`
fn parse_define(definition: &str) -> anyhow::Result<(String, Vec<DirectType>)> {
    let (relation, rest) = definition
        .split_once(':')
        .ok_or_else(|| anyhow!("expected `define <relation>: [...]`"))?;
    let relation = identifier(relation.trim())?;
    let list = rest
        .trim()
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .ok_or_else(|| {
            anyhow!("only direct type restrictions like [user, group#member] are supported")
        })?;
    let restriction = list
        .split(',')
        .map(|item| match item.trim().split_once('#') {
            Some((object_type, relation)) => Ok(DirectType::Userset {
                object_type: identifier(object_type)?.to_owned(),
                relation: identifier(relation)?.to_owned(),
            }),
            None => Ok(DirectType::Type(identifier(item.trim())?.to_owned())),
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok((relation.to_owned(), restriction))
}

fn identifier(name: &str) -> anyhow::Result<&str> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if valid {
        Ok(name)
    } else {
        Err(anyhow!("{name:?} is not a valid name"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_custodian_model() {
        let model = Model::custodian();
        assert_eq!(
            model.types.keys().collect::<Vec<_>>(),
            ["group", "okta", "user"]
        );
        assert_eq!(
            model.relation("okta", "read_okta").unwrap(),
            [
                DirectType::Type("user".into()),
                DirectType::Userset {
                    object_type: "group".into(),
                    relation: "member".into()
                }
            ]
        );
        assert!(model.relation("okta", "member").is_none());
    }

    #[test]
    fn refuses_what_it_cannot_evaluate() {
        let computed = "model\n schema 1.1\ntype user\ntype doc\n relations\n  define owner: [user]\n  define viewer: owner or editor\n";
        assert!(Model::parse(computed).is_err());
        assert!(Model::parse("model\n schema 1.0\ntype user\n").is_err());
        let dangling = "model\n schema 1.1\ntype doc\n relations\n  define viewer: [user]\n";
        assert!(Model::parse(dangling).is_err());
    }
}
