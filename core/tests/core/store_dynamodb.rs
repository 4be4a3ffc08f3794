//! The DynamoDB store against moto: the shared conformance suite, plus what
//! only DynamoDB has (a corrupt item, throttling).

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use aws_sdk_dynamodb::types::AttributeValue;
use custodian_core::store::dynamodb::{
    CONVERSATIONS_PARTITION_KEY, CONVERSATIONS_SORT_KEY, MAX_ATTEMPTS, SESSIONS_PARTITION_KEY,
    TTL_ATTRIBUTE,
};
use custodian_core::store::{DynamoStore, Store, StoreError};
use test_support::moto;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use url::Url;

use crate::store_suite::{self, NOW, claim, hit, session};
use crate::tables;

fn moto_url() -> Url {
    Url::parse(&moto::moto().endpoint).unwrap()
}

/// A store with its own client: each test has its own runtime, and an SDK
/// client must not outlive the runtime its connections were made on.
async fn store() -> DynamoStore {
    let sdk_config = moto::moto().sdk_config().await;
    tables::ensure(&sdk_config).await;
    DynamoStore::new(&sdk_config, tables::names(), Some(&moto_url()))
}

// No guard: the tables live in the binary's moto.
store_suite::conformance_tests!(((), store().await));

/// Two BFF instances or Lambdas (two clients) polling the same step-up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_step_up_updates_through_two_clients() {
    store_suite::concurrent_step_up_updates_have_one_winner(
        Arc::new(store().await),
        Arc::new(store().await),
    )
    .await;
}

/// Two BFF instances or Lambdas (two clients) counting against one limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_hits_through_two_clients() {
    let (first, second): (Arc<dyn Store>, Arc<dyn Store>) =
        (Arc::new(store().await), Arc::new(store().await));
    store_suite::concurrent_hits_allow_exactly_the_limit(Arc::clone(&first), Arc::clone(&second))
        .await;
    store_suite::concurrent_claims_win_at_most_the_slots(first, second).await;
}

/// Two BFF instances (two clients) racing for one login attempt.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_takes_through_two_clients() {
    store_suite::concurrent_takes_yield_one_attempt(
        Arc::new(store().await),
        Arc::new(store().await),
    )
    .await;
}

/// The BFF and a Lambda appending to one conversation at once: the
/// optimistic retries keep every message, in each writer's order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_appends_keep_every_message() {
    use custodian_core::store::Role;
    use store_suite::{conversation, message, unique};

    let owner = unique("owner");
    let shared = conversation(&owner, "shared", NOW);
    let (bff, lambda) = (store().await, store().await);
    bff.create_conversation(&shared).await.unwrap();

    const PER_WRITER: i64 = 10;
    let writer = |store: DynamoStore, role: Role, offset: i64| {
        let (owner, id) = (owner.clone(), shared.id.clone());
        tokio::spawn(async move {
            for i in 0..PER_WRITER {
                let at = NOW + offset + i * 2;
                store
                    .append_message(&owner, &id, &message(role.clone(), &format!("{i}"), at))
                    .await
                    .unwrap();
            }
        })
    };
    let a = writer(bff.clone(), Role::User, 1);
    let b = writer(lambda.clone(), Role::Notice, 2);
    a.await.unwrap();
    b.await.unwrap();

    let stored = bff
        .get_conversation(&owner, &shared.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.messages.len() as i64, 1 + 2 * PER_WRITER);
    assert_eq!(stored.updated_at, NOW + 2 + (PER_WRITER - 1) * 2);
    for role in [Role::User, Role::Notice] {
        let texts: Vec<i64> = stored
            .messages
            .iter()
            .skip(1)
            .filter(|m| m.role == role)
            .map(|m| m.text.parse().unwrap())
            .collect();
        assert_eq!(texts, (0..PER_WRITER).collect::<Vec<_>>());
    }
    let listed = store_suite::listed(&lambda, &owner).await;
    assert_eq!(listed[0].updated_at, stored.updated_at);
}

/// A conversation longer than one transaction holds is still created whole.
#[tokio::test]
async fn long_conversations_are_created_whole() {
    use custodian_core::store::Role;
    use store_suite::{conversation, message, unique};

    let store = store().await;
    let owner = unique("owner");
    let mut long = conversation(&owner, "imported", NOW);
    long.messages = (0..130)
        .map(|i| message(Role::User, &format!("{i}"), NOW + i))
        .collect();
    long.updated_at = NOW + 129;
    store.create_conversation(&long).await.unwrap();
    assert_eq!(
        store.get_conversation(&owner, &long.id).await.unwrap(),
        Some(long)
    );
}

/// A damaged item is reported without its contents and spoils nothing else.
#[tokio::test]
async fn corrupt_session_item_is_reported_not_shown() {
    let store = store().await;
    let sdk_config = moto::moto().sdk_config().await;
    let good = session(NOW + 600, NOW + 3600);
    store.put_session(&good).await.unwrap();

    let bad = session(NOW + 600, NOW + 3600);
    tables::raw_client(&sdk_config)
        .put_item()
        .table_name(tables::names().sessions)
        .item(
            SESSIONS_PARTITION_KEY,
            AttributeValue::S(format!("session#{}", bad.id)),
        )
        .item("record", AttributeValue::S("{\"hunter2\": true".into()))
        .item(TTL_ATTRIBUTE, AttributeValue::N((NOW + 600).to_string()))
        .send()
        .await
        .unwrap();

    let err = store.get_session(&bad.id, NOW).await.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert_eq!(store.get_session(&good.id, NOW).await.unwrap(), Some(good));
}

/// The layout infra/README.md ("Data model") documents: the record in the
/// sessions table without a TTL, its listing entry under the owner.
#[tokio::test]
async fn step_up_items_are_laid_out_as_documented() {
    use store_suite::{step_up, unique};

    let store = store().await;
    let client = tables::raw_client(&moto::moto().sdk_config().await);
    let owner = unique("owner");
    let record = step_up(&owner, &unique("conversation"), NOW);
    store.create_step_up(&record).await.unwrap();

    let item = client
        .get_item()
        .table_name(tables::names().sessions)
        .key(
            SESSIONS_PARTITION_KEY,
            AttributeValue::S(format!("stepup#{}", record.id)),
        )
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert!(!item.contains_key(TTL_ATTRIBUTE));
    assert_eq!(item["owner"], AttributeValue::S(owner.clone()));
    assert_eq!(item["version"], AttributeValue::N("0".into()));

    let entry = client
        .get_item()
        .table_name(tables::names().conversations)
        .key(
            CONVERSATIONS_PARTITION_KEY,
            AttributeValue::S(format!("owner#{owner}")),
        )
        .key(
            CONVERSATIONS_SORT_KEY,
            AttributeValue::S(format!(
                "stepup#{}#{NOW:010}#{}",
                record.conversation_id, record.id
            )),
        )
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert_eq!(entry["id"], AttributeValue::S(record.id.clone()));

    assert!(store.update_step_up(&record, 0).await.unwrap());
    let item = client
        .get_item()
        .table_name(tables::names().sessions)
        .key(
            SESSIONS_PARTITION_KEY,
            AttributeValue::S(format!("stepup#{}", record.id)),
        )
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert!(!item.contains_key(TTL_ATTRIBUTE));
    assert_eq!(item["version"], AttributeValue::N("1".into()));
}

/// The layout infra/README.md ("Data model") documents for limits: a
/// window's count with its end as the TTL, a slot's holder with its expiry.
#[tokio::test]
async fn limit_items_are_laid_out_as_documented() {
    let store = store().await;
    let client = tables::raw_client(&moto::moto().sdk_config().await);
    let key = store_suite::limit_key("turns");
    store.hit_limit(&hit(&key, 5, NOW)).await.unwrap();
    store.hit_limit(&hit(&key, 5, NOW + 1)).await.unwrap();
    store
        .claim_slot(&claim(&key, 3, "stepup-1", NOW, NOW + 300))
        .await
        .unwrap();

    let item = |pk: String| {
        let client = client.clone();
        async move {
            client
                .get_item()
                .table_name(tables::names().sessions)
                .key(SESSIONS_PARTITION_KEY, AttributeValue::S(pk))
                .send()
                .await
                .unwrap()
                .item
                .unwrap()
        }
    };
    let window = item(format!("limit#{key}")).await;
    assert_eq!(window["count"], AttributeValue::N("2".into()));
    assert_eq!(
        window[TTL_ATTRIBUTE],
        AttributeValue::N((NOW + 60).to_string())
    );
    let slot = item(format!("slot#{key}#0")).await;
    assert_eq!(slot["holder"], AttributeValue::S("stepup-1".into()));
    assert_eq!(
        slot[TTL_ATTRIBUTE],
        AttributeValue::N((NOW + 300).to_string())
    );
}

/// A step-up item written by a build from before the reset intent.
#[tokio::test]
async fn step_ups_from_before_the_reset_intent_still_read() {
    use store_suite::{step_up, unique};

    let store = store().await;
    let mut record = step_up(&unique("owner"), &unique("conversation"), NOW);
    record.state = custodian_core::store::StepUpState::Approved;
    store.create_step_up(&record).await.unwrap();
    tables::raw_client(&moto::moto().sdk_config().await)
        .update_item()
        .table_name(tables::names().sessions)
        .key(
            SESSIONS_PARTITION_KEY,
            AttributeValue::S(format!("stepup#{}", record.id)),
        )
        .update_expression("SET #record = :old")
        .expression_attribute_names("#record", "record")
        .expression_attribute_values(
            ":old",
            AttributeValue::S(store_suite::json_from_before_the_reset_intent(&record)),
        )
        .send()
        .await
        .unwrap();
    store_suite::step_up_from_before_the_reset_intent_reads(&store, &record).await;
}

/// The layout infra/README.md ("Data model") documents: an open turn is a
/// `turn#` item of the sessions table whose TTL is its deadline, and
/// closing it deletes the item.
#[tokio::test]
async fn turn_items_are_laid_out_as_documented() {
    let store = store().await;
    let client = tables::raw_client(&moto::moto().sdk_config().await);
    let record = store_suite::turn(NOW + 120);
    store.open_turn(&record).await.unwrap();
    let read = || {
        client
            .get_item()
            .table_name(tables::names().sessions)
            .key(
                SESSIONS_PARTITION_KEY,
                AttributeValue::S(format!("turn#{}", record.id)),
            )
            .send()
    };
    let item = read().await.unwrap().item.unwrap();
    assert_eq!(
        item[TTL_ATTRIBUTE],
        AttributeValue::N((NOW + 120).to_string())
    );
    assert!(matches!(&item["record"], AttributeValue::S(json) if json.contains(&record.owner)));

    store.close_turn(&record.id).await.unwrap();
    assert!(read().await.unwrap().item.is_none());
}

/// A damaged step-up is reported without its contents.
#[tokio::test]
async fn corrupt_step_up_item_is_reported_not_shown() {
    use store_suite::unique;

    let store = store().await;
    let (owner, id) = (unique("owner"), unique("stepup"));
    tables::raw_client(&moto::moto().sdk_config().await)
        .put_item()
        .table_name(tables::names().sessions)
        .item(
            SESSIONS_PARTITION_KEY,
            AttributeValue::S(format!("stepup#{id}")),
        )
        .item("owner", AttributeValue::S(owner.clone()))
        .item("version", AttributeValue::N("0".into()))
        .item("record", AttributeValue::S("{\"gAAAA-secret\": 1".into()))
        .send()
        .await
        .unwrap();
    let err = store.get_step_up(&owner, &id).await.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
    assert!(!err.to_string().contains("gAAAA"), "{err}");
    // Another owner learns nothing, not even that it is damaged.
    assert_eq!(
        store.get_step_up(&unique("owner"), &id).await.unwrap(),
        None
    );
}

/// A stand-in for DynamoDB that always sheds load: the store retries with
/// backoff, then says clearly what happened.
#[tokio::test]
async fn throttling_is_retried_then_reported() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
    let requests = Arc::new(AtomicU32::new(0));
    let counted = Arc::clone(&requests);
    tokio::spawn(async move {
        let body = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\",\
                    \"message\":\"The level of configured provisioned throughput for the table was exceeded.\"}";
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            counted.fetch_add(1, Ordering::SeqCst);
            read_request(&mut socket).await;
            let response = format!(
                "HTTP/1.1 400 Bad Request\r\ncontent-type: application/x-amz-json-1.0\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            socket.write_all(response.as_bytes()).await.unwrap();
        }
    });

    let sdk_config = moto::moto().sdk_config().await;
    let store = DynamoStore::new(&sdk_config, tables::names(), Some(&endpoint));
    let err = store.get_session("some-session", NOW).await.unwrap_err();
    assert!(matches!(err, StoreError::Unavailable(_)), "{err}");
    assert!(
        err.to_string().contains("DynamoDB is throttling requests"),
        "{err}"
    );
    assert_eq!(requests.load(Ordering::SeqCst), MAX_ATTEMPTS);
}

/// Reads one HTTP request (headers, then a body of `content-length` bytes).
async fn read_request(socket: &mut tokio::net::TcpStream) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let read = socket.read(&mut chunk).await.unwrap();
        if read == 0 {
            return;
        }
        buffer.extend_from_slice(&chunk[..read]);
        let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let headers = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
        let length: usize = headers
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .map_or(0, |v| v.trim().parse().unwrap());
        if buffer.len() >= end + 4 + length {
            return;
        }
    }
}
