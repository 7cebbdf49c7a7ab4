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
    let watcher = tokio::spawn(async move {
        if !interrupted().await {
            return;
        }
        eprintln!("interrupted: stopping (press Ctrl-C again to quit at once)");
        cancel.cancel();
        if interrupted().await {
            std::process::exit(i32::from(INTERRUPTED_EXIT));
        }
    });
    InterruptGuard { watcher }
}

/// Waits for one signal; `false` when signals cannot be watched here.
#[cfg(unix)]
async fn interrupted() -> bool {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut interrupt), Ok(mut terminate)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        return false;
    };
    tokio::select! {
        got = interrupt.recv() => got.is_some(),
        got = terminate.recv() => got.is_some(),
    }
}

#[cfg(not(unix))]
async fn interrupted() -> bool {
    tokio::signal::ctrl_c().await.is_ok()
}
