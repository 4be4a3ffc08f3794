//! Unguessable identifiers and their one-way store keys.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A random URL-safe string carrying `bytes` bytes of entropy (256 bits for 32).
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// The key a secret is stored under: its SHA-256 in hex. Storing only the
/// digest means a leaked store cannot be replayed as cookies.
pub fn store_key(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_distinct() {
        let a = random_token(32);
        let b = random_token(32);
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }

    #[test]
    fn store_key_is_stable_and_not_the_secret() {
        assert_eq!(store_key("abc"), store_key("abc"));
        assert_ne!(store_key("abc"), "abc");
        assert_eq!(store_key("abc").len(), 64);
    }
}
