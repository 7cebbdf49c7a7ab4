//! How many requests one registry gets at once, adapting as TCP does: it
//! starts wide (discovery sends a whole level of the graph at once), halves
//! when the registry pushes back (429, 503, a refused or reset connection)
//! and grows back by one for each window of answers that went well.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Where the limit starts: a level of a referrer graph in one round trip.
pub const INITIAL_LIMIT: usize = 32;
pub const MAX_LIMIT: usize = 64;
pub const MIN_LIMIT: usize = 2;

#[derive(Debug)]
pub struct AdaptiveLimit {
    permits: Arc<Semaphore>,
    state: Mutex<State>,
    /// Permits to retire as they come back (the limit shrank while they
    /// were out).
    owed: AtomicUsize,
}

#[derive(Debug)]
struct State {
    limit: usize,
    /// Answers that went well since the limit last changed.
    successes: usize,
}

/// A request's place in the limit; gives it back when dropped.
#[derive(Debug)]
pub struct Slot {
    permit: Option<OwnedSemaphorePermit>,
    owner: Arc<AdaptiveLimit>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let Some(permit) = self.permit.take() else {
            return;
        };
        let retire = self
            .owner
            .owed
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |owed| {
                owed.checked_sub(1)
            })
            .is_ok();
        if retire {
            permit.forget();
        }
    }
}

impl AdaptiveLimit {
    pub fn new(initial: usize) -> Arc<AdaptiveLimit> {
        let initial = initial.clamp(MIN_LIMIT, MAX_LIMIT);
        Arc::new(AdaptiveLimit {
            permits: Arc::new(Semaphore::new(initial)),
            state: Mutex::new(State {
                limit: initial,
                successes: 0,
            }),
            owed: AtomicUsize::new(0),
        })
    }

    #[cfg(test)]
    pub fn limit(&self) -> usize {
        self.lock().limit
    }

    /// Waits for a place; `None` only if the limit was closed.
    pub async fn acquire(self: &Arc<Self>) -> Option<Slot> {
        let permit = Arc::clone(&self.permits).acquire_owned().await.ok()?;
        Some(Slot {
            permit: Some(permit),
            owner: Arc::clone(self),
        })
    }

    /// An answer that says nothing about load (any status but the
    /// push-backs): after a full window of them, one more place.
    pub fn succeeded(&self) {
        let mut state = self.lock();
        state.successes += 1;
        if state.successes >= state.limit && state.limit < MAX_LIMIT {
            state.limit += 1;
            state.successes = 0;
            drop(state);
            self.grow_one();
        }
    }

    /// The registry pushed back: half as many places, at least `MIN_LIMIT`.
    pub fn overloaded(&self) {
        let mut state = self.lock();
        let shrunk = (state.limit / 2).max(MIN_LIMIT);
        let removed = state.limit - shrunk;
        state.limit = shrunk;
        state.successes = 0;
        drop(state);
        for _ in 0..removed {
            match self.permits.try_acquire() {
                Ok(permit) => permit.forget(),
                Err(_) => {
                    self.owed.fetch_add(1, Ordering::AcqRel);
                }
            }
        }
        tracing::debug!(
            limit = shrunk,
            "the registry pushed back; fewer requests at once"
        );
    }

    fn grow_one(&self) {
        // A place still owed to an earlier shrink is simply not retired.
        let cancelled = self
            .owed
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |owed| {
                owed.checked_sub(1)
            })
            .is_ok();
        if !cancelled {
            self.permits.add_permits(1);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn shrinks_on_push_back_and_grows_on_success() {
        let limit = AdaptiveLimit::new(8);
        let held: Vec<Slot> = futures_util::future::join_all((0..8).map(|_| limit.acquire()))
            .await
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(limit.permits.available_permits(), 0);
        limit.overloaded();
        assert_eq!(limit.limit(), 4);
        drop(held);
        // Four places were retired as they came back.
        assert_eq!(limit.permits.available_permits(), 4);
        limit.overloaded();
        limit.overloaded();
        assert_eq!(limit.limit(), MIN_LIMIT);
        assert_eq!(limit.permits.available_permits(), MIN_LIMIT);
        for _ in 0..MIN_LIMIT {
            limit.succeeded();
        }
        assert_eq!(limit.limit(), MIN_LIMIT + 1);
        assert_eq!(limit.permits.available_permits(), MIN_LIMIT + 1);
    }
}
