//! The embedded SQLite store: the shared conformance suite, plus what only a
//! file shared by several processes needs.

use std::sync::Arc;

use custodian_core::store::{EmbeddedStore, LoginAttempt, Role, Store};
use tempfile::TempDir;

use crate::store_suite::{self, NOW, conversation, hit, message, session, unique};

fn fresh() -> (TempDir, EmbeddedStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(&dir.path().join("data/custodian.sqlite3")).unwrap();
    (dir, store)
}

store_suite::conformance_tests!(fresh());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_takes_through_one_handle() {
    let (_dir, store) = fresh();
    let store: Arc<dyn Store> = Arc::new(store);
    store_suite::concurrent_takes_yield_one_attempt(Arc::clone(&store), store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_takes_through_two_opens_of_one_file() {
    let (dir, first) = fresh();
    let second = EmbeddedStore::open(&dir.path().join("data/custodian.sqlite3")).unwrap();
    store_suite::concurrent_takes_yield_one_attempt(Arc::new(first), Arc::new(second)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_step_up_updates_through_one_handle() {
    let (_dir, store) = fresh();
    let store: Arc<dyn Store> = Arc::new(store);
    store_suite::concurrent_step_up_updates_have_one_winner(Arc::clone(&store), store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_hits_through_one_handle() {
    let (_dir, store) = fresh();
    let store: Arc<dyn Store> = Arc::new(store);
    store_suite::concurrent_hits_allow_exactly_the_limit(Arc::clone(&store), Arc::clone(&store))
        .await;
    store_suite::concurrent_claims_win_at_most_the_slots(Arc::clone(&store), store).await;
}

/// The BFF and the sandbox's handlers counting against the same limits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_hits_through_two_opens_of_one_file() {
    let (dir, first) = fresh();
    let second = EmbeddedStore::open(&dir.path().join("data/custodian.sqlite3")).unwrap();
    let (first, second): (Arc<dyn Store>, Arc<dyn Store>) = (Arc::new(first), Arc::new(second));
    store_suite::concurrent_hits_allow_exactly_the_limit(Arc::clone(&first), Arc::clone(&second))
        .await;
    store_suite::concurrent_claims_win_at_most_the_slots(first, second).await;
}

/// The BFF and the sandbox's handlers polling the same step-up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_step_up_updates_through_two_opens_of_one_file() {
    let (dir, first) = fresh();
    let second = EmbeddedStore::open(&dir.path().join("data/custodian.sqlite3")).unwrap();
    store_suite::concurrent_step_up_updates_have_one_winner(Arc::new(first), Arc::new(second))
        .await;
}

/// The BFF and the sandbox's handlers open the same file from different
/// processes; two opens here have separate connections, as they would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_opens_see_each_others_writes_while_writing_concurrently() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/custodian.sqlite3");
    let bff = EmbeddedStore::open(&path).unwrap();
    let lambda = EmbeddedStore::open(&path).unwrap();

    let record = session(NOW + 600, NOW + 3600);
    bff.put_session(&record).await.unwrap();
    assert_eq!(
        lambda.get_session(&record.id, NOW).await.unwrap(),
        Some(record.clone())
    );
    lambda.delete_session(&record.id).await.unwrap();
    assert_eq!(bff.get_session(&record.id, NOW).await.unwrap(), None);

    let owner = unique("owner");
    let shared = conversation(&owner, "shared", NOW);
    bff.create_conversation(&shared).await.unwrap();

    const PER_WRITER: i64 = 25;
    let writer = |store: EmbeddedStore, role: Role, offset: i64| {
        let (owner, id) = (owner.clone(), shared.id.clone());
        tokio::spawn(async move {
            let mut sessions = Vec::new();
            for i in 0..PER_WRITER {
                let at = NOW + offset + i * 2;
                store
                    .append_message(&owner, &id, &message(role.clone(), &format!("{i}"), at))
                    .await
                    .unwrap();
                let record = session(NOW + 600, NOW + 3600);
                store.put_session(&record).await.unwrap();
                sessions.push(record);
            }
            sessions
        })
    };
    let from_bff = writer(bff.clone(), Role::User, 1);
    let from_lambda = writer(lambda.clone(), Role::Notice, 2);
    let (from_bff, from_lambda) = (from_bff.await.unwrap(), from_lambda.await.unwrap());

    for record in &from_bff {
        assert_eq!(
            lambda.get_session(&record.id, NOW).await.unwrap().as_ref(),
            Some(record)
        );
    }
    for record in &from_lambda {
        assert_eq!(
            bff.get_session(&record.id, NOW).await.unwrap().as_ref(),
            Some(record)
        );
    }
    let seen_by_bff = bff
        .get_conversation(&owner, &shared.id)
        .await
        .unwrap()
        .unwrap();
    let seen_by_lambda = lambda
        .get_conversation(&owner, &shared.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen_by_bff, seen_by_lambda);
    assert_eq!(seen_by_bff.messages.len() as i64, 1 + 2 * PER_WRITER);
    assert_eq!(seen_by_bff.updated_at, NOW + 2 + (PER_WRITER - 1) * 2);
    // Each writer's own messages stay in the order it wrote them.
    for role in [Role::User, Role::Notice] {
        let texts: Vec<_> = seen_by_bff
            .messages
            .iter()
            .skip(1)
            .filter(|m| m.role == role)
            .map(|m| m.text.parse::<i64>().unwrap())
            .collect();
        assert_eq!(texts, (0..PER_WRITER).collect::<Vec<_>>());
    }
}

#[tokio::test]
async fn records_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/custodian.sqlite3");
    let record = session(NOW + 600, NOW + 3600);
    let attempt = LoginAttempt {
        id: unique("attempt"),
        sealed: "s".into(),
        expires_at: NOW + 600,
    };
    {
        let store = EmbeddedStore::open(&path).unwrap();
        store.put_session(&record).await.unwrap();
        store.put_login_attempt(&attempt).await.unwrap();
    }
    // Opening again re-runs the schema step harmlessly.
    let store = EmbeddedStore::open(&path).unwrap();
    assert_eq!(
        store.get_session(&record.id, NOW).await.unwrap(),
        Some(record)
    );
    assert_eq!(
        store.take_login_attempt(&attempt.id, NOW).await.unwrap(),
        Some(attempt)
    );
}

/// A file as an older build left it: a session written, then `downgrade`
/// (SQL) run on it; returned reopened by this build, with the session, which
/// must have survived.
async fn reopened_after(downgrade: &str) -> (tempfile::TempDir, EmbeddedStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/custodian.sqlite3");
    let record = session(NOW + 600, NOW + 3600);
    EmbeddedStore::open(&path)
        .unwrap()
        .put_session(&record)
        .await
        .unwrap();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(downgrade)
        .unwrap();
    let store = EmbeddedStore::open(&path).unwrap();
    assert_eq!(
        store.get_session(&record.id, NOW).await.unwrap(),
        Some(record)
    );
    (dir, store)
}

/// A file from the build before step-ups gains their table on opening and
/// keeps what it had.
#[tokio::test]
async fn opening_a_version_1_file_adds_step_ups() {
    let (_dir, store) = reopened_after(
        "DROP TABLE step_ups; DROP TABLE limit_windows; DROP TABLE limit_slots; \
         PRAGMA user_version = 1;",
    )
    .await;
    let owner = unique("owner");
    let pending = store_suite::step_up(&owner, &unique("conversation"), NOW);
    store.create_step_up(&pending).await.unwrap();
    assert_eq!(
        store.get_step_up(&owner, &pending.id).await.unwrap(),
        Some(pending)
    );
}

/// A file from the build before limits gains their tables on opening.
#[tokio::test]
async fn opening_a_version_2_file_adds_the_limit_tables() {
    let (_dir, store) = reopened_after(
        "DROP TABLE limit_windows; DROP TABLE limit_slots; PRAGMA user_version = 2;",
    )
    .await;
    let key = store_suite::limit_key("turns");
    assert_eq!(
        store.hit_limit(&hit(&key, 1, NOW)).await.unwrap(),
        custodian_core::store::LimitDecision::Allowed { count: 1 }
    );
}

/// A step-up row written by a build from before the reset intent.
#[tokio::test]
async fn step_ups_from_before_the_reset_intent_still_read() {
    let (dir, store) = fresh();
    let mut record = store_suite::step_up(&unique("owner"), &unique("conversation"), NOW);
    record.state = custodian_core::store::StepUpState::Approved;
    store.create_step_up(&record).await.unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("data/custodian.sqlite3")).unwrap();
    let changed = conn
        .execute(
            "UPDATE step_ups SET record = ?1 WHERE id = ?2",
            rusqlite::params![
                store_suite::json_from_before_the_reset_intent(&record),
                record.id
            ],
        )
        .unwrap();
    assert_eq!(changed, 1);
    store_suite::step_up_from_before_the_reset_intent_reads(&store, &record).await;
}

/// A file from the build before open turns gains their table on opening.
#[tokio::test]
async fn opening_a_version_4_file_adds_turns() {
    let (_dir, store) = reopened_after("DROP TABLE turns; PRAGMA user_version = 4;").await;
    let record = store_suite::turn(NOW + 120);
    store.open_turn(&record).await.unwrap();
    assert_eq!(
        store.get_open_turn(&record.id, NOW).await.unwrap(),
        Some(record)
    );
}

#[test]
fn debug_output_leaves_sealed_fields_out() {
    let record = session(NOW + 600, NOW + 3600);
    let debug = format!("{record:?}");
    assert!(!debug.contains(&record.sealed_tokens), "{debug}");
    assert!(debug.contains(&record.id));
    let attempt = LoginAttempt {
        id: "a".into(),
        sealed: "gAAAA-secret".into(),
        expires_at: 1,
    };
    assert!(!format!("{attempt:?}").contains("gAAAA-secret"));
}

#[test]
fn opening_an_unusable_path_is_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let err = EmbeddedStore::open(&blocker.join("custodian.sqlite3")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("the session store is unavailable"),
        "{err}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn the_store_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;

    let (dir, store) = fresh();
    store
        .put_session(&session(NOW + 60, NOW + 60))
        .await
        .unwrap();
    let files: Vec<_> = std::fs::read_dir(dir.path().join("data"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert!(
        files.len() >= 2,
        "the file and its write-ahead log: {files:?}"
    );
    for path in files {
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }

    // A file left world-readable by an older version is narrowed on open.
    let path = dir.path().join("data/custodian.sqlite3");
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    EmbeddedStore::open(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
}

/// Locally nothing but the sweep deletes audit entries past their
/// retention; a live one stays.
#[tokio::test]
async fn purge_removes_audit_entries_past_their_retention() {
    use custodian_core::store::{AuditEntry, AuditFilter, AuditQuery};
    let (_dir, store) = fresh();
    let entry = |expires_at| AuditEntry {
        id: unique("audit"),
        at_ms: NOW * 1000,
        action: "okta.groups".into(),
        actor: "admin@example.com".into(),
        target: "bob@example.com".into(),
        outcome: "read".into(),
        expires_at,
    };
    let (expired, live) = (entry(NOW), entry(NOW + 1));
    store.append_audit(&expired).await.unwrap();
    store.append_audit(&live).await.unwrap();

    assert_eq!(store.purge_expired(NOW).await.unwrap(), 1);
    let earlier = AuditQuery {
        filter: AuditFilter::default(),
        limit: 10,
        before: None,
        now: NOW - 10,
    };
    let left = store.list_audit(&earlier).await.unwrap().entries;
    assert_eq!(left, [live], "purged, not merely expired");
}
