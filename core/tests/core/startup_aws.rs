//! Start-up in the AWS mode, against moto: the seed-shaped settings open the
//! DynamoDB store and the Secrets Manager key, sessions work end to end, a
//! key rotation logs nobody out (neither after a cold start nor on a warm
//! instance that started before it), and a missing secret stops start-up.

use custodian_core::auth0::VerifiedLogin;
use custodian_core::sealing::Sealer;
use custodian_core::sealing::secrets_manager::new_secret_value;
use custodian_core::session::SessionTokens;
use custodian_core::settings::Settings;
use custodian_core::startup::{Backend, open_sealer};
use custodian_core::store::SessionUser;
use secrecy::{ExposeSecret, SecretString};
use test_support::moto;

use crate::tables;

/// config/environment.example.json (the seed's file), pointed at moto.
fn aws_settings(secret_id: &str) -> Settings {
    let path = test_support::repo_root().join("config/environment.example.json");
    let env = [
        ("CUSTODIAN__SEALING__SECRET_ID", secret_id),
        ("CUSTODIAN__STORE__ENDPOINT", moto::moto().endpoint.as_str()),
    ];
    Settings::load_from(&path, env.map(|(k, v)| (k.to_owned(), v.to_owned()))).unwrap()
}

fn tokens() -> SessionTokens {
    SessionTokens {
        access_token: SecretString::from("access-token-value"),
        refresh_token: Some(SecretString::from("refresh-token-value")),
        id_token: SecretString::from("id-token-value"),
    }
}

/// A verified sign-in of `user()` at `issuer`.
fn login(issuer: &str, scopes: &[&str]) -> VerifiedLogin {
    VerifiedLogin {
        user: user(),
        issuer: issuer.to_owned(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        tokens: tokens(),
        access_token_expires_at: i64::MAX,
    }
}

fn user() -> SessionUser {
    SessionUser {
        sub: "auth0|admin".into(),
        email: "admin@example.com".into(),
        name: "Ada Admin".into(),
    }
}

#[tokio::test]
async fn sessions_survive_a_key_rotation_across_cold_starts() {
    let sdk_config = moto::moto().sdk_config_for_all_services().await;
    tables::ensure(&sdk_config).await;
    let old_key = Sealer::generate_key();
    let value = serde_json::json!({ "key": old_key.expose_secret() }).to_string();
    let (secrets, secret_id) = moto::moto().new_secret(Some(&value)).await;
    let settings = aws_settings(&secret_id);

    let older = Backend::open(&settings, &sdk_config)
        .await
        .unwrap()
        .sessions;
    let issuer = "https://your-domain.auth0.com/";
    let signed_in = older
        .create(login(issuer, &["openid"]), "Firefox on Linux".into())
        .await
        .unwrap();
    let cookie = signed_in.cookie_value.expose_secret();
    let record = older.resolve(cookie).await.unwrap().unwrap();
    assert_eq!(record.user, user());
    assert!(!record.sealed_tokens.contains("refresh-token-value"));

    // The operator rotates; the next cold start reads the new value.
    let new_key = Sealer::generate_key();
    secrets
        .put_secret_value()
        .secret_id(&secret_id)
        .secret_string(
            serde_json::json!({
                "key": new_key.expose_secret(),
                "previousKeys": [old_key.expose_secret()],
            })
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    let Backend {
        sealer, sessions, ..
    } = Backend::open(&settings, &sdk_config).await.unwrap();
    let record = sessions.resolve(cookie).await.unwrap().unwrap();
    let opened = sessions.unseal_tokens(&record).unwrap();
    assert_eq!(
        opened.refresh_token.unwrap().expose_secret(),
        "refresh-token-value"
    );
    let new_only = Sealer::from_keys(&new_key, &[]).unwrap();
    assert_eq!(new_only.unseal(&sealer.seal(b"new")).unwrap(), b"new");

    // A sign-in on the new instance, then a request to a warm instance that
    // started before the rotation: it reads the keys again, nobody is
    // signed out.
    let newer = sessions
        .create(login(issuer, &[]), "Safari on iPhone".into())
        .await
        .unwrap();
    let seen_by_older = older
        .resolve(newer.cookie_value.expose_secret())
        .await
        .unwrap()
        .expect("the older instance keeps the newer session");
    assert_eq!(seen_by_older.id, newer.record.id);
}

/// A session whose tokens no longer open (its key was dropped too early)
/// reads as signed out; other sessions are untouched.
#[tokio::test]
async fn a_session_that_fails_to_unseal_reads_as_signed_out() {
    let sdk_config = moto::moto().sdk_config_for_all_services().await;
    tables::ensure(&sdk_config).await;
    let secret = || async {
        let value = new_secret_value();
        moto::moto().new_secret(Some(value.expose_secret())).await.1
    };
    let (first, second) = (secret().await, secret().await);

    let under_first = Backend::open(&aws_settings(&first), &sdk_config)
        .await
        .unwrap()
        .sessions;
    let under_second = Backend::open(&aws_settings(&second), &sdk_config)
        .await
        .unwrap()
        .sessions;
    let issuer = "https://your-domain.auth0.com/";
    let orphan = under_first
        .create(login(issuer, &[]), String::new())
        .await
        .unwrap();
    let kept = under_second
        .create(login(issuer, &[]), String::new())
        .await
        .unwrap();

    let orphan_cookie = orphan.cookie_value.expose_secret();
    assert_eq!(under_second.resolve(orphan_cookie).await.unwrap(), None);
    let kept_cookie = kept.cookie_value.expose_secret();
    assert!(under_second.resolve(kept_cookie).await.unwrap().is_some());
    // Still there for the key that sealed it: nothing was deleted.
    assert!(under_first.resolve(orphan_cookie).await.unwrap().is_some());
}

#[tokio::test]
async fn a_missing_secret_stops_start_up_naming_it() {
    let sdk_config = moto::moto().sdk_config_for_all_services().await;
    let settings = aws_settings("custodian-no-such-secret");
    let err = open_sealer(&settings, &sdk_config).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("custodian-no-such-secret"), "{text}");
    assert!(text.contains("not found"), "{text}");
}
