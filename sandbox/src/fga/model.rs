//! The authorization model, parsed from the OpenFGA DSL.
//!
//! The sandbox evaluates `config/fga/model.fga` itself, so the model it
//! enforces is the file `fga model test` checks. Only the constructs that
//! model uses are supported — direct type restrictions such as
//! `[user, user with not_expired, group#member]` and `condition` blocks —
//! and anything else is refused by name rather than silently misread.

use std::collections::BTreeMap;

use anyhow::{Context, anyhow, bail};

use super::conditions::Condition;
use super::validate::User;

/// Custodian's model, the file the FGA CLI tests.
pub const CUSTODIAN_MODEL: &str = include_str!("../../../config/fga/model.fga");

/// Who may be related directly: `user` or a userset like `group#member`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    Type(String),
    Userset {
        object_type: String,
        relation: String,
    },
}

/// One entry of a type restriction, with the condition a tuple for it
/// must carry (`user with not_expired`), if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectType {
    pub subject: Subject,
    pub condition: Option<String>,
}

impl DirectType {
    /// Whether a tuple's user is of this entry's type, whatever its
    /// condition.
    pub fn admits(&self, user: &User) -> bool {
        match (&self.subject, user.relation) {
            (Subject::Type(t), None) => t == user.object_type,
            (
                Subject::Userset {
                    object_type,
                    relation,
                },
                Some(r),
            ) => object_type == user.object_type && relation == r,
            _ => false,
        }
    }
}

#[derive(Debug, Default)]
pub struct TypeDefinition {
    pub relations: BTreeMap<String, Vec<DirectType>>,
}

#[derive(Debug)]
pub struct Model {
    pub types: BTreeMap<String, TypeDefinition>,
    pub conditions: BTreeMap<String, Condition>,
}

impl Model {
    pub fn parse(source: &str) -> anyhow::Result<Self> {
        let mut parser = Parser::default();
        let mut lines = source.lines().enumerate();
        while let Some((index, raw)) = lines.next() {
            let at = || format!("model line {}", index + 1);
            let line = raw.trim();
            if line.starts_with("condition ") {
                let block = condition_block(line, &mut lines).with_context(at)?;
                parser.condition(&block).with_context(at)?;
            } else {
                parser.line(line).with_context(at)?;
            }
        }
        parser.finish()
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

    /// Every restriction names a defined type (and relation, for usersets)
    /// and a defined condition.
    fn check_references(&self) -> anyhow::Result<()> {
        for (type_name, definition) in &self.types {
            for (relation, restriction) in &definition.relations {
                for direct in restriction {
                    let known = match &direct.subject {
                        Subject::Type(t) => self.types.contains_key(t),
                        Subject::Userset {
                            object_type,
                            relation,
                        } => self.relation(object_type, relation).is_some(),
                    };
                    if !known {
                        bail!("{type_name}#{relation} refers to an undefined {direct:?}");
                    }
                    if let Some(condition) = &direct.condition
                        && !self.conditions.contains_key(condition)
                    {
                        bail!(
                            "{type_name}#{relation} refers to an undefined condition {condition}"
                        );
                    }
                }
            }
        }
        Ok(())
    }
}

/// The model as its lines are read.
#[derive(Default)]
struct Parser {
    types: BTreeMap<String, TypeDefinition>,
    conditions: BTreeMap<String, Condition>,
    schema: Option<String>,
    /// The type whose lines are being read, and whether its `relations`
    /// have begun.
    current: Option<String>,
    in_relations: bool,
}

impl Parser {
    fn line(&mut self, line: &str) -> anyhow::Result<()> {
        if line.is_empty() || line.starts_with('#') || line.starts_with("//") || line == "model" {
            return Ok(());
        }
        if let Some(version) = line.strip_prefix("schema ") {
            self.schema = Some(version.trim().to_owned());
        } else if let Some(name) = line.strip_prefix("type ") {
            self.start_type(identifier(name.trim())?)?;
        } else if line == "relations" {
            if self.current.is_none() {
                bail!("relations outside a type");
            }
            self.in_relations = true;
        } else if let Some(definition) = line.strip_prefix("define ") {
            self.define(definition)?;
        } else {
            bail!("unsupported syntax {line:?}");
        }
        Ok(())
    }

    fn start_type(&mut self, name: &str) -> anyhow::Result<()> {
        if self
            .types
            .insert(name.to_owned(), TypeDefinition::default())
            .is_some()
        {
            bail!("type {name} is defined twice");
        }
        self.current = Some(name.to_owned());
        self.in_relations = false;
        Ok(())
    }

    fn define(&mut self, definition: &str) -> anyhow::Result<()> {
        let (Some(type_name), true) = (&self.current, self.in_relations) else {
            bail!("define outside a type's relations");
        };
        let (relation, restriction) = parse_define(definition)?;
        let relations = &mut self
            .types
            .get_mut(type_name)
            .expect("current type")
            .relations;
        if relations.insert(relation.clone(), restriction).is_some() {
            bail!("relation {relation} is defined twice");
        }
        Ok(())
    }

    /// A condition ends the type before it.
    fn condition(&mut self, block: &str) -> anyhow::Result<()> {
        let condition = Condition::parse(block)?;
        self.current = None;
        self.in_relations = false;
        let name = condition.name.clone();
        if self.conditions.insert(name.clone(), condition).is_some() {
            bail!("condition {name} is defined twice");
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<Model> {
        if self.schema.as_deref() != Some("1.1") {
            bail!("the model must declare schema 1.1");
        }
        let model = Model {
            types: self.types,
            conditions: self.conditions,
        };
        model.check_references()?;
        Ok(model)
    }
}

/// A condition's lines, from `condition ...` up to the `}` that closes
/// its expression.
fn condition_block<'a>(
    first: &str,
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
) -> anyhow::Result<String> {
    let depth = |text: &str| text.matches('{').count() as i64 - text.matches('}').count() as i64;
    let mut block = first.to_owned();
    while !block.contains('{') || depth(&block) > 0 {
        let (_, line) = lines
            .next()
            .ok_or_else(|| anyhow!("the condition is not closed with `}}`"))?;
        block.push('\n');
        block.push_str(line);
    }
    Ok(block)
}

/// `reset_password: [user, user with not_expired, group#member]`
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
        .map(parse_direct_type)
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok((relation.to_owned(), restriction))
}

/// `user`, `group#member` or either `with` a condition.
fn parse_direct_type(item: &str) -> anyhow::Result<DirectType> {
    let (subject, condition) = match item.trim().split_once(" with ") {
        Some((subject, condition)) => (subject.trim(), Some(identifier(condition.trim())?)),
        None => (item.trim(), None),
    };
    let subject = match subject.split_once('#') {
        Some((object_type, relation)) => Subject::Userset {
            object_type: identifier(object_type)?.to_owned(),
            relation: identifier(relation)?.to_owned(),
        },
        None => Subject::Type(identifier(subject)?.to_owned()),
    };
    Ok(DirectType {
        subject,
        condition: condition.map(str::to_owned),
    })
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
            ["audit_log", "group", "okta", "user"]
        );
        let direct = |subject, condition: Option<&str>| DirectType {
            subject,
            condition: condition.map(str::to_owned),
        };
        let user = || Subject::Type("user".into());
        assert_eq!(
            model.relation("okta", "reset_password").unwrap(),
            [
                direct(user(), None),
                direct(user(), Some("not_expired")),
                direct(
                    Subject::Userset {
                        object_type: "group".into(),
                        relation: "member".into()
                    },
                    None
                ),
            ]
        );
        assert_eq!(model.relation("okta", "approver").unwrap().len(), 2);
        assert!(model.relation("okta", "member").is_none());
        assert_eq!(model.conditions.keys().collect::<Vec<_>>(), ["not_expired"]);
    }

    #[test]
    fn refuses_what_it_cannot_evaluate() {
        let computed = "model\n schema 1.1\ntype user\ntype doc\n relations\n  define owner: [user]\n  define viewer: owner or editor\n";
        assert!(Model::parse(computed).is_err());
        assert!(Model::parse("model\n schema 1.0\ntype user\n").is_err());
        let dangling = "model\n schema 1.1\ntype doc\n relations\n  define viewer: [user]\n";
        assert!(Model::parse(dangling).is_err());
    }

    #[test]
    fn conditions_are_parsed_and_must_exist() {
        let header = "model\n schema 1.1\ntype user\ntype doc\n relations\n";
        let one_line = format!(
            "{header}  define viewer: [user with small]\ncondition small(x: int) {{ x < 10 }}\n"
        );
        assert_eq!(Model::parse(&one_line).unwrap().conditions.len(), 1);
        let undefined = format!("{header}  define viewer: [user with small]\n");
        assert!(Model::parse(&undefined).is_err());
        let unclosed =
            format!("{header}  define viewer: [user]\ncondition small(x: int) {{\n x < 10\n");
        assert!(Model::parse(&unclosed).is_err());
        let define_after = format!(
            "{header}  define viewer: [user]\ncondition small(x: int) {{\n x < 10\n}}\n  define editor: [user]\n"
        );
        assert!(
            Model::parse(&define_after).is_err(),
            "a condition ends the type"
        );
    }
}
