//! The audit log's part of the suite. Every case writes under an actor of
//! its own and filters by it, so entries of other cases in a shared table
//! never show.

use custodian_core::store::{AuditEntry, AuditFilter, AuditPage, AuditQuery, Store, StoreError};

use super::{NOW, unique};

/// Milliseconds of `NOW`.
const NOW_MS: i64 = NOW * 1000;

fn entry(actor: &str, action: &str, at_ms: i64) -> AuditEntry {
    AuditEntry {
        id: unique("audit"),
        at_ms,
        action: action.into(),
        actor: actor.into(),
        target: "bob@example.com".into(),
        outcome: "read".into(),
        expires_at: NOW + 3600,
    }
}

fn by(actor: &str) -> AuditFilter {
    AuditFilter {
        actor: Some(actor.into()),
        ..AuditFilter::default()
    }
}

/// Every page of `filter`, `limit` at a time, as a caller walks them.
async fn pages(store: &dyn Store, filter: AuditFilter, limit: u32) -> Vec<AuditPage> {
    let mut query = AuditQuery {
        filter,
        limit,
        before: None,
        now: NOW,
    };
    let mut pages = Vec::new();
    loop {
        let page = store.list_audit(&query).await.unwrap();
        query.before = page.next.clone();
        pages.push(page);
        if query.before.is_none() {
            return pages;
        }
    }
}

async fn listed(store: &dyn Store, filter: AuditFilter) -> Vec<AuditEntry> {
    pages(store, filter, 100)
        .await
        .into_iter()
        .flat_map(|page| page.entries)
        .collect()
}

async fn append(store: &dyn Store, entries: &[AuditEntry]) {
    for entry in entries {
        store.append_audit(entry).await.unwrap();
    }
}

pub async fn audit_entries_list_newest_first_a_page_at_a_time(store: &dyn Store) {
    let actor = unique("actor");
    let mut entries: Vec<AuditEntry> = (0..5)
        .map(|n| entry(&actor, "okta.groups", NOW_MS + n * 10))
        .collect();
    // Two in the same millisecond: the higher id lists first.
    entries.push(entry(&actor, "okta.groups", NOW_MS + 40));
    append(store, &entries).await;
    entries.sort_by(|a, b| (b.at_ms, &b.id).cmp(&(a.at_ms, &a.id)));

    let pages = pages(store, by(&actor), 2).await;
    assert!(pages.iter().all(|page| page.entries.len() <= 2));
    let walked: Vec<AuditEntry> = pages.into_iter().flat_map(|page| page.entries).collect();
    assert_eq!(walked, entries, "every entry once, newest first");
}

pub async fn audit_filters_keep_only_matching_entries(store: &dyn Store) {
    let actor = unique("actor");
    let groups = entry(&actor, "okta.groups", NOW_MS);
    let mut approved = entry(&actor, "step_up.approved", NOW_MS + 1_000);
    approved.outcome = "approved".into();
    let mut denied = entry(&actor, "step_up.denied", NOW_MS + 2_000);
    denied.outcome = "denied".into();
    denied.target = "carol@example.com".into();
    append(store, &[groups.clone(), approved.clone(), denied.clone()]).await;
    let with = |change: fn(&mut AuditFilter)| {
        let mut filter = by(&actor);
        change(&mut filter);
        filter
    };

    let step_ups = listed(store, with(|f| f.action = Some("step_up".into()))).await;
    assert_eq!(step_ups, [denied.clone(), approved.clone()]);
    let exact = listed(store, with(|f| f.action = Some("step_up.denied".into()))).await;
    assert_eq!(exact, [denied.clone()]);
    let partial = listed(store, with(|f| f.action = Some("step".into()))).await;
    assert_eq!(partial, [], "an action matches whole dotted parts only");
    let carol = listed(store, with(|f| f.target = Some("carol@example.com".into()))).await;
    assert_eq!(carol, [denied.clone()]);
    let outcome = listed(store, with(|f| f.outcome = Some("approved".into()))).await;
    assert_eq!(outcome, [approved.clone()]);
    let window = listed(
        store,
        with(|f| {
            f.from_ms = Some(NOW_MS + 1_000);
            f.until_ms = Some(NOW_MS + 2_000);
        }),
    )
    .await;
    assert_eq!(window, [approved], "the start is in, the end is out");
    assert_eq!(listed(store, by(&unique("nobody"))).await, []);
}

pub async fn expired_audit_entries_are_not_listed(store: &dyn Store) {
    let actor = unique("actor");
    let mut expired = entry(&actor, "okta.groups", NOW_MS - 1_000);
    expired.expires_at = NOW;
    let kept = entry(&actor, "okta.groups", NOW_MS - 2_000);
    append(store, &[expired, kept.clone()]).await;

    assert_eq!(listed(store, by(&actor)).await, [kept]);
}

pub async fn audit_ids_are_never_reused(store: &dyn Store) {
    let actor = unique("actor");
    let first = entry(&actor, "okta.groups", NOW_MS);
    store.append_audit(&first).await.unwrap();
    let mut again = first.clone();
    again.outcome = "changed".into();

    let refused = store.append_audit(&again).await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    assert_eq!(listed(store, by(&actor)).await, [first], "unchanged");
}
