//! What every service uses: random tokens, constant-time comparison of
//! secrets, and a map whose entries expire.

pub mod secrets;
pub mod ttl_map;
