//! Slows down password guessing: after too many failed sign-ins for one username, or from one
//! address, within a window, further attempts are refused until the window has passed.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

/// Failed sign-ins allowed per username within [`WINDOW`].
pub const MAX_FAILURES_PER_USERNAME: usize = 5;
/// Failed sign-ins allowed per client address within [`WINDOW`].
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
/// The window failures are counted in.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failure counts by username and by address, in memory (they reset when the server restarts).
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

fn keys(username: &str, addr: Option<IpAddr>) -> (String, Option<String>) {
    (format!("user:{}", username.trim().to_lowercase()), addr.map(|a| format!("addr:{a}")))
}

impl LoginThrottle {
    /// How long until `username` from `addr` may try again; none when it may now.
    pub fn wait(&self, username: &str, addr: Option<IpAddr>) -> Option<Duration> {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (user, address) = keys(username, addr);
        let mut wait = None;
        for (key, limit) in [(Some(user), MAX_FAILURES_PER_USERNAME), (address, MAX_FAILURES_PER_ADDRESS)] {
            let Some(key) = key else { continue };
            let Some(times) = failures.get_mut(&key) else { continue };
            times.retain(|t| now.duration_since(*t) < WINDOW);
            if times.len() >= limit {
                let oldest = times.first().copied().unwrap_or(now);
                let left = WINDOW.saturating_sub(now.duration_since(oldest));
                wait = Some(wait.map_or(left, |w: Duration| w.max(left)));
            }
        }
        wait
    }

    /// Counts a failed sign-in.
    pub fn failed(&self, username: &str, addr: Option<IpAddr>) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (user, address) = keys(username, addr);
        for key in [Some(user), address].into_iter().flatten() {
            let times = failures.entry(key).or_default();
            times.retain(|t| now.duration_since(*t) < WINDOW);
            times.push(now);
        }
    }

    /// Forgets the failures of `username` after a successful sign-in.
    pub fn succeeded(&self, username: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        failures.remove(&keys(username, None).0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_username_is_refused_after_too_many_failures_and_freed_by_success() {
        let throttle = LoginThrottle::default();
        for _ in 0..MAX_FAILURES_PER_USERNAME {
            assert!(throttle.wait("office", None).is_none());
            throttle.failed("office", None);
        }
        assert!(throttle.wait("Office", None).is_some());
        assert!(throttle.wait("someone-else", None).is_none());
        throttle.succeeded("office");
        assert!(throttle.wait("office", None).is_none());
    }

    #[test]
    fn an_address_is_refused_after_too_many_failures_across_usernames() {
        let throttle = LoginThrottle::default();
        let addr: IpAddr = [10, 0, 0, 7].into();
        for i in 0..MAX_FAILURES_PER_ADDRESS {
            throttle.failed(&format!("user{i}"), Some(addr));
        }
        assert!(throttle.wait("fresh-name", Some(addr)).is_some());
        assert!(throttle.wait("fresh-name", Some([10, 0, 0, 8].into())).is_none());
    }
}
