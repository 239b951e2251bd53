//! Progress on the terminal for long commands (nothing is drawn when standard error is not a
//! terminal, so logs and CI output stay clean).

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar with stages, or a spinner for work that cannot count its steps.
pub struct Bar(ProgressBar);

impl Bar {
    /// A bar whose length each stage sets.
    pub fn new() -> Self {
        let bar = ProgressBar::new(0);
        let style = ProgressStyle::with_template("{msg:>24} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        Self(bar)
    }

    /// A spinner with a message and the time elapsed.
    pub fn spinner(message: &str) -> Self {
        let bar = ProgressBar::new_spinner();
        let style = ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_message(message.to_owned());
        bar.enable_steady_tick(Duration::from_millis(120));
        Self(bar)
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl lvzhi::seed::scale::Progress for Bar {
    fn stage(&self, name: &str, steps: u64) {
        self.0.set_message(name.to_owned());
        self.0.set_length(steps);
        self.0.set_position(0);
    }

    fn advance(&self, steps: u64) {
        self.0.inc(steps);
    }
}
