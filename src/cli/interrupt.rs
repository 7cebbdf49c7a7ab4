//! Ctrl-C (and SIGTERM) stop the running operation through its
//! cancellation token, so it can clean up: a pull drops its temporary files
//! and leaves existing files as they were. A second signal quits at once.

use tokio::task::JoinHandle;

use crate::ops::CancellationToken;

/// The exit status of a command stopped by a signal, as shells report
/// SIGINT (128 + 2).
pub const INTERRUPTED_EXIT: u8 = 130;

/// Watches for the signals while alive; dropping it stops watching.
pub struct InterruptGuard {
    watcher: JoinHandle<()>,
}

impl Drop for InterruptGuard {
    fn drop(&mut self) {
        self.watcher.abort();
    }
}

/// Cancels `cancel` on the first Ctrl-C or SIGTERM; exits the process on
/// the second.
pub fn cancel_on_interrupt(cancel: CancellationToken) -> InterruptGuard {
    // Listening before returning, so a signal right after is not lost to
    // the default action, and a second one is seen even when it comes
    // before the first is handled.
    let signals = Signals::listen();
    let watcher = tokio::spawn(async move {
        let Some(mut signals) = signals else {
            return;
        };
        if !signals.next().await {
            return;
        }
        eprintln!("interrupted: stopping (press Ctrl-C again to quit at once)");
        cancel.cancel();
        if signals.next().await {
            std::process::exit(i32::from(INTERRUPTED_EXIT));
        }
    });
    InterruptGuard { watcher }
}

#[cfg(unix)]
struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    /// `None` when signals cannot be watched here.
    fn listen() -> Option<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Some(Signals {
            interrupt: signal(SignalKind::interrupt()).ok()?,
            terminate: signal(SignalKind::terminate()).ok()?,
        })
    }

    /// Waits for the next signal; `false` when none can come any more.
    async fn next(&mut self) -> bool {
        tokio::select! {
            got = self.interrupt.recv() => got.is_some(),
            got = self.terminate.recv() => got.is_some(),
        }
    }
}

#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn listen() -> Option<Signals> {
        Some(Signals)
    }

    async fn next(&mut self) -> bool {
        tokio::signal::ctrl_c().await.is_ok()
    }
}
