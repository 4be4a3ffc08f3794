//! Sealing: round trips, fail-closed opening, key rotation and the local
//! key file's life cycle.

use std::path::Path;

use custodian_core::sealing::{Sealer, SealingError};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

fn sealer() -> Sealer {
    Sealer::from_keys(&Sealer::generate_key(), &[]).unwrap()
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Tokens {
    access: String,
    refresh: Option<String>,
}

#[test]
fn bytes_and_json_round_trip() {
    let sealer = sealer();
    let token = sealer.seal(b"refresh-token-value");
    assert!(!token.contains("refresh-token-value"));
    assert_eq!(sealer.unseal(&token).unwrap(), b"refresh-token-value");

    let tokens = Tokens {
        access: "a".into(),
        refresh: Some("r".into()),
    };
    let sealed = sealer.seal_json(&tokens);
    assert_eq!(sealer.unseal_json::<Tokens>(&sealed).unwrap(), tokens);
}

#[test]
fn sealing_twice_gives_different_tokens() {
    let sealer = sealer();
    assert_ne!(sealer.seal(b"same"), sealer.seal(b"same"));
}

#[test]
fn tampered_tokens_fail_closed() {
    let sealer = sealer();
    let token = sealer.seal(b"secret");
    let mut bytes = token.clone().into_bytes();
    let middle = bytes.len() / 2;
    bytes[middle] = if bytes[middle] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(bytes).unwrap();
    assert!(matches!(
        sealer.unseal(&tampered),
        Err(SealingError::Unseal)
    ));
    assert!(matches!(
        sealer.unseal(&token[..token.len() - 4]),
        Err(SealingError::Unseal)
    ));
    // Plaintext is never taken for a sealed value.
    assert!(matches!(sealer.unseal("secret"), Err(SealingError::Unseal)));
    assert!(matches!(sealer.unseal(""), Err(SealingError::Unseal)));
    assert!(matches!(
        sealer.unseal_json::<Tokens>("{\"access\":\"a\",\"refresh\":null}"),
        Err(SealingError::Unseal)
    ));
}

#[test]
fn another_keys_token_fails() {
    let token = sealer().seal(b"secret");
    assert!(matches!(sealer().unseal(&token), Err(SealingError::Unseal)));
}

#[test]
fn wrong_json_shape_says_nothing_about_the_contents() {
    let sealer = sealer();
    let token = sealer.seal(b"{\"unexpected\": \"hunter2\"}");
    let err = sealer.unseal_json::<Tokens>(&token).unwrap_err();
    assert!(matches!(err, SealingError::Shape));
    assert!(!err.to_string().contains("hunter2"));
}

/// The Fernet timestamp says when a value was sealed; `unseal_fresh`
/// refuses an old one as stale (it would open) and a foreign one as unsealable.
#[test]
fn fresh_unsealing_checks_the_fernet_timestamp() {
    let key = Sealer::generate_key();
    let sealer = Sealer::from_keys(&key, &[]).unwrap();
    let now = custodian_core::time::now_unix() as u64;
    let fernet = fernet::Fernet::new(key.expose_secret()).unwrap();
    let old = fernet.encrypt_at_time(b"sealed a while ago", now - 600);

    assert_eq!(sealer.unseal(&old).unwrap(), b"sealed a while ago");
    assert!(matches!(
        sealer.unseal_fresh(&old, 120),
        Err(SealingError::Stale)
    ));
    assert_eq!(
        sealer.unseal_fresh(&old, 900).unwrap(),
        b"sealed a while ago"
    );
    let just_now = sealer.seal(b"sealed just now");
    assert_eq!(
        sealer.unseal_fresh(&just_now, 120).unwrap(),
        b"sealed just now"
    );
    assert!(matches!(
        sealer.unseal_fresh(&other_key_token(), 120),
        Err(SealingError::Unseal)
    ));
    assert!(matches!(
        sealer.unseal_json_fresh::<Tokens>(&just_now, 120),
        Err(SealingError::Shape)
    ));
}

/// A value sealed under a key of its own.
fn other_key_token() -> String {
    sealer().seal(b"another deployment's")
}

#[test]
fn rotation_opens_old_records_and_seals_with_the_new_key() {
    let old_key = Sealer::generate_key();
    let new_key = Sealer::generate_key();
    let old = Sealer::from_keys(&old_key, &[]).unwrap();
    let old_record = old.seal(b"sealed before rotation");

    let rotated = Sealer::from_keys(&new_key, std::slice::from_ref(&old_key)).unwrap();
    assert_eq!(
        rotated.unseal(&old_record).unwrap(),
        b"sealed before rotation"
    );

    let new_record = rotated.seal(b"sealed after rotation");
    let new_only = Sealer::from_keys(&new_key, &[]).unwrap();
    assert_eq!(
        new_only.unseal(&new_record).unwrap(),
        b"sealed after rotation"
    );
    assert!(old.unseal(&new_record).is_err());
}

#[test]
fn invalid_keys_are_named_not_shown() {
    let good = Sealer::generate_key();
    let bad = SecretString::from("not-a-key-hunter2");
    let err = Sealer::from_keys(&bad, &[]).unwrap_err();
    assert!(err.to_string().contains("current"), "{err}");
    assert!(!err.to_string().contains("hunter2"));

    let err = Sealer::from_keys(&good, &[good.clone(), bad]).unwrap_err();
    assert!(err.to_string().contains("previous[1]"), "{err}");
    assert!(!err.to_string().contains("hunter2"));

    // Valid base64, wrong length.
    let short = SecretString::from("c2hvcnQ=");
    assert!(Sealer::from_keys(&short, &[]).is_err());
}

#[test]
fn debug_shows_no_key() {
    let key = Sealer::generate_key();
    let sealer = Sealer::from_keys(&key, &[]).unwrap();
    let debug = format!("{sealer:?}");
    assert!(!debug.contains(key.expose_secret()), "{debug}");
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn key_file_is_created_once_and_reused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/data/sealing.key");
    let first = Sealer::load_or_create_key_file(&path).unwrap();
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    let token = first.seal(b"kept across restarts");

    let second = Sealer::load_or_create_key_file(&path).unwrap();
    assert_eq!(second.unseal(&token).unwrap(), b"kept across restarts");
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec!["sealing.key"]);
}

#[test]
fn concurrent_first_starts_agree_on_one_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sealing.key");
    let sealers: Vec<Sealer> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| Sealer::load_or_create_key_file(&path).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let token = sealers[0].seal(b"shared");
    for sealer in &sealers {
        assert_eq!(sealer.unseal(&token).unwrap(), b"shared");
    }
}

#[cfg(unix)]
fn write_with_mode(path: &Path, contents: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, contents).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn malformed_key_file_is_an_error_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sealing.key");
    write_with_mode(&path, "hunter2-not-a-key\n", 0o600);
    let err = Sealer::load_or_create_key_file(&path).unwrap_err();
    let text = err.to_string();
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "hunter2-not-a-key\n"
    );
}

#[cfg(unix)]
#[test]
fn key_file_readable_by_others_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sealing.key");
    let key = Sealer::generate_key();
    for wide in [0o644, 0o640, 0o604] {
        write_with_mode(&path, key.expose_secret(), wide);
        let err = Sealer::load_or_create_key_file(&path)
            .unwrap_err()
            .to_string();
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains("chmod 600"), "{err}");
        assert!(!err.contains(key.expose_secret()), "{err}");
    }
    write_with_mode(&path, key.expose_secret(), 0o600);
    let sealer = Sealer::load_or_create_key_file(&path).unwrap();
    let expected = Sealer::from_keys(&key, &[]).unwrap();
    assert_eq!(expected.unseal(&sealer.seal(b"x")).unwrap(), b"x");
}
