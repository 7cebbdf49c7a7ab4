//! A gate a rule can hold requests at until the test opens it, and a wait
//! for what the proxy has seen: an order of events between clients that
//! delays alone would only make likely.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::{FaultProxy, RecordedRequest};

/// Closed until [`Gate::open`]; requests held at it then all go on, and
/// later ones pass straight through.
#[derive(Clone, Default)]
pub struct Gate(Arc<GateState>);

#[derive(Default)]
struct GateState {
    open: AtomicBool,
    opened: Notify,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let open = self.0.open.load(Ordering::SeqCst);
        f.debug_struct("Gate").field("open", &open).finish()
    }
}

impl Gate {
    pub fn new() -> Gate {
        Gate::default()
    }

    pub fn open(&self) {
        self.0.open.store(true, Ordering::SeqCst);
        self.0.opened.notify_waiters();
    }

    pub(super) async fn pass(&self) {
        loop {
            // Registered before the check, so an `open` in between wakes it.
            let opened = self.0.opened.notified();
            if self.0.open.load(Ordering::SeqCst) {
                return;
            }
            opened.await;
        }
    }
}

const WAIT_AT_MOST: Duration = Duration::from_secs(60);

impl FaultProxy {
    /// Waits (polling, on the caller's tokio runtime) until the requests
    /// seen so far satisfy `done`; panics with them after a minute.
    pub async fn wait_for(&self, what: &str, done: impl Fn(&[RecordedRequest]) -> bool) {
        let started = Instant::now();
        loop {
            let requests = self.requests();
            if done(&requests) {
                return;
            }
            assert!(
                started.elapsed() < WAIT_AT_MOST,
                "waited a minute for {what}; the proxy saw: {:#?}",
                requests
                    .iter()
                    .map(|r| format!("{} {} -> {}", r.method, r.path, r.status))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}
