//! Keeps the newest message in view while the user reads at the end of the
//! conversation. Once they scroll up to read, the view stays where they
//! are, and "Jump to latest" brings them back.

use leptos::html::Section;
use leptos::prelude::*;

/// Closer to the end than this counts as at the end: a reply's last line
/// may sit a little below the edge while it streams.
#[cfg(feature = "hydrate")]
const AT_END_PX: i32 = 48;

#[derive(Clone, Copy)]
pub struct Follow {
    /// The scrolling conversation.
    pub scroller: NodeRef<Section>,
    /// Whether the view follows new content.
    pub at_end: RwSignal<bool>,
    /// Where the view was at the last scroll event, to tell the user
    /// scrolling up from content growing below the view (browser only).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    last_top: StoredValue<i32>,
}

impl Default for Follow {
    fn default() -> Self {
        Self {
            scroller: NodeRef::new(),
            at_end: RwSignal::new(true),
            last_top: StoredValue::new(0),
        }
    }
}

impl Follow {
    /// Scrolls to the end after `changed` changes, if the view follows.
    pub fn track(self, changed: impl Fn() + 'static) {
        Effect::new(move |_| {
            changed();
            // After the change has reached the page, and unless the user
            // scrolled away in the meantime.
            request_animation_frame(move || {
                if self.at_end.get_untracked() {
                    self.scroll_to_end();
                }
            });
        });
    }

    /// The view scrolled. Only scrolling up stops following: a reply that
    /// grew by more than a line between our own scroll to the end and its
    /// event leaves a gap too, and must not count as the user reading back.
    /// Following starts again once the user is back at the end.
    pub fn scrolled(self) {
        #[cfg(feature = "hydrate")]
        if let Some(scroller) = self.scroller.get_untracked() {
            let top = scroller.scroll_top();
            let went_up = top < self.last_top.get_value();
            self.last_top.set_value(top);
            let gap = scroller.scroll_height() - top - scroller.client_height();
            let at_end = if gap <= AT_END_PX {
                true
            } else if went_up {
                false
            } else {
                self.at_end.get_untracked()
            };
            if self.at_end.get_untracked() != at_end {
                self.at_end.set(at_end);
            }
        }
    }

    /// Back to the newest message, following again.
    pub fn jump(self) {
        self.at_end.set(true);
        self.scroll_to_end();
    }

    fn scroll_to_end(self) {
        #[cfg(feature = "hydrate")]
        if let Some(scroller) = self.scroller.get_untracked() {
            scroller.set_scroll_top(scroller.scroll_height());
        }
    }
}
