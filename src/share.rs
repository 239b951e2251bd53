//! A request's share of the database pool. The root fields of a query run at once, so twenty
//! aliased `yearInReview`s would ask the pool for twenty connections together and leave other
//! requests waiting. Each aggregate resolver (`yearInReview`, `proposalStatistics`,
//! `AssessmentRun.gradeCounts`, `Plan.areas`, and every connection's `totalCount`) therefore
//! first takes a turn from its request's [`Share`]: at most `size` of them run at once, each on
//! one connection at a time, and the others wait for a turn — inside the request, not in the
//! pool's queue.
//!
//! The size is `--max-request-connections` (default: a quarter of the pool, at least one).
//! Over HTTP every request gets a share of its own; over WebSocket the operations of every
//! socket share one.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use async_graphql::Context;
use tokio::sync::{Semaphore, SemaphorePermit};

/// The pool's shares: their size, and the most aggregates any one share ever ran at once.
#[derive(Clone, Debug)]
pub struct PoolShare {
    size: usize,
    peak: Arc<AtomicUsize>,
}

impl PoolShare {
    /// Shares of `size` turns (at least one).
    pub fn new(size: usize) -> Self {
        Self { size: size.max(1), peak: Arc::default() }
    }

    /// The share of `configured` turns, or by default a quarter of a pool of `pool_size`
    /// connections (at least one).
    pub fn of_pool(configured: Option<usize>, pool_size: usize) -> Self {
        Self::new(configured.unwrap_or(pool_size / 4))
    }

    /// How many aggregates a request may run at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The most aggregates one request has run at once since the server started.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    /// A new request's share.
    pub fn for_request(&self) -> Share {
        Share { turns: Arc::new(Semaphore::new(self.size)), running: Arc::default(), peak: self.peak.clone() }
    }
}

/// One request's turns (request data; the WebSocket schema's data holds one for all sockets).
#[derive(Clone, Debug)]
pub struct Share {
    turns: Arc<Semaphore>,
    running: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
}

/// A turn, held while an aggregate runs; the next waiting aggregate starts when it drops.
pub struct Turn<'a> {
    _permit: Option<SemaphorePermit<'a>>,
    running: Option<&'a AtomicUsize>,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        if let Some(running) = self.running {
            running.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

impl Share {
    /// Waits for a turn.
    pub async fn turn(&self) -> Turn<'_> {
        // The semaphore is never closed, so acquiring only waits.
        let permit = self.turns.acquire().await.ok();
        let now = self.running.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(now, Ordering::Relaxed);
        Turn { _permit: permit, running: Some(&self.running) }
    }
}

/// Waits for a turn of the request's share; without one (a schema built without it) runs at
/// once.
pub async fn turn<'a>(ctx: &'a Context<'_>) -> Turn<'a> {
    match ctx.data_opt::<Share>() {
        Some(share) => share.turn().await,
        None => Turn { _permit: None, running: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_share_gives_at_most_its_size_of_turns_and_remembers_the_peak() {
        let pool = PoolShare::of_pool(None, 10);
        assert_eq!(pool.size(), 2);
        let share = pool.for_request();
        let (a, b) = (share.turn().await, share.turn().await);
        let third = tokio::time::timeout(std::time::Duration::ZERO, share.turn()).await;
        assert!(third.is_err(), "a third turn waits while two are held");
        drop((a, b));
        let _c = share.turn().await;
        assert_eq!(pool.peak(), 2);
        assert_eq!(PoolShare::of_pool(None, 1).size(), 1);
        assert_eq!(PoolShare::of_pool(Some(5), 1).size(), 5);
    }
}
