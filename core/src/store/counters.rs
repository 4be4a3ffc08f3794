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

/// One hit on the window counter `key` at `now`: allowed while the window
/// has seen fewer than `limit` hits. A window lasts `window_seconds` from
/// the hit that opened it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WindowHit {
    pub key: String,
    pub limit: u32,
    pub now: i64,
    pub window_seconds: i64,
}

/// A claim by `holder`, at `now`, on one of the `slots` slots of `key`,
/// held until `expires_at` unless released earlier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotClaim {
    pub key: String,
    pub slots: u32,
    pub holder: String,
    pub now: i64,
    pub expires_at: i64,
}

impl WindowHit {
    /// When a window opened by this hit ends.
    pub fn window_ends(&self) -> i64 {
        self.now + self.window_seconds
    }
}

impl LimitDecision {
    /// A limit of 0 allows nothing, and so never opens a window: the
    /// answer both backends give without asking their storage.
    pub(super) fn for_zero_limit(hit: &WindowHit) -> Option<Self> {
        (hit.limit == 0).then_some(Self::Refused {
            retry_at: hit.window_ends(),
        })
    }
}
