//! Writers of one fallback tag inside this process take turns, and the
//! writer whose turn it is carries every change queued meanwhile in one
//! read-modify-write: a copy pushing a subject's signature and SBOM at once
//! then pays for one round (read, write, settle, re-read), not two.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use super::entries::Change;
use crate::oci::Digest;
use crate::store::StoreError;
use crate::store::remote::RemoteStore;

/// One queue per fallback tag.
#[derive(Default)]
pub struct Locks(Mutex<HashMap<String, Arc<TagQueue>>>);

#[derive(Default)]
pub struct TagQueue {
    turn: tokio::sync::Mutex<()>,
    waiting: Mutex<Vec<Waiter>>,
}

/// A queued change and where to tell its writer how it went.
struct Waiter {
    change: Change,
    done: oneshot::Sender<Result<(), String>>,
}

impl TagQueue {
    fn enqueue(&self, change: Change) -> oneshot::Receiver<Result<(), String>> {
        let (done, outcome) = oneshot::channel();
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(Waiter { change, done });
        outcome
    }

    fn take_waiting(&self) -> Vec<Waiter> {
        std::mem::take(
            &mut *self
                .waiting
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

impl std::fmt::Debug for Locks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Locks")
    }
}

impl Locks {
    fn for_key(&self, key: String) -> Arc<TagQueue> {
        let mut locks = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(locks.entry(key).or_default())
    }
}

impl RemoteStore {
    /// Queues `changes` for the subject's fallback tag and waits for a
    /// writer (this one, when its turn comes first) to carry them.
    pub(super) async fn update_fallback_all(
        &self,
        repository: &str,
        subject: &Digest,
        changes: Vec<Change>,
    ) -> Result<(), StoreError> {
        let tag = subject.fallback_tag();
        let queue = self.fallback_locks.for_key(format!("{repository}:{tag}"));
        let mut outcomes: Vec<_> = changes
            .iter()
            .map(|change| queue.enqueue(change.clone()))
            .collect();
        let _turn = queue.turn.lock().await;
        let mut requeued = false;
        for (outcome, change) in outcomes.iter_mut().zip(&changes) {
            match outcome.try_recv() {
                // A writer whose turn came first carried this change along.
                Ok(Ok(())) => {}
                Ok(Err(why)) => return Err(StoreError::Invalid(why)),
                // That writer was dropped mid-way: queue the change again.
                Err(oneshot::error::TryRecvError::Closed) => {
                    *outcome = queue.enqueue(change.clone());
                    requeued = true;
                }
                Err(oneshot::error::TryRecvError::Empty) => requeued = true,
            }
        }
        if !requeued {
            return Ok(());
        }
        drop(outcomes);
        let batch = queue.take_waiting();
        let changes: Vec<Change> = batch.iter().map(|w| w.change.clone()).collect();
        let result = self
            .apply_to_fallback(repository, subject, &tag, &changes)
            .await;
        for waiter in batch {
            let _ = waiter
                .done
                .send(result.as_ref().map(|_| ()).map_err(ToString::to_string));
        }
        result
    }
}
