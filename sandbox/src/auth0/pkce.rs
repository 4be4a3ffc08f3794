//! Proof Key for Code Exchange with the S256 method (RFC 7636).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::shared::secrets::constant_time_eq;

/// A challenge is a base64url SHA-256 digest: exactly 43 characters.
pub fn is_valid_challenge(challenge: &str) -> bool {
    challenge.len() == 43 && challenge.bytes().all(is_base64url)
}

/// True when `verifier` is well-formed (§4.1) and hashes to `challenge`.
pub fn verify(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len()) && verifier.bytes().all(is_unreserved);
    well_formed && constant_time_eq(s256(verifier).as_bytes(), challenge.as_bytes())
}

fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn is_unreserved(b: u8) -> bool {
    is_base64url(b) || b == b'.' || b == b'~'
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example of RFC 7636 appendix B.
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn verifies_the_rfc_example() {
        assert!(is_valid_challenge(CHALLENGE));
        assert!(verify(VERIFIER, CHALLENGE));
    }

    #[test]
    fn refuses_wrong_or_malformed_verifiers() {
        assert!(!verify(&VERIFIER.replace('d', "e"), CHALLENGE));
        assert!(!verify("short", CHALLENGE));
        assert!(!is_valid_challenge("plain-challenge"));
    }
}
