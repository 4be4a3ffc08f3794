//! Where armed faults wait for the responses that will carry them.

use std::sync::{Mutex, PoisonError};

/// A fault for exactly the next matching response.
pub struct OneShot<T>(Mutex<Option<T>>);

impl<T> Default for OneShot<T> {
    fn default() -> Self {
        Self(Mutex::new(None))
    }
}

impl<T> OneShot<T> {
    pub fn arm(&self, value: T) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
    }

    pub fn take(&self) -> Option<T> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// A fault for the next `times` matching responses.
pub struct Counted<T>(Mutex<Option<(T, u32)>>);

impl<T> Default for Counted<T> {
    fn default() -> Self {
        Self(Mutex::new(None))
    }
}

impl<T: Copy> Counted<T> {
    /// Replaces whatever was armed before.
    pub fn arm(&self, value: T, times: u32) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) =
            (times > 0).then_some((value, times));
    }

    /// The fault for this response, if one is armed; counts it down.
    pub fn take(&self) -> Option<T> {
        self.take_if(|_| true)
    }

    /// Like `take`, for a fault that only some responses carry: one that
    /// `applies` says no to stays armed.
    pub fn take_if(&self, applies: impl FnOnce(&T) -> bool) -> Option<T> {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let (value, remaining) = slot.as_mut()?;
        if !applies(value) {
            return None;
        }
        let value = *value;
        *remaining -= 1;
        if *remaining == 0 {
            *slot = None;
        }
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_faults_fire_exactly_times() {
        let slot = Counted::default();
        slot.arm('x', 2);
        assert_eq!(slot.take(), Some('x'));
        assert_eq!(slot.take(), Some('x'));
        assert_eq!(slot.take(), None);
        slot.arm('y', 0);
        assert_eq!(slot.take(), None);
    }

    #[test]
    fn a_fault_for_other_responses_stays_armed() {
        let slot = Counted::default();
        slot.arm('x', 1);
        assert_eq!(slot.take_if(|_| false), None);
        assert_eq!(slot.take_if(|_| true), Some('x'));
        assert_eq!(slot.take(), None);
    }

    #[test]
    fn one_shots_fire_once() {
        let slot = OneShot::default();
        slot.arm(1);
        assert_eq!(slot.take(), Some(1));
        assert_eq!(slot.take(), None);
    }
}
