//! The per-turn capability on its own, over a real embedded store and
//! sessions: what only core can show (an old Fernet timestamp, values of
//! another shape sealed with the same key, a turn naming someone else).
//! The action-group handlers' tests send the rest through the Lambdas.

use std::sync::Arc;

use custodian_core::actions::ActorError;
use custodian_core::audit::AuditLog;
use custodian_core::auth0::VerifiedLogin;
use custodian_core::sealing::Sealer;
use custodian_core::session::{SessionLifetimes, SessionTokens, Sessions};
use custodian_core::settings::AuditSettings;
use custodian_core::store::{
    AuditFilter, AuditQuery, EmbeddedStore, SessionRecord, SessionUser, Store, TurnRecord,
};
use custodian_core::time::now_unix;
use custodian_core::turn_capability::{
    Admission, OpenTurn, Refusal, TurnCapability, TurnClaims, Turns,
};
use secrecy::{ExposeSecret, SecretString};
use tempfile::TempDir;

use crate::store_suite::unique;

const LIFETIME: u32 = 120;

struct Fixture {
    turns: Turns,
    sessions: Sessions,
    store: Arc<dyn Store>,
    key: SecretString,
    _dir: TempDir,
}

fn fixture() -> Fixture {
    test_support::logs::capture();
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(&dir.path().join("custodian.sqlite3")).unwrap();
    let key = Sealer::generate_key();
    let sealer = Arc::new(Sealer::from_keys(&key, &[]).unwrap());
    let lifetimes = SessionLifetimes {
        idle_seconds: 1800,
        absolute_seconds: 43_200,
    };
    let store: Arc<dyn Store> = Arc::new(store);
    let sessions = Sessions::new(store.clone(), sealer, lifetimes);
    let audit = AuditLog::new(store.clone(), &AuditSettings::default());
    Fixture {
        turns: Turns::new(sessions.clone(), LIFETIME, audit),
        sessions,
        store,
        key,
        _dir: dir,
    }
}

impl Fixture {
    async fn signed_in(&self) -> SessionRecord {
        let secret = |name: &str| SecretString::from(format!("{name}-{}", unique("token")));
        let user = SessionUser {
            sub: unique("auth0|user"),
            email: "admin@example.com".into(),
            name: "Ada Admin".into(),
        };
        let tokens = SessionTokens {
            access_token: secret("access"),
            refresh_token: Some(secret("refresh")),
            id_token: secret("id"),
        };
        let login = VerifiedLogin {
            user,
            issuer: "https://tenant.example/".to_owned(),
            scopes: vec![],
            tokens,
            access_token_expires_at: now_unix() + 3600,
        };
        let created = self.sessions.create(login, "Firefox on Linux".into());
        created.await.unwrap().record
    }

    /// A turn of `session` in a conversation of its own.
    async fn open_turn(&self, session: &SessionRecord) -> (OpenTurn, String) {
        let conversation = unique("conversation");
        let turn = self.turns.open(session, &conversation).await.unwrap();
        (turn, conversation)
    }

    /// Admits a call in `conversation`; the action name is unique so the
    /// audit line can be found.
    async fn admit(&self, sealed: &str, conversation: &str) -> (Result<String, Admission>, String) {
        let action = unique("action");
        let admitted = self
            .turns
            .admit(Some(sealed), Some(conversation), &action)
            .await
            .map(|admitted| admitted.actor.session.id);
        (admitted, action)
    }

    /// The call is refused for `expected`, and the audit says so.
    async fn assert_refused(&self, sealed: &str, conversation: &str, expected: Refusal) {
        let (result, action) = self.admit(sealed, conversation).await;
        match result {
            Err(Admission::Refused(refusal)) => assert_eq!(refusal, expected),
            other => panic!("expected a refusal, got {:?}", other.map(|_| "admitted")),
        }
        assert!(
            self.audited(&action, expected.as_str()).await,
            "{action} not audited"
        );
    }

    /// The audit line for `action` says `outcome`, and so does the one
    /// entry the audit log stored for it.
    async fn audited(&self, action: &str, outcome: &str) -> bool {
        let logged = test_support::logs::captured().lines().any(|line| {
            line.contains(action) && line.contains(&format!("\"outcome\":\"{outcome}\""))
        });
        let query = AuditQuery {
            filter: AuditFilter {
                action: Some("action.refused".into()),
                target: Some(action.into()),
                ..AuditFilter::default()
            },
            limit: 10,
            before: None,
            now: now_unix(),
        };
        let stored = self.store.list_audit(&query).await.unwrap().entries;
        logged && stored.len() == 1 && stored[0].outcome == outcome
    }
}

#[tokio::test]
async fn a_turn_admits_its_session_until_it_is_closed() {
    let fixture = fixture();
    let session = fixture.signed_in().await;
    let (turn, conversation) = fixture.open_turn(&session).await;
    let sealed = turn.capability().expose().to_owned();

    let claims = fixture.turns.claims(&sealed).unwrap();
    assert_eq!(claims.session_id, session.id);
    assert_eq!(claims.conversation_id, conversation);
    let lifetime = claims.expires_at - now_unix();
    assert!(
        (LIFETIME as i64 - 2..=LIFETIME as i64).contains(&lifetime),
        "{lifetime}"
    );
    assert!(!sealed.contains(&session.id), "the session id is sealed");
    assert_eq!(format!("{:?}", turn.capability()), "TurnCapability(..)");

    // As often as the agent needs within the turn.
    for _ in 0..3 {
        let (admitted, _) = fixture.admit(&sealed, &conversation).await;
        assert_eq!(admitted.unwrap(), session.id);
    }
    fixture.turns.close(turn).await.unwrap();
    fixture
        .assert_refused(&sealed, &conversation, Refusal::Replayed)
        .await;
}

#[tokio::test]
async fn a_capability_sealed_long_ago_is_expired_whatever_it_claims() {
    let fixture = fixture();
    let session = fixture.signed_in().await;
    let (turn, conversation) = fixture.open_turn(&session).await;
    let mut claims = fixture.turns.claims(turn.capability().expose()).unwrap();
    claims.expires_at = now_unix() + 3600;
    let fernet = fernet::Fernet::new(fixture.key.expose_secret()).unwrap();
    let old = fernet.encrypt_at_time(
        &serde_json::to_vec(&claims).unwrap(),
        (now_unix() - 600) as u64,
    );
    fixture
        .assert_refused(&old, &conversation, Refusal::Expired)
        .await;
}

#[tokio::test]
async fn other_values_sealed_with_the_key_are_not_capabilities() {
    let fixture = fixture();
    let sealer = fixture.sessions.sealer();
    let conversation = unique("conversation");
    for other in [
        sealer.seal(b"an auth_req_id"),
        sealer.seal_json(&serde_json::json!({
            "access_token": "a", "refresh_token": null, "id_token": "i",
        })),
        sealer.seal_json(&serde_json::json!({
            "session_id": "s", "conversation_id": conversation, "turn_id": "t",
            "expires_at": now_unix() + 60, "role": "admin",
        })),
    ] {
        fixture
            .assert_refused(&other, &conversation, Refusal::Forged)
            .await;
    }
}

/// Even sealed with the right key, claims must agree with the open turn
/// they name: another session, or a turn opened for another user.
#[tokio::test]
async fn claims_must_match_the_turn_they_name() {
    let fixture = fixture();
    let (mine, theirs) = (fixture.signed_in().await, fixture.signed_in().await);
    let (turn, conversation) = fixture.open_turn(&theirs).await;
    let claims = fixture.turns.claims(turn.capability().expose()).unwrap();
    let sealer = fixture.sessions.sealer();

    let borrowed = TurnClaims {
        session_id: mine.id.clone(),
        ..claims.clone()
    };
    let borrowed = TurnCapability::seal(sealer, &borrowed);
    fixture
        .assert_refused(borrowed.expose(), &conversation, Refusal::Forged)
        .await;

    let foreign_turn = TurnRecord {
        id: unique("turn"),
        session_id: mine.id.clone(),
        owner: theirs.user.sub.clone(),
        conversation_id: conversation.clone(),
        expires_at: now_unix() + 60,
    };
    fixture
        .sessions
        .store()
        .open_turn(&foreign_turn)
        .await
        .unwrap();
    let claims = TurnClaims {
        session_id: mine.id.clone(),
        conversation_id: conversation.clone(),
        turn_id: foreign_turn.id,
        expires_at: foreign_turn.expires_at,
    };
    let foreign = TurnCapability::seal(sealer, &claims);
    fixture
        .assert_refused(foreign.expose(), &conversation, Refusal::Forged)
        .await;
}

#[tokio::test]
async fn a_session_that_ended_mid_turn_acts_no_more() {
    let fixture = fixture();
    let session = fixture.signed_in().await;
    let (turn, conversation) = fixture.open_turn(&session).await;
    fixture
        .sessions
        .store()
        .delete_session(&session.id)
        .await
        .unwrap();
    let (result, action) = fixture
        .admit(turn.capability().expose(), &conversation)
        .await;
    assert!(matches!(result, Err(Admission::Actor(ActorError::Ended))));
    assert!(fixture.audited(&action, "session-ended").await);
    assert!(
        !test_support::logs::captured().contains(turn.capability().expose()),
        "the capability is never logged"
    );
}
