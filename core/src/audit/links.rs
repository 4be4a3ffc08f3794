//! Links into the Audit page from what the chat shows: the query string
//! that filters the log down to one card's entries.

use chrono::DateTime;

/// How the Audit page's time filter is written: a `datetime-local` value,
/// to the minute, read as UTC.
pub const FILTER_MINUTE: &str = "%Y-%m-%dT%H:%M";

/// `/audit?…` for what `actor` did to `target` from the minute `since_ms`
/// falls in (the page's time filter is to the minute, in UTC): for an
/// approval card, its request, its answer and the reset that followed.
pub fn trail_query(actor: &str, target: &str, since_ms: i64) -> String {
    let from = DateTime::from_timestamp_millis(since_ms)
        .map(|time| time.format(FILTER_MINUTE).to_string())
        .unwrap_or_default();
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("actor", actor)
        .append_pair("target", target)
        .append_pair("from", &from)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::trail_query;

    #[test]
    fn the_query_names_the_card_and_starts_at_its_minute() {
        assert_eq!(
            trail_query("admin@example.com", "bob+it@example.com", 1_796_132_759_999),
            "actor=admin%40example.com&target=bob%2Bit%40example.com&from=2026-12-01T13%3A45"
        );
    }
}
