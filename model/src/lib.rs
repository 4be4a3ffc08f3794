//! The types the browser and the server both speak. This crate stays free of
//! anything that does not build for WebAssembly, so the hydrated bundle and
//! the store share one definition instead of a mirror each.

mod check_pacing;
mod denial;
mod step_up_state;

pub use check_pacing::MIN_CHECK_MS;
pub use denial::{DENIAL_MARKER, denied_relation};
pub use step_up_state::StepUpState;
