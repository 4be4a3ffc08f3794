//! The store's relationship tuples, seeded with the demo users' permissions.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};

use super::model::Model;
use super::validate::{self, TupleKey, split_object};

#[derive(Clone, Debug)]
pub struct StoredTuple {
    pub key: TupleKey,
    pub timestamp: DateTime<Utc>,
}

/// The demo permissions: the admin may do everything (read the audit log,
/// and grant both Okta permissions to others), the helpdesk user and the
/// newcomer read groups through the helpdesk group, user@example.com may
/// do nothing.
pub fn seed() -> Vec<TupleKey> {
    vec![
        TupleKey::new("user:admin@example.com", "read_okta", "okta:groups"),
        TupleKey::new("user:admin@example.com", "reset_password", "okta:password"),
        TupleKey::new("user:admin@example.com", "auditor", "audit_log:custodian"),
        TupleKey::new("user:admin@example.com", "approver", "okta:groups"),
        TupleKey::new("user:admin@example.com", "approver", "okta:password"),
        TupleKey::new("user:helpdesk@example.com", "member", "group:helpdesk"),
        TupleKey::new("group:helpdesk#member", "read_okta", "okta:groups"),
        TupleKey::new("user:newcomer@example.com", "member", "group:helpdesk"),
        // The second pair of eyes on resets of privileged accounts.
        TupleKey::new("user:second.admin@example.com", "approver", "okta:password"),
    ]
}

pub struct TupleStore(Mutex<Vec<StoredTuple>>);

/// Why a write changed nothing, in OpenFGA's terms.
#[derive(Debug, PartialEq, Eq)]
pub enum WriteError {
    /// A tuple does not fit the model.
    Invalid(String),
    /// Writing an existing tuple or deleting a missing one.
    Conflict(String),
}

/// What a write does with a tuple that already exists or a delete with one
/// that does not: refuse the whole write (OpenFGA's default, `"error"`) or
/// skip it (`on_duplicate` / `on_missing` = `"ignore"`).
#[derive(Clone, Copy, Default)]
pub struct Conflicts {
    pub ignore_duplicates: bool,
    pub ignore_missing: bool,
}

/// A `/read` filter: each given field must match; an object of just
/// `type:` matches every object of that type.
#[derive(Default)]
pub struct Filter {
    pub user: Option<String>,
    pub relation: Option<String>,
    pub object: Option<String>,
}

impl TupleStore {
    pub fn seeded() -> Self {
        let now = Utc::now();
        Self(Mutex::new(
            seed()
                .into_iter()
                .map(|key| StoredTuple {
                    key,
                    timestamp: now,
                })
                .collect(),
        ))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<StoredTuple>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn keys(&self) -> Vec<TupleKey> {
        self.lock().iter().map(|t| t.key.clone()).collect()
    }

    pub fn all(&self) -> Vec<StoredTuple> {
        self.lock().clone()
    }

    /// Applies all writes and deletes, or none of them.
    pub fn write(
        &self,
        model: &Model,
        writes: &[TupleKey],
        deletes: &[TupleKey],
        conflicts: Conflicts,
    ) -> Result<(), WriteError> {
        for key in writes {
            validate::tuple(model, key).map_err(WriteError::Invalid)?;
        }
        for key in deletes {
            validate::deletion(model, key).map_err(WriteError::Invalid)?;
        }
        let mut tuples = self.lock();
        let exists = |key: &TupleKey| tuples.iter().any(|t| t.key.same(key));
        let writes: Vec<&TupleKey> = writes
            .iter()
            .filter(|key| !(conflicts.ignore_duplicates && exists(key)))
            .collect();
        let deletes: Vec<&TupleKey> = deletes
            .iter()
            .filter(|key| !conflicts.ignore_missing || exists(key))
            .collect();
        for key in &writes {
            if exists(key) || writes.iter().filter(|k| k.same(key)).count() > 1 {
                return Err(WriteError::Conflict(format!(
                    "cannot write a tuple which already exists: user: '{}', relation: '{}', object: '{}'",
                    key.user, key.relation, key.object
                )));
            }
        }
        for key in &deletes {
            if !exists(key) {
                return Err(WriteError::Conflict(format!(
                    "cannot delete a tuple which does not exist: user: '{}', relation: '{}', object: '{}'",
                    key.user, key.relation, key.object
                )));
            }
        }
        tuples.retain(|t| !deletes.iter().any(|key| key.same(&t.key)));
        let now = Utc::now();
        tuples.extend(writes.into_iter().map(|key| StoredTuple {
            key: key.clone(),
            timestamp: now,
        }));
        Ok(())
    }

    pub fn read(&self, filter: &Filter) -> Vec<StoredTuple> {
        let object_matches = |object: &str| match filter.object.as_deref() {
            None => true,
            Some(wanted) if wanted.ends_with(':') => split_object(object)
                .is_some_and(|(object_type, _)| wanted.strip_suffix(':') == Some(object_type)),
            Some(wanted) => wanted == object,
        };
        self.lock()
            .iter()
            .filter(|t| filter.user.as_ref().is_none_or(|u| *u == t.key.user))
            .filter(|t| {
                filter
                    .relation
                    .as_ref()
                    .is_none_or(|r| *r == t.key.relation)
            })
            .filter(|t| object_matches(&t.key.object))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fga::validate::RelationshipCondition;

    #[test]
    fn writes_are_all_or_nothing() {
        let store = TupleStore::seeded();
        let model = Model::custodian();
        let new = TupleKey::new("user:bob@example.com", "read_okta", "okta:groups");
        let bad = TupleKey::new("user:bob@example.com", "owner", "okta:groups");
        let strict = Conflicts::default();
        assert!(matches!(
            store.write(&model, &[new.clone(), bad], &[], strict),
            Err(WriteError::Invalid(_))
        ));
        assert_eq!(store.keys().len(), seed().len());
        let new = std::slice::from_ref(&new);
        store.write(&model, new, &[], strict).unwrap();
        assert!(matches!(
            store.write(&model, new, &[], strict),
            Err(WriteError::Conflict(_))
        ));
        store.write(&model, &[], new, strict).unwrap();
        assert!(matches!(
            store.write(&model, &[], new, strict),
            Err(WriteError::Conflict(_))
        ));
    }

    #[test]
    fn conflicts_can_be_ignored() {
        let store = TupleStore::seeded();
        let model = Model::custodian();
        let seeded = TupleKey::new("user:admin@example.com", "read_okta", "okta:groups");
        let missing = TupleKey::new("user:bob@example.com", "read_okta", "okta:groups");
        let lenient = Conflicts {
            ignore_duplicates: true,
            ignore_missing: true,
        };
        store
            .write(
                &model,
                std::slice::from_ref(&seeded),
                std::slice::from_ref(&missing),
                lenient,
            )
            .unwrap();
        assert_eq!(store.keys().len(), seed().len());
    }

    #[test]
    fn a_tuple_is_the_same_whatever_its_condition() {
        let store = TupleStore::seeded();
        let model = Model::custodian();
        let plain = TupleKey::new("user:bob@example.com", "reset_password", "okta:password");
        let conditional = TupleKey {
            condition: Some(RelationshipCondition {
                name: "not_expired".into(),
                context: serde_json::json!({ "valid_until": "2030-01-01T00:00:00Z" })
                    .as_object()
                    .cloned()
                    .unwrap(),
            }),
            ..plain.clone()
        };
        let strict = Conflicts::default();
        store
            .write(&model, std::slice::from_ref(&conditional), &[], strict)
            .unwrap();
        assert!(matches!(
            store.write(&model, std::slice::from_ref(&plain), &[], strict),
            Err(WriteError::Conflict(_))
        ));
        let stored = store.read(&Filter {
            user: Some(plain.user.clone()),
            ..Filter::default()
        });
        assert_eq!(stored[0].key, conditional, "read back with its condition");
        store
            .write(&model, &[], std::slice::from_ref(&plain), strict)
            .unwrap();
        assert_eq!(store.keys().len(), seed().len());
    }

    #[test]
    fn reads_filter_by_each_field() {
        let store = TupleStore::seeded();
        let by_type = Filter {
            object: Some("group:".into()),
            ..Filter::default()
        };
        // The helpdesk and newcomer memberships.
        assert_eq!(store.read(&by_type).len(), 2);
        let admin = Filter {
            user: Some("user:admin@example.com".into()),
            ..Filter::default()
        };
        // Two grants, two approvals and the audit log.
        assert_eq!(store.read(&admin).len(), 5);
        assert_eq!(store.read(&Filter::default()).len(), seed().len());
    }
}
