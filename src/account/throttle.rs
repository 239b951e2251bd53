//! Slows down password guessing: after too many failed sign-ins for one username, or from one
//! address, within a window, further attempts are refused until the window has passed. An
//! attempt counts as failed from the moment it is let through until it is known to be right.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// Failed sign-ins allowed per username within [`WINDOW`].
pub const MAX_FAILURES_PER_USERNAME: usize = 5;
/// Failed sign-ins allowed per client address within [`WINDOW`].
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
/// The window failures are counted in.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Most usernames and addresses tracked at once: past it, expired entries are swept and then the
/// stalest dropped, so a flood of made-up usernames cannot grow the server's memory.
pub const MAX_TRACKED: usize = 10_000;
/// Characters of a username the throttle keys on (no username is longer).
const USERNAME_KEY_CHARS: usize = 64;
/// Expired entries are swept every this many attempts, whether or not the map is full.
const SWEEP_EVERY: u32 = 256;

/// Failure counts by username and by address, in memory (they reset when the server restarts).
/// Clones share the counts: the HTTP and WebSocket schemas hold one throttle.
#[derive(Clone, Debug, Default)]
pub struct LoginThrottle {
    failures: Arc<Mutex<Failures>>,
}

/// Failure times by key, each list no longer than its limit.
#[derive(Debug, Default)]
struct Failures {
    times: HashMap<String, Vec<Instant>>,
    attempts: u32,
}

impl Failures {
    /// Drops expired failures and keys left without any; then, while the map is full, the key
    /// whose latest failure is oldest.
    fn make_room(&mut self, now: Instant) {
        self.attempts = self.attempts.wrapping_add(1);
        if self.times.len() < MAX_TRACKED && !self.attempts.is_multiple_of(SWEEP_EVERY) {
            return;
        }
        self.times.retain(|_, times| {
            times.retain(|t| now.duration_since(*t) < WINDOW);
            !times.is_empty()
        });
        while self.times.len() >= MAX_TRACKED {
            let stalest = self.times.iter().min_by_key(|(_, times)| times.last().copied()).map(|(k, _)| k.clone());
            match stalest {
                Some(key) => self.times.remove(&key),
                None => break,
            };
        }
    }
}

fn keys(username: &str, addr: Option<IpAddr>) -> (String, Option<String>) {
    let user: String = username.trim().chars().take(USERNAME_KEY_CHARS).collect::<String>().to_lowercase();
    (format!("user:{user}"), addr.map(|a| format!("addr:{a}")))
}

/// A sign-in attempt the throttle let through, counted as a failure until it is known to have
/// succeeded (see [`LoginThrottle::reserve`]).
#[derive(Debug)]
#[must_use = "an attempt stays counted as a failure unless it is forgiven"]
pub struct Attempt {
    at: Instant,
    address: Option<String>,
}

impl LoginThrottle {
    /// Lets an attempt by `username` from `addr` through, or says how long until one may try
    /// again.
    ///
    /// An attempt let through counts as a failure at once, before its password is checked:
    /// attempts sent in parallel cannot all pass the check while the first ones are still being
    /// verified, so no more than the limit are ever verified within the window. A sign-in that
    /// turns out right, or that fails for a reason other than the credentials, is then
    /// [forgiven](Self::forgive).
    pub fn reserve(&self, username: &str, addr: Option<IpAddr>) -> Result<Attempt, Duration> {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        failures.make_room(now);
        let failures = &mut failures.times;
        let (user, address) = keys(username, addr);
        let mut wait = None;
        for (key, limit) in [(Some(&user), MAX_FAILURES_PER_USERNAME), (address.as_ref(), MAX_FAILURES_PER_ADDRESS)] {
            let Some(key) = key else { continue };
            let Some(times) = failures.get_mut(key) else { continue };
            times.retain(|t| now.duration_since(*t) < WINDOW);
            if times.len() >= limit {
                let oldest = times.first().copied().unwrap_or(now);
                let left = WINDOW.saturating_sub(now.duration_since(oldest));
                wait = Some(wait.map_or(left, |w: Duration| w.max(left)));
            }
        }
        if let Some(wait) = wait {
            return Err(wait);
        }
        for key in [Some(user), address.clone()].into_iter().flatten() {
            failures.entry(key).or_default().push(now);
        }
        Ok(Attempt { at: now, address })
    }

    /// Takes back an attempt that did not fail on its credentials (a database error). When
    /// `username` signed in, its earlier failures are forgotten too; those of the address stay.
    pub fn forgive(&self, attempt: Attempt, username: &str, signed_in: bool) {
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let failures = &mut failures.times;
        let (user, _) = keys(username, None);
        if signed_in {
            failures.remove(&user);
        }
        for key in [Some(user), attempt.address].into_iter().flatten() {
            if let Some(times) = failures.get_mut(&key)
                && let Some(i) = times.iter().position(|t| *t == attempt.at)
            {
                times.remove(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_username_is_refused_after_too_many_failures_and_freed_by_success() {
        let throttle = LoginThrottle::default();
        for _ in 0..MAX_FAILURES_PER_USERNAME {
            let _failed = throttle.reserve("office", None).unwrap();
        }
        assert!(throttle.reserve("Office", None).is_err());
        let other = throttle.reserve("someone-else", None).unwrap();
        throttle.forgive(other, "someone-else", true);
        assert!(throttle.reserve("office", None).is_err(), "another username's success frees nobody else");

        let throttle = LoginThrottle::default();
        for _ in 0..MAX_FAILURES_PER_USERNAME - 1 {
            let _failed = throttle.reserve("office", None).unwrap();
        }
        let right = throttle.reserve("office", None).unwrap();
        throttle.forgive(right, "office", true);
        assert!(throttle.failures.lock().unwrap().times.get("user:office").is_none_or(Vec::is_empty));
    }

    #[test]
    fn attempts_still_being_checked_count_against_the_limit() {
        let throttle = LoginThrottle::default();
        let pending: Vec<Attempt> =
            (0..MAX_FAILURES_PER_USERNAME).map(|_| throttle.reserve("office", None).unwrap()).collect();

        assert!(throttle.reserve("office", None).is_err(), "no sixth check while five are in flight");
        let first = pending.into_iter().next().unwrap();
        throttle.forgive(first, "office", false);
        assert!(throttle.reserve("office", None).is_ok(), "an attempt forgiven frees its place");
    }

    #[test]
    fn an_address_is_refused_after_too_many_failures_across_usernames() {
        let throttle = LoginThrottle::default();
        let addr: IpAddr = [10, 0, 0, 7].into();
        for i in 0..MAX_FAILURES_PER_ADDRESS {
            let _failed = throttle.reserve(&format!("user{i}"), Some(addr)).unwrap();
        }
        assert!(throttle.reserve("fresh-name", Some(addr)).is_err());
        assert!(throttle.reserve("fresh-name", Some([10, 0, 0, 8].into())).is_ok());
    }

    #[test]
    fn a_flood_of_made_up_usernames_keeps_memory_bounded() {
        let throttle = LoginThrottle::default();
        let long = "x".repeat(10_000);
        for i in 0..MAX_TRACKED + 500 {
            let _failed = throttle.reserve(&format!("{i}{long}"), None).unwrap();
        }
        let failures = throttle.failures.lock().unwrap();
        assert!(failures.times.len() <= MAX_TRACKED, "{} keys", failures.times.len());
        assert!(failures.times.keys().all(|k| k.chars().count() <= "user:".len() + USERNAME_KEY_CHARS));
    }

    #[test]
    fn expired_failures_are_swept() {
        let throttle = LoginThrottle::default();
        let long_ago = Instant::now().checked_sub(WINDOW * 2).unwrap();
        throttle.failures.lock().unwrap().times.insert("user:old".to_owned(), vec![long_ago]);
        for i in 0..SWEEP_EVERY {
            let attempt = throttle.reserve(&format!("u{i}"), None).unwrap();
            throttle.forgive(attempt, &format!("u{i}"), true);
        }
        assert!(!throttle.failures.lock().unwrap().times.contains_key("user:old"));
    }
}
