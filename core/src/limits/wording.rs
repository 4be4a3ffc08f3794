//! How a refusal reads: Custodian's marker, what was not done, and when
//! to try again, in whole seconds or minutes.

use super::{LIMIT_MARKER, Refusal};

pub(super) fn refusal(what: &str, retry_after: i64) -> Refusal {
    let retry_after = retry_after.max(1);
    Refusal {
        retry_after,
        message: format!("{LIMIT_MARKER} {what} Try again {}.", in_time(retry_after)),
    }
}

/// `in 1 second`, `in 45 seconds`, `in 2 minutes` (rounded up).
pub(super) fn in_time(seconds: i64) -> String {
    match seconds {
        ..=1 => "in 1 second".to_owned(),
        2..=90 => format!("in {seconds} seconds"),
        _ => format!("in {} minutes", (seconds + 59) / 60),
    }
}

/// `1 sign-in`, `5 sign-ins`.
pub(super) fn count(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_a_person_would_say_them() {
        assert_eq!(in_time(0), "in 1 second");
        assert_eq!(in_time(1), "in 1 second");
        assert_eq!(in_time(42), "in 42 seconds");
        assert_eq!(in_time(90), "in 90 seconds");
        assert_eq!(in_time(91), "in 2 minutes");
        assert_eq!(in_time(300), "in 5 minutes");
    }

    #[test]
    fn a_refusal_starts_with_the_marker_and_ends_with_when() {
        let refused = refusal("Nothing was sent.", 0);
        assert_eq!(refused.retry_after, 1);
        assert_eq!(
            refused.message,
            "Limit reached: Nothing was sent. Try again in 1 second."
        );
        assert_eq!(count(1, "message", "messages"), "1 message");
        assert_eq!(count(20, "message", "messages"), "20 messages");
    }
}
