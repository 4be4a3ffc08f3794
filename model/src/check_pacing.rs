//! How often an approval card may ask the server for news.

/// Never sooner than this between two checks of one card, whatever the
/// server suggests: the server never polls Auth0 faster than the request's
/// interval (a second at least), so sooner checks could only bring load.
pub const MIN_CHECK_MS: u64 = 1000;
