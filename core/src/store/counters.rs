//! What the store answers for limits: a counted hit in a window, and a
//! claimed slot among a fixed number. Their keys are built by
//! `crate::limits` from digests, never from a raw address or token.

/// How one hit on a window counter went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitDecision {
    /// Counted: this hit is the `count`th of its window.
    Allowed { count: u32 },
    /// Not counted: the window is full until `retry_at` (Unix seconds).
    Refused { retry_at: i64 },
}

/// How claiming one of a fixed number of slots went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotDecision {
    Claimed,
    /// Every slot is held; the first frees at `frees_at` (Unix seconds) at
    /// the latest, or earlier when its holder gives it back.
    Full {
        frees_at: i64,
    },
}

impl LimitDecision {
    /// A limit of 0 allows nothing, and so never opens a window: the
    /// answer both backends give without asking their storage.
    pub(super) fn for_zero_limit(limit: u32, now: i64, window_seconds: i64) -> Option<Self> {
        (limit == 0).then_some(Self::Refused {
            retry_at: now + window_seconds,
        })
    }
}
