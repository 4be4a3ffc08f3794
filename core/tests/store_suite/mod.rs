//! Behaviour every `Store` backend must have. Each check is a plain async
//! function over a store handle so the embedded and DynamoDB test files can
//! both run it; ids are unique per call so a shared table is fine.

use std::sync::Arc;

use custodian_core::store::{
    Conversation, LoginAttempt, Message, Role, SessionRecord, SessionUser, Store, StoreError,
};

pub const NOW: i64 = 1_700_000_000;

pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

pub fn session(idle_expires_at: i64, absolute_expires_at: i64) -> SessionRecord {
    let id = unique("session");
    SessionRecord {
        user: SessionUser {
            sub: unique("auth0|user"),
            email: "admin@example.com".into(),
            name: "Ada Admin".into(),
        },
        issuer: "https://tenant.us.auth0.com/".into(),
        scopes: vec!["openid".into(), "offline_access".into()],
        sealed_tokens: format!("gAAAA-sealed-{id}"),
        created_at: NOW - 10,
        last_seen_at: NOW - 10,
        idle_expires_at,
        absolute_expires_at,
        access_token_expires_at: NOW + 3600,
        id,
    }
}

pub fn conversation(owner: &str, title: &str, at: i64) -> Conversation {
    Conversation {
        id: unique("conversation"),
        owner: owner.into(),
        title: title.into(),
        created_at: at,
        updated_at: at,
        messages: vec![message(Role::User, title, at)],
    }
}

pub fn message(role: Role, text: &str, at: i64) -> Message {
    Message {
        role,
        text: text.into(),
        at,
    }
}

pub async fn session_round_trip_replace_and_delete(store: &dyn Store) {
    let mut record = session(NOW + 1800, NOW + 43_200);
    store.put_session(&record).await.unwrap();
    assert_eq!(
        store.get_session(&record.id, NOW).await.unwrap(),
        Some(record.clone())
    );

    record.last_seen_at = NOW;
    record.idle_expires_at = NOW + 3600;
    store.put_session(&record).await.unwrap();
    assert_eq!(
        store.get_session(&record.id, NOW).await.unwrap(),
        Some(record.clone())
    );

    store.delete_session(&record.id).await.unwrap();
    assert_eq!(store.get_session(&record.id, NOW).await.unwrap(), None);
    // Deleting what is gone is not an error (logout twice).
    store.delete_session(&record.id).await.unwrap();
    assert_eq!(
        store.get_session(&unique("missing"), NOW).await.unwrap(),
        None
    );
}

pub async fn session_expires_at_idle_limit(store: &dyn Store) {
    let record = session(NOW + 60, NOW + 43_200);
    store.put_session(&record).await.unwrap();
    assert!(
        store
            .get_session(&record.id, NOW + 59)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(store.get_session(&record.id, NOW + 60).await.unwrap(), None);
    assert_eq!(store.get_session(&record.id, NOW + 61).await.unwrap(), None);
}

pub async fn session_expires_at_absolute_limit(store: &dyn Store) {
    let record = session(NOW + 43_200, NOW + 60);
    assert_eq!(record.expires_at(), NOW + 60);
    store.put_session(&record).await.unwrap();
    assert!(
        store
            .get_session(&record.id, NOW + 59)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(store.get_session(&record.id, NOW + 60).await.unwrap(), None);
}

pub async fn login_attempt_is_taken_once(store: &dyn Store) {
    let attempt = LoginAttempt {
        id: unique("attempt"),
        sealed: "gAAAA-sealed-attempt".into(),
        expires_at: NOW + 600,
    };
    store.put_login_attempt(&attempt).await.unwrap();
    assert_eq!(
        store.take_login_attempt(&attempt.id, NOW).await.unwrap(),
        Some(attempt.clone())
    );
    assert_eq!(
        store.take_login_attempt(&attempt.id, NOW).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .take_login_attempt(&unique("missing"), NOW)
            .await
            .unwrap(),
        None
    );
}

pub async fn expired_login_attempt_is_none(store: &dyn Store) {
    let attempt = LoginAttempt {
        id: unique("attempt"),
        sealed: "gAAAA-sealed-attempt".into(),
        expires_at: NOW + 600,
    };
    store.put_login_attempt(&attempt).await.unwrap();
    assert_eq!(
        store
            .take_login_attempt(&attempt.id, NOW + 600)
            .await
            .unwrap(),
        None
    );
    // Still gone for a taker who comes back in time: it cannot be replayed.
    assert_eq!(
        store.take_login_attempt(&attempt.id, NOW).await.unwrap(),
        None
    );
}

/// Two callbacks racing with the same state: exactly one may proceed.
pub async fn concurrent_takes_yield_one_attempt(first: Arc<dyn Store>, second: Arc<dyn Store>) {
    for _ in 0..20 {
        let attempt = LoginAttempt {
            id: unique("attempt"),
            sealed: "gAAAA-sealed-attempt".into(),
            expires_at: NOW + 600,
        };
        first.put_login_attempt(&attempt).await.unwrap();
        let take = |store: Arc<dyn Store>, id: String| {
            tokio::spawn(async move { store.take_login_attempt(&id, NOW).await.unwrap() })
        };
        let a = take(Arc::clone(&first), attempt.id.clone());
        let b = take(Arc::clone(&second), attempt.id.clone());
        let (a, b) = (a.await.unwrap(), b.await.unwrap());
        assert_eq!(
            usize::from(a.is_some()) + usize::from(b.is_some()),
            1,
            "both or neither took {}",
            attempt.id
        );
    }
}

pub async fn conversations_belong_to_their_owner(store: &dyn Store) {
    let (alice, bob) = (unique("alice"), unique("bob"));
    let mine = conversation(&alice, "Groups for bob", NOW);
    store.create_conversation(&mine).await.unwrap();

    assert_eq!(
        store.get_conversation(&alice, &mine.id).await.unwrap(),
        Some(mine.clone())
    );
    assert_eq!(store.get_conversation(&bob, &mine.id).await.unwrap(), None);
    assert_eq!(
        store
            .get_conversation(&alice, &unique("missing"))
            .await
            .unwrap(),
        None
    );
    assert!(store.list_conversations(&bob).await.unwrap().is_empty());

    let err = store
        .append_message(&bob, &mine.id, &message(Role::User, "hijack", NOW + 1))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert!(!err.to_string().contains("hijack"));
    let err = store
        .append_message(&alice, &unique("missing"), &message(Role::User, "x", NOW))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(
        store.get_conversation(&alice, &mine.id).await.unwrap(),
        Some(mine.clone())
    );

    // Bob cannot take over the id by creating it again.
    let mut theirs = conversation(&bob, "mine now", NOW);
    theirs.id = mine.id.clone();
    let err = store.create_conversation(&theirs).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(
        store.get_conversation(&alice, &mine.id).await.unwrap(),
        Some(mine)
    );
}

pub async fn conversations_list_newest_first(store: &dyn Store) {
    let owner = unique("owner");
    let oldest = conversation(&owner, "oldest", NOW);
    let middle = conversation(&owner, "middle", NOW + 10);
    let newest = conversation(&owner, "newest", NOW + 20);
    for c in [&middle, &oldest, &newest] {
        store.create_conversation(c).await.unwrap();
    }
    let titles = |list: Vec<custodian_core::store::ConversationSummary>| {
        list.into_iter().map(|c| c.title).collect::<Vec<_>>()
    };
    assert_eq!(
        titles(store.list_conversations(&owner).await.unwrap()),
        ["newest", "middle", "oldest"]
    );

    // A new message moves a conversation to the top.
    store
        .append_message(&owner, &oldest.id, &message(Role::User, "again", NOW + 30))
        .await
        .unwrap();
    let listed = store.list_conversations(&owner).await.unwrap();
    assert_eq!(titles(listed.clone()), ["oldest", "newest", "middle"]);
    assert_eq!(listed[0].id, oldest.id);
    assert_eq!(listed[0].updated_at, NOW + 30);
}

pub async fn append_keeps_order_and_bumps_updated_at(store: &dyn Store) {
    let owner = unique("owner");
    let mut expected = conversation(&owner, "Reset bob's password", NOW);
    store.create_conversation(&expected).await.unwrap();

    let replies = [
        message(
            Role::Assistant,
            "Approve code K7F-2QX on your phone — ✓ ünïcode",
            NOW + 5,
        ),
        message(Role::Notice, "Password reset for bob@example.com", NOW + 60),
        message(Role::User, "thanks", NOW + 61),
    ];
    for reply in &replies {
        store
            .append_message(&owner, &expected.id, reply)
            .await
            .unwrap();
    }
    expected.messages.extend(replies);
    expected.updated_at = NOW + 61;
    assert_eq!(
        store.get_conversation(&owner, &expected.id).await.unwrap(),
        Some(expected.clone())
    );

    // A late-stamped message is kept but does not move updated_at back.
    store
        .append_message(
            &owner,
            &expected.id,
            &message(Role::Assistant, "late", NOW + 1),
        )
        .await
        .unwrap();
    let stored = store
        .get_conversation(&owner, &expected.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.updated_at, NOW + 61);
    assert_eq!(stored.messages.len(), 5);
    assert_eq!(stored.messages[4].text, "late");
}

pub async fn purge_removes_only_expired_records(store: &dyn Store) {
    let expired = session(NOW - 1, NOW + 100);
    let live = session(NOW + 100, NOW + 200);
    let stale_attempt = LoginAttempt {
        id: unique("attempt"),
        sealed: "s".into(),
        expires_at: NOW,
    };
    let fresh_attempt = LoginAttempt {
        id: unique("attempt"),
        sealed: "s".into(),
        expires_at: NOW + 1,
    };
    let owner = unique("owner");
    let kept = conversation(&owner, "kept", NOW - 1_000_000);
    store.put_session(&expired).await.unwrap();
    store.put_session(&live).await.unwrap();
    store.put_login_attempt(&stale_attempt).await.unwrap();
    store.put_login_attempt(&fresh_attempt).await.unwrap();
    store.create_conversation(&kept).await.unwrap();

    assert!(store.purge_expired(NOW).await.unwrap() >= 2);
    assert_eq!(store.get_session(&live.id, NOW).await.unwrap(), Some(live));
    assert_eq!(
        store
            .take_login_attempt(&fresh_attempt.id, NOW)
            .await
            .unwrap(),
        Some(fresh_attempt)
    );
    assert_eq!(
        store
            .take_login_attempt(&stale_attempt.id, NOW - 10)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store.get_session(&expired.id, NOW - 10).await.unwrap(),
        None
    );
    assert_eq!(
        store.get_conversation(&owner, &kept.id).await.unwrap(),
        Some(kept)
    );
}
