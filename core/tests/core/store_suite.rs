//! Behaviour every `Store` backend must have. Each check is a plain async
//! function over a store handle so the embedded and DynamoDB test files can
//! both run it; ids are unique per call so a shared table is fine.

use std::sync::Arc;

use custodian_core::fga::Permission;
use custodian_core::store::{
    Conversation, ConversationList, ConversationPage, ConversationSummary, Elevation,
    LimitDecision, LoginAttempt, Message, Role, SearchQuery, SecondApproval, SessionRecord,
    SessionUser, SlotClaim, SlotDecision, StepUpRecord, StepUpState, Store, StoreError, TurnRecord,
    WindowHit, search_conversations,
};

mod audit;

pub use audit::*;

pub const NOW: i64 = 1_700_000_000;

/// One `#[tokio::test]` per case of the suite, so both backends run the
/// same list. `$open` is evaluated in each test and gives `(guard, store)`:
/// the guard (say, a temporary folder) lives as long as the test.
macro_rules! conformance_tests {
    ($open:expr) => {
        $crate::store_suite::conformance_tests!(@cases $open;
            session_round_trip_replace_and_delete,
            session_touch_never_recreates_a_deleted_session,
            sessions_list_their_owners_live_sessions_last_seen_first,
            session_expires_at_idle_limit,
            session_expires_at_absolute_limit,
            login_attempt_is_taken_once,
            expired_login_attempt_is_none,
            conversations_belong_to_their_owner,
            conversations_list_newest_first,
            conversation_pages_cover_every_conversation_once_in_order,
            another_owners_cursor_lists_only_the_askers_conversations,
            append_keeps_order_and_bumps_updated_at,
            renaming_changes_the_title_and_keeps_the_place,
            deleting_removes_the_conversation_its_messages_and_step_ups,
            search_finds_titles_and_text_newest_first_a_page_at_a_time,
            purge_removes_only_expired_records,
            step_up_round_trip,
            step_ups_belong_to_their_owner,
            step_ups_list_one_conversation_oldest_first,
            step_up_update_needs_the_current_version,
            step_up_reset_claim_is_won_once,
            step_ups_outlive_their_expiry,
            elevation_requests_keep_what_was_asked_and_granted,
            dual_control_keeps_the_second_approval,
            window_counts_to_its_limit_then_refuses_until_it_ends,
            windows_of_different_keys_are_separate,
            a_limit_of_zero_allows_nothing,
            slots_are_held_until_released_or_expired,
            purge_removes_ended_windows_and_expired_slots,
            turn_is_open_until_closed,
            turn_closes_at_its_deadline,
            turn_ids_are_never_reused,
            audit_entries_list_newest_first_a_page_at_a_time,
            audit_filters_keep_only_matching_entries,
            expired_audit_entries_are_not_listed,
            audit_ids_are_never_reused,
        );
    };
    (@cases $open:expr; $($case:ident),* $(,)?) => {$(
        #[tokio::test]
        async fn $case() {
            let (_guard, store) = $open;
            $crate::store_suite::$case(&store).await;
        }
    )*};
}
pub(crate) use conformance_tests;

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
        device: "Firefox on Linux".into(),
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

/// Every conversation of `owner`, in one page big enough for the tests.
pub async fn listed(store: &dyn Store, owner: &str) -> Vec<ConversationSummary> {
    let list = store
        .list_conversations(owner, &ConversationPage::first(1000))
        .await
        .unwrap();
    assert_eq!(list.next, None);
    list.conversations
}

/// Every page of `owner`'s listing, `limit` at a time.
pub async fn pages(store: &dyn Store, owner: &str, limit: u32) -> Vec<Vec<ConversationSummary>> {
    let mut page = ConversationPage::first(limit);
    let mut pages = Vec::new();
    loop {
        let list = store.list_conversations(owner, &page).await.unwrap();
        pages.push(list.conversations);
        match list.next {
            Some(next) => page.after = Some(next),
            None => return pages,
        }
    }
}

pub fn message(role: Role, text: &str, at: i64) -> Message {
    Message {
        role,
        text: text.into(),
        at,
    }
}

/// A pending step-up, as the request leaves it.
pub fn step_up(owner: &str, conversation_id: &str, created_at: i64) -> StepUpRecord {
    let id = unique("stepup");
    StepUpRecord {
        owner: owner.into(),
        session_id: unique("session"),
        conversation_id: conversation_id.into(),
        actor_email: "admin@example.com".into(),
        target: "bob@example.com".into(),
        binding_code: "K7F-2QX".into(),
        sealed_auth_req_id: format!("gAAAA-sealed-request-{id}"),
        state: StepUpState::Pending,
        created_at,
        expires_at: created_at + 300,
        interval: 5,
        next_poll_at_ms: (created_at + 5) * 1000,
        problem: None,
        outcome: None,
        sealed_reset_link: None,
        version: 0,
        failed_polls: 0,
        approved_at_ms: None,
        reset_started_at_ms: None,
        elevation: None,
        second: None,
        id,
    }
}

/// An open chat turn, as the BFF records it.
pub fn turn(expires_at: i64) -> TurnRecord {
    TurnRecord {
        id: unique("turn"),
        session_id: unique("session"),
        owner: unique("auth0|user"),
        conversation_id: unique("conversation"),
        expires_at,
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

pub async fn session_touch_never_recreates_a_deleted_session(store: &dyn Store) {
    let mut record = session(NOW + 1800, NOW + 43_200);
    store.put_session(&record).await.unwrap();
    record.last_seen_at = NOW + 90;
    record.idle_expires_at = NOW + 1890;
    assert!(store.touch_session(&record).await.unwrap());
    assert_eq!(
        store.get_session(&record.id, NOW + 1850).await.unwrap(),
        Some(record.clone()),
        "the touch moved the idle expiry"
    );

    store.delete_session(&record.id).await.unwrap();
    record.last_seen_at = NOW + 200;
    assert!(!store.touch_session(&record).await.unwrap());
    assert_eq!(
        store.get_session(&record.id, NOW + 200).await.unwrap(),
        None
    );
}

pub async fn sessions_list_their_owners_live_sessions_last_seen_first(store: &dyn Store) {
    let owner = session(NOW + 1800, NOW + 43_200).user;
    let of_owner = |last_seen_at: i64, idle_expires_at: i64| {
        let mut record = session(idle_expires_at, NOW + 43_200);
        record.user = owner.clone();
        record.last_seen_at = last_seen_at;
        record
    };
    let (laptop, phone, tablet) = (
        of_owner(NOW - 300, NOW + 1800),
        of_owner(NOW - 10, NOW + 1800),
        of_owner(NOW - 600, NOW + 1800),
    );
    let (idle, signed_out) = (of_owner(NOW - 1800, NOW), of_owner(NOW - 5, NOW + 1800));
    let someone_else = session(NOW + 1800, NOW + 43_200);
    for record in [&laptop, &phone, &tablet, &idle, &signed_out, &someone_else] {
        store.put_session(record).await.unwrap();
    }
    store.delete_session(&signed_out.id).await.unwrap();
    let listed = |sessions: Vec<SessionRecord>| -> Vec<String> {
        sessions.into_iter().map(|session| session.id).collect()
    };

    let sessions = store.list_sessions(&owner.sub, NOW).await.unwrap();
    assert_eq!(sessions.first(), Some(&phone), "whole records come back");
    assert_eq!(
        listed(sessions),
        [&*phone.id, &laptop.id, &tablet.id],
        "the idle-expired, the deleted and another user's sessions are left out"
    );

    // Seeing the tablet again moves it to the top.
    let mut touched = tablet.clone();
    touched.last_seen_at = NOW;
    assert!(store.touch_session(&touched).await.unwrap());
    assert_eq!(
        listed(store.list_sessions(&owner.sub, NOW).await.unwrap()),
        [&*tablet.id, &phone.id, &laptop.id]
    );
    assert!(
        store
            .list_sessions(&unique("auth0|nobody"), NOW)
            .await
            .unwrap()
            .is_empty()
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
    assert!(listed(store, &bob).await.is_empty());

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

pub async fn renaming_changes_the_title_and_keeps_the_place(store: &dyn Store) {
    let (alice, bob) = (unique("alice"), unique("bob"));
    let older = conversation(&alice, "older", NOW);
    let newer = conversation(&alice, "newer", NOW + 10);
    for c in [&older, &newer] {
        store.create_conversation(c).await.unwrap();
    }
    assert!(
        store
            .rename_conversation(&alice, &older.id, "Okta audit")
            .await
            .unwrap()
    );
    let titles =
        |list: Vec<ConversationSummary>| list.into_iter().map(|c| c.title).collect::<Vec<_>>();
    assert_eq!(titles(listed(store, &alice).await), ["newer", "Okta audit"]);
    let stored = store
        .get_conversation(&alice, &older.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.title, "Okta audit");
    assert_eq!(stored.messages, older.messages);

    // After a new message moved it to the top, it can be renamed again.
    store
        .append_message(&alice, &older.id, &message(Role::User, "more", NOW + 20))
        .await
        .unwrap();
    assert!(
        store
            .rename_conversation(&alice, &older.id, "Okta audit, part 2")
            .await
            .unwrap()
    );
    assert_eq!(
        titles(listed(store, &alice).await),
        ["Okta audit, part 2", "newer"]
    );

    // Nobody renames what is not theirs, or what does not exist.
    assert!(
        !store
            .rename_conversation(&bob, &newer.id, "mine")
            .await
            .unwrap()
    );
    assert!(
        !store
            .rename_conversation(&alice, &unique("missing"), "x")
            .await
            .unwrap()
    );
    assert_eq!(
        titles(listed(store, &alice).await),
        ["Okta audit, part 2", "newer"]
    );
    assert!(listed(store, &bob).await.is_empty());
}

pub async fn deleting_removes_the_conversation_its_messages_and_step_ups(store: &dyn Store) {
    let (alice, bob) = (unique("alice"), unique("bob"));
    let doomed = conversation(&alice, "doomed", NOW);
    let kept = conversation(&alice, "kept", NOW + 5);
    for c in [&doomed, &kept] {
        store.create_conversation(c).await.unwrap();
    }
    store
        .append_message(
            &alice,
            &doomed.id,
            &message(Role::Assistant, "reply", NOW + 10),
        )
        .await
        .unwrap();
    let doomed_card = step_up(&alice, &doomed.id, NOW + 10);
    let kept_card = step_up(&alice, &kept.id, NOW + 6);
    for card in [&doomed_card, &kept_card] {
        store.create_step_up(card).await.unwrap();
    }

    assert!(!store.delete_conversation(&bob, &doomed.id).await.unwrap());
    assert!(
        store
            .get_conversation(&alice, &doomed.id)
            .await
            .unwrap()
            .is_some()
    );

    assert!(store.delete_conversation(&alice, &doomed.id).await.unwrap());
    assert_eq!(
        store.get_conversation(&alice, &doomed.id).await.unwrap(),
        None
    );
    let left: Vec<_> = listed(store, &alice)
        .await
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(left, [kept.id.as_str()]);
    assert!(
        store
            .list_step_ups(&alice, &doomed.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.get_step_up(&alice, &doomed_card.id).await.unwrap(),
        None
    );
    let err = store
        .append_message(&alice, &doomed.id, &message(Role::User, "late", NOW + 20))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert!(!store.delete_conversation(&alice, &doomed.id).await.unwrap());

    // The other conversation and its card are untouched.
    assert_eq!(
        store.get_conversation(&alice, &kept.id).await.unwrap(),
        Some(kept.clone())
    );
    assert_eq!(
        store.get_step_up(&alice, &kept_card.id).await.unwrap(),
        Some(kept_card)
    );
}

pub async fn search_finds_titles_and_text_newest_first_a_page_at_a_time(store: &dyn Store) {
    let (alice, bob) = (unique("alice"), unique("bob"));
    let with = |title: &str, text: &str, at: i64| {
        let mut c = conversation(&alice, title, at);
        c.messages.push(message(Role::Assistant, text, at));
        c
    };
    let groups = with("Groups for bob", "What about Okta?", NOW);
    let reset = with("Reset carol", "Her password", NOW + 10);
    let audit = with("Audit", "OKTA logs, please", NOW + 20);
    let admins = with("okta admins", "Who are they?", NOW + 30);
    for c in [&groups, &reset, &audit, &admins] {
        store.create_conversation(c).await.unwrap();
    }
    // Newer conversations that do not match, more than one read's worth.
    for n in 0..12 {
        store
            .create_conversation(&with(&format!("chat {n}"), "hello", NOW + 40 + n))
            .await
            .unwrap();
    }
    store
        .create_conversation(&conversation(&bob, "okta for bob", NOW + 100))
        .await
        .unwrap();

    let okta = SearchQuery::new("Okta").unwrap();
    let ids = |list: &ConversationList| {
        list.conversations
            .iter()
            .map(|c| c.id.clone())
            .collect::<Vec<_>>()
    };
    let first = search_conversations(store, &alice, &okta, &ConversationPage::first(2))
        .await
        .unwrap();
    assert_eq!(ids(&first), [admins.id.as_str(), audit.id.as_str()]);
    let page = ConversationPage {
        limit: 2,
        after: first.next.clone(),
    };
    let second = search_conversations(store, &alice, &okta, &page)
        .await
        .unwrap();
    assert_eq!(ids(&second), [groups.id.as_str()]);
    assert_eq!(second.next, None);

    let carol = SearchQuery::new("CAROL").unwrap();
    let found = search_conversations(store, &alice, &carol, &ConversationPage::first(30))
        .await
        .unwrap();
    assert_eq!(ids(&found), [reset.id.as_str()]);
    let nothing = SearchQuery::new("nothing like this").unwrap();
    let found = search_conversations(store, &alice, &nothing, &ConversationPage::first(30))
        .await
        .unwrap();
    assert!(found.conversations.is_empty() && found.next.is_none());

    // A deleted conversation is found no more.
    store.delete_conversation(&alice, &audit.id).await.unwrap();
    let found = search_conversations(store, &alice, &okta, &ConversationPage::first(30))
        .await
        .unwrap();
    assert_eq!(ids(&found), [admins.id.as_str(), groups.id.as_str()]);
}

pub async fn conversations_list_newest_first(store: &dyn Store) {
    let owner = unique("owner");
    let oldest = conversation(&owner, "oldest", NOW);
    let middle = conversation(&owner, "middle", NOW + 10);
    let newest = conversation(&owner, "newest", NOW + 20);
    for c in [&middle, &oldest, &newest] {
        store.create_conversation(c).await.unwrap();
    }
    let titles =
        |list: Vec<ConversationSummary>| list.into_iter().map(|c| c.title).collect::<Vec<_>>();
    assert_eq!(
        titles(listed(store, &owner).await),
        ["newest", "middle", "oldest"]
    );

    // A new message moves a conversation to the top.
    store
        .append_message(&owner, &oldest.id, &message(Role::User, "again", NOW + 30))
        .await
        .unwrap();
    let listed = listed(store, &owner).await;
    assert_eq!(titles(listed.clone()), ["oldest", "newest", "middle"]);
    assert_eq!(listed[0].id, oldest.id);
    assert_eq!(listed[0].updated_at, NOW + 30);
}

pub async fn conversation_pages_cover_every_conversation_once_in_order(store: &dyn Store) {
    let owner = unique("owner");
    // Ties on time, so the order's tie-breakers are paged through too.
    for (n, at) in [0, 10, 10, 10, 20, 30, 30].into_iter().enumerate() {
        let c = conversation(&owner, &format!("chat {n}"), NOW + at);
        store.create_conversation(&c).await.unwrap();
    }
    let moved = listed(store, &owner).await[6].id.clone();
    store
        .append_message(&owner, &moved, &message(Role::User, "again", NOW + 25))
        .await
        .unwrap();
    let whole = listed(store, &owner).await;
    assert_eq!(whole.len(), 7);
    assert_eq!(whole[2].id, moved);
    let mut expected = whole.clone();
    expected.sort_by(|a, b| {
        (b.updated_at, b.created_at, &b.id).cmp(&(a.updated_at, a.created_at, &a.id))
    });
    assert_eq!(whole, expected);

    let paged = pages(store, &owner, 3).await;
    assert_eq!(paged.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 1]);
    assert_eq!(paged.concat(), whole);
    assert_eq!(pages(store, &owner, 7).await, [whole]);
}

pub async fn another_owners_cursor_lists_only_the_askers_conversations(store: &dyn Store) {
    let (alice, bob) = (unique("alice"), unique("bob"));
    for at in [0, 10, 20] {
        store
            .create_conversation(&conversation(&alice, "alice's", NOW + at))
            .await
            .unwrap();
        store
            .create_conversation(&conversation(&bob, "bob's", NOW + at + 5))
            .await
            .unwrap();
    }
    let alices = store
        .list_conversations(&alice, &ConversationPage::first(1))
        .await
        .unwrap();
    let cursor = alices.next.expect("alice has more than one page");
    let page = ConversationPage {
        limit: 10,
        after: Some(cursor),
    };
    let seen_by_bob = store.list_conversations(&bob, &page).await.unwrap();
    // Bob's own, older than the cursor's place (NOW + 20): NOW + 15 and + 5.
    let titles: Vec<_> = seen_by_bob
        .conversations
        .iter()
        .map(|c| (c.title.as_str(), c.updated_at))
        .collect();
    assert_eq!(titles, [("bob's", NOW + 15), ("bob's", NOW + 5)]);
    assert_eq!(seen_by_bob.next, None);
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
    let (stale_turn, open_turn) = (turn(NOW), turn(NOW + 1));
    let owner = unique("owner");
    let kept = conversation(&owner, "kept", NOW - 1_000_000);
    store.open_turn(&stale_turn).await.unwrap();
    store.open_turn(&open_turn).await.unwrap();
    store.put_session(&expired).await.unwrap();
    store.put_session(&live).await.unwrap();
    store.put_login_attempt(&stale_attempt).await.unwrap();
    store.put_login_attempt(&fresh_attempt).await.unwrap();
    store.create_conversation(&kept).await.unwrap();

    assert!(store.purge_expired(NOW).await.unwrap() >= 3);
    assert_eq!(
        store.get_open_turn(&open_turn.id, NOW).await.unwrap(),
        Some(open_turn)
    );
    assert_eq!(
        store.get_open_turn(&stale_turn.id, NOW - 10).await.unwrap(),
        None,
        "purged, not merely expired"
    );
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

pub async fn step_up_round_trip(store: &dyn Store) {
    let owner = unique("owner");
    let conversation_id = unique("conversation");
    let record = step_up(&owner, &conversation_id, NOW);
    store.create_step_up(&record).await.unwrap();

    let stored = store.get_step_up(&owner, &record.id).await.unwrap();
    assert_eq!(stored, Some(record.clone()));
    let debug = format!("{:?}", stored.unwrap());
    assert!(!debug.contains(&record.sealed_auth_req_id), "{debug}");
    assert!(debug.contains(&record.id), "{debug}");
    assert_eq!(
        store.list_step_ups(&owner, &conversation_id).await.unwrap(),
        std::slice::from_ref(&record)
    );
    assert_eq!(
        store.get_step_up(&owner, &unique("missing")).await.unwrap(),
        None
    );
    assert!(
        store
            .list_step_ups(&owner, &unique("conversation"))
            .await
            .unwrap()
            .is_empty()
    );

    // An id is never reused, by its owner or anyone else.
    let mut again = step_up(&owner, &conversation_id, NOW + 1);
    again.id = record.id.clone();
    let err = store.create_step_up(&again).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert!(!err.to_string().contains("gAAAA"), "{err}");
    let mut theirs = step_up(&unique("mallory"), &unique("conversation"), NOW);
    theirs.id = record.id.clone();
    let err = store.create_step_up(&theirs).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(
        store.get_step_up(&owner, &record.id).await.unwrap(),
        Some(record.clone())
    );
    assert_eq!(
        store.list_step_ups(&owner, &conversation_id).await.unwrap(),
        [record]
    );
}

/// A request for time-limited access is stored with whom it asks and,
/// once approved, until when the access lasts.
pub async fn elevation_requests_keep_what_was_asked_and_granted(store: &dyn Store) {
    let owner = unique("helpdesk");
    let conversation_id = unique("conversation");
    let mut record = step_up(&owner, &conversation_id, NOW);
    record.target = "okta:password".into();
    record.elevation = Some(Elevation {
        permission: Permission::ResetPassword,
        seconds: 3600,
        approver_email: "admin@example.com".into(),
        approver_sub: "oidc|Okta-OIDC|00uadmin0001".into(),
        valid_until: None,
        dropped: false,
    });
    store.create_step_up(&record).await.unwrap();
    assert_eq!(
        store.get_step_up(&owner, &record.id).await.unwrap(),
        Some(record.clone())
    );

    let mut granted = record.clone();
    granted.state = StepUpState::Completed;
    if let Some(elevation) = granted.elevation.as_mut() {
        elevation.valid_until = Some(NOW + 3600);
    }
    assert!(store.update_step_up(&granted, 0).await.unwrap());
    let stored = store
        .get_step_up(&owner, &record.id)
        .await
        .unwrap()
        .unwrap();
    let elevation = stored.elevation.expect("still an elevation");
    assert_eq!(elevation.valid_until, Some(NOW + 3600));
    assert!(elevation.active_at(NOW + 3599));
    assert!(!elevation.active_at(NOW + 3600));
    assert_eq!(
        store.list_step_ups(&owner, &conversation_id).await.unwrap()[0].elevation,
        Some(elevation)
    );
}

/// A reset of a privileged account keeps its second administrator's
/// request beside the requester's, through every update.
pub async fn dual_control_keeps_the_second_approval(store: &dyn Store) {
    let owner = unique("admin");
    let conversation_id = unique("conversation");
    let mut record = step_up(&owner, &conversation_id, NOW);
    record.target = "ops.admin@example.com".into();
    record.second = Some(SecondApproval {
        approver_email: "second.admin@example.com".into(),
        approver_sub: "oidc|Okta-OIDC|00usecond005".into(),
        binding_code: "Q4P-8ZD".into(),
        sealed_auth_req_id: "gAAAA-sealed-second".into(),
        state: StepUpState::Pending,
        interval: 5,
        next_poll_at_ms: (NOW + 5) * 1000,
    });
    store.create_step_up(&record).await.unwrap();
    let stored = store.get_step_up(&owner, &record.id).await.unwrap();
    assert_eq!(stored, Some(record.clone()));
    assert!(!format!("{:?}", stored.unwrap()).contains("gAAAA"));

    let mut halfway = record.clone();
    halfway.approved_at_ms = Some(NOW * 1000 + 500);
    halfway.sealed_auth_req_id = String::new();
    if let Some(second) = halfway.second.as_mut() {
        second.state = StepUpState::Approved;
        second.sealed_auth_req_id = String::new();
    }
    assert!(store.update_step_up(&halfway, 0).await.unwrap());
    assert!(
        !store.update_step_up(&halfway, 0).await.unwrap(),
        "a stale version changes nothing"
    );
    let stored = store
        .get_step_up(&owner, &record.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.state, StepUpState::Pending);
    assert_eq!(stored.second.unwrap().state, StepUpState::Approved);
}

pub async fn step_ups_belong_to_their_owner(store: &dyn Store) {
    let (alice, bob) = (unique("alice"), unique("bob"));
    let conversation_id = unique("conversation");
    let record = step_up(&alice, &conversation_id, NOW);
    store.create_step_up(&record).await.unwrap();

    assert_eq!(store.get_step_up(&bob, &record.id).await.unwrap(), None);
    assert!(
        store
            .list_step_ups(&bob, &conversation_id)
            .await
            .unwrap()
            .is_empty()
    );

    // Bob knows the id but cannot move it on.
    let mut cancelled = record.clone();
    cancelled.owner = bob.clone();
    cancelled.state = StepUpState::Cancelled;
    assert!(!store.update_step_up(&cancelled, 0).await.unwrap());
    assert_eq!(
        store.get_step_up(&alice, &record.id).await.unwrap(),
        Some(record.clone())
    );
    assert_eq!(store.get_step_up(&bob, &record.id).await.unwrap(), None);

    // A step-up of Bob's in a conversation with the same id stays his.
    let his = step_up(&bob, &conversation_id, NOW + 1);
    store.create_step_up(&his).await.unwrap();
    assert_eq!(
        store.list_step_ups(&alice, &conversation_id).await.unwrap(),
        [record]
    );
    assert_eq!(
        store.list_step_ups(&bob, &conversation_id).await.unwrap(),
        [his]
    );
}

pub async fn step_ups_list_one_conversation_oldest_first(store: &dyn Store) {
    let owner = unique("owner");
    let chat = conversation(&owner, "Reset bob's password", NOW);
    store.create_conversation(&chat).await.unwrap();
    let other = unique("conversation");
    // A conversation id that extends the first one's.
    let longer = format!("{}#more", chat.id);

    let first = step_up(&owner, &chat.id, NOW + 10);
    let second = step_up(&owner, &chat.id, NOW + 200);
    let third = step_up(&owner, &chat.id, NOW + 3000);
    let elsewhere = step_up(&owner, &other, NOW + 100);
    let extended = step_up(&owner, &longer, NOW + 100);
    for record in [&third, &elsewhere, &first, &extended, &second] {
        store.create_step_up(record).await.unwrap();
    }
    let ids = |list: Vec<StepUpRecord>| list.into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.list_step_ups(&owner, &chat.id).await.unwrap()),
        [first.id.as_str(), second.id.as_str(), third.id.as_str()]
    );
    assert_eq!(
        ids(store.list_step_ups(&owner, &other).await.unwrap()),
        [elsewhere.id.as_str()]
    );
    assert_eq!(
        ids(store.list_step_ups(&owner, &longer).await.unwrap()),
        [extended.id.as_str()]
    );

    // The list shows updates, and step-ups leave the conversation alone.
    let mut approved = second.clone();
    approved.state = StepUpState::Approved;
    assert!(store.update_step_up(&approved, 0).await.unwrap());
    approved.version = 1;
    assert_eq!(
        store.list_step_ups(&owner, &chat.id).await.unwrap(),
        [first, approved, third]
    );
    let listed = listed(store, &owner).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, chat.id);
    assert_eq!(
        store.get_conversation(&owner, &chat.id).await.unwrap(),
        Some(chat)
    );
}

pub async fn step_up_update_needs_the_current_version(store: &dyn Store) {
    let owner = unique("owner");
    let record = step_up(&owner, &unique("conversation"), NOW);
    store.create_step_up(&record).await.unwrap();

    // Claiming a poll slot: the caller's `version` is ignored.
    let mut claimed = record.clone();
    claimed.next_poll_at_ms = (NOW + 10) * 1000;
    claimed.problem = Some("Auth0 unreachable, retrying".into());
    claimed.version = 41;
    assert!(store.update_step_up(&claimed, 0).await.unwrap());
    claimed.version = 1;
    assert_eq!(
        store.get_step_up(&owner, &record.id).await.unwrap(),
        Some(claimed.clone())
    );

    // A poller that read version 0 lost the race and changes nothing.
    let mut stale = record.clone();
    stale.state = StepUpState::Denied;
    assert!(!store.update_step_up(&stale, 0).await.unwrap());
    assert!(!store.update_step_up(&stale, 2).await.unwrap());
    assert_eq!(
        store.get_step_up(&owner, &record.id).await.unwrap(),
        Some(claimed.clone())
    );

    // The fixed fields cannot change.
    let mut moved = claimed.clone();
    moved.conversation_id = unique("conversation");
    assert!(!store.update_step_up(&moved, 1).await.unwrap());
    let mut backdated = claimed.clone();
    backdated.created_at = NOW - 1000;
    assert!(!store.update_step_up(&backdated, 1).await.unwrap());
    let mut missing = claimed.clone();
    missing.id = unique("missing");
    assert!(!store.update_step_up(&missing, 1).await.unwrap());
    assert_eq!(store.get_step_up(&owner, &missing.id).await.unwrap(), None);

    // Approved, then completed with a one-time link, then the link taken.
    let mut approved = claimed.clone();
    approved.state = StepUpState::Approved;
    approved.problem = None;
    assert!(store.update_step_up(&approved, 1).await.unwrap());
    let mut completed = approved.clone();
    completed.state = StepUpState::Completed;
    completed.sealed_auth_req_id = String::new();
    completed.outcome = Some("Password reset for bob@example.com — ✓".into());
    completed.sealed_reset_link = Some("gAAAA-sealed-link".into());
    assert!(store.update_step_up(&completed, 2).await.unwrap());
    completed.version = 3;
    let stored = store
        .get_step_up(&owner, &record.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored, completed);
    assert!(stored.state.is_final());
    assert!(!format!("{stored:?}").contains("gAAAA"), "{stored:?}");

    let mut taken = stored.clone();
    taken.sealed_reset_link = None;
    assert!(store.update_step_up(&taken, 3).await.unwrap());
    assert!(!store.update_step_up(&taken, 3).await.unwrap());
    let stored = store
        .get_step_up(&owner, &record.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.version, 4);
    assert_eq!(stored.sealed_reset_link, None);
}

/// Claiming an approved step-up's password reset: of two claims from the
/// same version exactly one is stored, with the approval time and the
/// count of failed polls as written, and the outcome follows on the claim.
pub async fn step_up_reset_claim_is_won_once(store: &dyn Store) {
    let owner = unique("owner");
    let mut record = step_up(&owner, &unique("conversation"), NOW);
    record.failed_polls = 3;
    store.create_step_up(&record).await.unwrap();
    assert_eq!(
        store.get_step_up(&owner, &record.id).await.unwrap(),
        Some(record.clone())
    );

    let mut approved = record.clone();
    approved.state = StepUpState::Approved;
    approved.sealed_auth_req_id = String::new();
    approved.failed_polls = 0;
    approved.approved_at_ms = Some(NOW * 1000 + 500);
    assert!(store.update_step_up(&approved, 0).await.unwrap());
    let claim = |at: i64| StepUpRecord {
        reset_started_at_ms: Some(at),
        ..approved.clone()
    };
    let (first, second) = (claim(NOW * 1000 + 600), claim(NOW * 1000 + 700));
    let (a, b) = tokio::join!(
        store.update_step_up(&first, 1),
        store.update_step_up(&second, 1)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a ^ b, "exactly one claim wins: {a} {b}");
    let mut claimed = if a { first } else { second };
    claimed.version = 2;
    assert_eq!(
        store.get_step_up(&owner, &record.id).await.unwrap(),
        Some(claimed.clone())
    );

    let mut done = claimed.clone();
    done.state = StepUpState::Failed;
    done.outcome = Some("The outcome is unknown".into());
    assert!(!store.update_step_up(&done, 1).await.unwrap());
    assert!(store.update_step_up(&done, 2).await.unwrap());
    done.version = 3;
    assert_eq!(
        store.get_step_up(&owner, &record.id).await.unwrap(),
        Some(done)
    );
}

/// A step-up as a build from before the reset intent stored it: the JSON
/// without `failed_polls`, `approved_at_ms` and `reset_started_at_ms`.
pub fn json_from_before_the_reset_intent(record: &StepUpRecord) -> String {
    let mut json = serde_json::to_value(record).unwrap();
    let fields = json.as_object_mut().unwrap();
    for field in ["failed_polls", "approved_at_ms", "reset_started_at_ms"] {
        assert!(fields.remove(field).is_some(), "{field}");
    }
    json.to_string()
}

/// After a backend wrote `record` as [`json_from_before_the_reset_intent`]
/// has it: it reads with no claim, and can still be claimed.
pub async fn step_up_from_before_the_reset_intent_reads(store: &dyn Store, record: &StepUpRecord) {
    let stored = store
        .get_step_up(&record.owner, &record.id)
        .await
        .unwrap()
        .expect("the old record");
    assert_eq!(stored.failed_polls, 0);
    assert_eq!(stored.approved_at_ms, None);
    assert_eq!(stored.reset_started_at_ms, None);
    let claimed = StepUpRecord {
        reset_started_at_ms: Some(NOW * 1000),
        ..stored.clone()
    };
    assert!(
        store
            .update_step_up(&claimed, stored.version)
            .await
            .unwrap()
    );
    let reread = store
        .get_step_up(&record.owner, &record.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reread.reset_started_at_ms, Some(NOW * 1000));
}

/// Step-ups are kept as long as their conversation: no expiry on read or
/// in housekeeping, however far past the CIBA request's expiry.
pub async fn step_ups_outlive_their_expiry(store: &dyn Store) {
    let owner = unique("owner");
    let mut record = step_up(&owner, &unique("conversation"), NOW - 1_000_000);
    record.state = StepUpState::Expired;
    record.sealed_auth_req_id = String::new();
    store.create_step_up(&record).await.unwrap();
    store.purge_expired(NOW + 100_000_000).await.unwrap();
    assert_eq!(
        store.get_step_up(&owner, &record.id).await.unwrap(),
        Some(record.clone())
    );
    assert_eq!(
        store
            .list_step_ups(&owner, &record.conversation_id)
            .await
            .unwrap(),
        [record]
    );
}

/// Many pollers (tabs, requests, processes) moving one step-up on from the
/// version they all read: exactly one wins, and its write is what is stored.
pub async fn concurrent_step_up_updates_have_one_winner(
    first: Arc<dyn Store>,
    second: Arc<dyn Store>,
) {
    const POLLERS: i64 = 8;
    for round in 0..5 {
        let owner = unique("owner");
        let record = step_up(&owner, &unique("conversation"), NOW);
        first.create_step_up(&record).await.unwrap();
        let pollers: Vec<_> = (0..POLLERS)
            .map(|poller| {
                let store = Arc::clone(if poller % 2 == 0 { &first } else { &second });
                let mut mine = record.clone();
                mine.state = StepUpState::Approved;
                mine.next_poll_at_ms = NOW + 100 + poller;
                tokio::spawn(async move { (poller, store.update_step_up(&mine, 0).await.unwrap()) })
            })
            .collect();
        let mut winners = Vec::new();
        for poller in pollers {
            let (poller, won) = poller.await.unwrap();
            if won {
                winners.push(poller);
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: winners {winners:?}");

        let stored = second
            .get_step_up(&owner, &record.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.version, 1);
        assert_eq!(stored.state, StepUpState::Approved);
        assert_eq!(stored.next_poll_at_ms, NOW + 100 + winners[0]);

        // The same again from the winner's version, with join! this time.
        let (a, b, c) = tokio::join!(
            first.update_step_up(&stored, 1),
            second.update_step_up(&stored, 1),
            first.update_step_up(&stored, 1),
        );
        let won = [a.unwrap(), b.unwrap(), c.unwrap()];
        assert_eq!(won.iter().filter(|&&w| w).count(), 1, "{won:?}");
        assert_eq!(
            first
                .get_step_up(&owner, &record.id)
                .await
                .unwrap()
                .unwrap()
                .version,
            2
        );
    }
}

/// A limit key as `custodian_core::limits` builds them: a kind and a digest.
pub fn limit_key(kind: &str) -> String {
    format!(
        "{kind}#{}",
        custodian_core::ids::store_key(&unique("subject"))
    )
}

/// A hit on a one-minute window.
pub fn hit(key: &str, limit: u32, now: i64) -> WindowHit {
    WindowHit {
        key: key.to_owned(),
        limit,
        now,
        window_seconds: 60,
    }
}

pub fn claim(key: &str, slots: u32, holder: &str, now: i64, expires_at: i64) -> SlotClaim {
    SlotClaim {
        key: key.to_owned(),
        slots,
        holder: holder.to_owned(),
        now,
        expires_at,
    }
}

pub async fn window_counts_to_its_limit_then_refuses_until_it_ends(store: &dyn Store) {
    let key = limit_key("turns");
    for count in 1..=3 {
        assert_eq!(
            store.hit_limit(&hit(&key, 3, NOW + 1)).await.unwrap(),
            LimitDecision::Allowed { count }
        );
    }
    // The window opened at the first hit and ends 60 s later.
    for at in [NOW + 1, NOW + 30, NOW + 60] {
        assert_eq!(
            store.hit_limit(&hit(&key, 3, at)).await.unwrap(),
            LimitDecision::Refused { retry_at: NOW + 61 },
            "at {at}"
        );
    }
    // Refused hits were not counted, and a new window opens with the next hit.
    assert_eq!(
        store.hit_limit(&hit(&key, 3, NOW + 61)).await.unwrap(),
        LimitDecision::Allowed { count: 1 }
    );
    assert_eq!(
        store.hit_limit(&hit(&key, 1, NOW + 62)).await.unwrap(),
        LimitDecision::Refused {
            retry_at: NOW + 121
        }
    );
}

pub async fn windows_of_different_keys_are_separate(store: &dyn Store) {
    let (mine, theirs) = (limit_key("sign-in"), limit_key("sign-in"));
    assert_eq!(
        store.hit_limit(&hit(&mine, 1, NOW)).await.unwrap(),
        LimitDecision::Allowed { count: 1 }
    );
    assert!(matches!(
        store.hit_limit(&hit(&mine, 1, NOW)).await.unwrap(),
        LimitDecision::Refused { .. }
    ));
    assert_eq!(
        store.hit_limit(&hit(&theirs, 1, NOW)).await.unwrap(),
        LimitDecision::Allowed { count: 1 }
    );
}

pub async fn a_limit_of_zero_allows_nothing(store: &dyn Store) {
    let key = limit_key("pushes");
    assert_eq!(
        store.hit_limit(&hit(&key, 0, NOW)).await.unwrap(),
        LimitDecision::Refused { retry_at: NOW + 60 }
    );
    assert_eq!(
        store
            .claim_slot(&claim(&key, 0, "a", NOW, NOW + 300))
            .await
            .unwrap(),
        SlotDecision::Full { frees_at: NOW }
    );
}

pub async fn slots_are_held_until_released_or_expired(store: &dyn Store) {
    let key = limit_key("pending");
    for (holder, expires_at) in [("a", NOW + 300), ("b", NOW + 100), ("c", NOW + 200)] {
        assert_eq!(
            store
                .claim_slot(&claim(&key, 3, holder, NOW, expires_at))
                .await
                .unwrap(),
            SlotDecision::Claimed,
            "{holder}"
        );
    }
    assert_eq!(
        store
            .claim_slot(&claim(&key, 3, "d", NOW, NOW + 300))
            .await
            .unwrap(),
        SlotDecision::Full {
            frees_at: NOW + 100
        }
    );
    // Only the holder gives a slot back.
    store.release_slot(&key, 3, "nobody").await.unwrap();
    assert!(matches!(
        store
            .claim_slot(&claim(&key, 3, "d", NOW, NOW + 300))
            .await
            .unwrap(),
        SlotDecision::Full { .. }
    ));
    store.release_slot(&key, 3, "c").await.unwrap();
    assert_eq!(
        store
            .claim_slot(&claim(&key, 3, "d", NOW, NOW + 300))
            .await
            .unwrap(),
        SlotDecision::Claimed
    );
    // Releasing twice is harmless.
    store.release_slot(&key, 3, "c").await.unwrap();
    assert!(matches!(
        store
            .claim_slot(&claim(&key, 3, "e", NOW, NOW + 300))
            .await
            .unwrap(),
        SlotDecision::Full { .. }
    ));
    // Once b's expiry has passed its slot is free, whether or not given back.
    assert_eq!(
        store
            .claim_slot(&claim(&key, 3, "e", NOW + 100, NOW + 400))
            .await
            .unwrap(),
        SlotDecision::Claimed
    );
    // Another key's slots are its own.
    assert_eq!(
        store
            .claim_slot(&claim(&limit_key("pending"), 3, "a", NOW, NOW + 300))
            .await
            .unwrap(),
        SlotDecision::Claimed
    );
}

pub async fn purge_removes_ended_windows_and_expired_slots(store: &dyn Store) {
    let (ended, open) = (limit_key("turns"), limit_key("turns"));
    store.hit_limit(&hit(&ended, 1, NOW - 60)).await.unwrap();
    store.hit_limit(&hit(&open, 1, NOW - 59)).await.unwrap();
    let (expired, held) = (limit_key("pending"), limit_key("pending"));
    store
        .claim_slot(&claim(&expired, 1, "a", NOW - 300, NOW))
        .await
        .unwrap();
    store
        .claim_slot(&claim(&held, 1, "a", NOW - 300, NOW + 1))
        .await
        .unwrap();

    assert!(store.purge_expired(NOW).await.unwrap() >= 2);
    // Seen from before their end: the purged ones are gone, the others kept.
    assert_eq!(
        store.hit_limit(&hit(&ended, 1, NOW - 30)).await.unwrap(),
        LimitDecision::Allowed { count: 1 }
    );
    assert_eq!(
        store.hit_limit(&hit(&open, 1, NOW - 30)).await.unwrap(),
        LimitDecision::Refused { retry_at: NOW + 1 }
    );
    assert_eq!(
        store
            .claim_slot(&claim(&expired, 1, "b", NOW - 10, NOW + 60))
            .await
            .unwrap(),
        SlotDecision::Claimed
    );
    assert_eq!(
        store
            .claim_slot(&claim(&held, 1, "b", NOW - 10, NOW + 60))
            .await
            .unwrap(),
        SlotDecision::Full { frees_at: NOW + 1 }
    );
}

/// Many requests (tabs, BFF instances, Lambdas) hitting one window at
/// once: exactly `limit` are counted, each with its own count.
pub async fn concurrent_hits_allow_exactly_the_limit(
    first: Arc<dyn Store>,
    second: Arc<dyn Store>,
) {
    const LIMIT: u32 = 5;
    const HITS: usize = 12;
    for round in 0..3 {
        let key = limit_key("pushes");
        let hits: Vec<_> = (0..HITS)
            .map(|n| {
                let store = Arc::clone(if n % 2 == 0 { &first } else { &second });
                let key = key.clone();
                tokio::spawn(async move { store.hit_limit(&hit(&key, LIMIT, NOW)).await.unwrap() })
            })
            .collect();
        let mut counts = Vec::new();
        for hit in hits {
            match hit.await.unwrap() {
                LimitDecision::Allowed { count } => counts.push(count),
                LimitDecision::Refused { retry_at } => assert_eq!(retry_at, NOW + 60),
            }
        }
        counts.sort_unstable();
        assert_eq!(counts, (1..=LIMIT).collect::<Vec<_>>(), "round {round}");
    }
}

/// Concurrent claims on a few slots: no more win than there are slots.
pub async fn concurrent_claims_win_at_most_the_slots(
    first: Arc<dyn Store>,
    second: Arc<dyn Store>,
) {
    const SLOTS: u32 = 3;
    const CLAIMS: usize = 8;
    for round in 0..3 {
        let key = limit_key("pending");
        let claims: Vec<_> = (0..CLAIMS)
            .map(|n| {
                let store = Arc::clone(if n % 2 == 0 { &first } else { &second });
                let key = key.clone();
                tokio::spawn(async move {
                    let holder = format!("holder-{n}");
                    store
                        .claim_slot(&claim(&key, SLOTS, &holder, NOW, NOW + 300))
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut claimed = 0;
        for claim in claims {
            if claim.await.unwrap() == SlotDecision::Claimed {
                claimed += 1;
            }
        }
        assert_eq!(claimed, SLOTS, "round {round}");
    }
}

/// A turn reads back until it is closed, then never again; closing twice,
/// or an unknown turn, is no error.
pub async fn turn_is_open_until_closed(store: &dyn Store) {
    let record = turn(NOW + 120);
    let other = turn(NOW + 120);
    store.open_turn(&record).await.unwrap();
    store.open_turn(&other).await.unwrap();
    assert_eq!(
        store.get_open_turn(&record.id, NOW).await.unwrap(),
        Some(record.clone())
    );
    store.close_turn(&record.id).await.unwrap();
    assert_eq!(store.get_open_turn(&record.id, NOW).await.unwrap(), None);
    store.close_turn(&record.id).await.unwrap();
    store.close_turn(&unique("turn")).await.unwrap();
    assert_eq!(
        store.get_open_turn(&other.id, NOW).await.unwrap(),
        Some(other),
        "closing one turn leaves the others open"
    );
    assert_eq!(
        store.get_open_turn(&unique("turn"), NOW).await.unwrap(),
        None
    );
}

/// Expiry is enforced on read, whatever the housekeeping has done.
pub async fn turn_closes_at_its_deadline(store: &dyn Store) {
    let record = turn(NOW + 120);
    store.open_turn(&record).await.unwrap();
    assert!(
        store
            .get_open_turn(&record.id, NOW + 119)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        store.get_open_turn(&record.id, NOW + 120).await.unwrap(),
        None
    );
}

/// A turn id is opened once: a second opening cannot revive or replace it.
pub async fn turn_ids_are_never_reused(store: &dyn Store) {
    let record = turn(NOW + 120);
    store.open_turn(&record).await.unwrap();
    let mut again = turn(NOW + 600);
    again.id = record.id.clone();
    assert!(matches!(
        store.open_turn(&again).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.get_open_turn(&record.id, NOW).await.unwrap(),
        Some(record)
    );
}
