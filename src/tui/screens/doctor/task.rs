//! What the runner runs for the doctor's screen: the engine's checks on
//! the session's store of the browsed registry, so that they use the
//! tokens it already holds and its adaptive request limit, and what they
//! learn (the referrers mode) is the session's one answer; the report
//! comes back as one `Msg::Doctor`. A new run, closing the screen or
//! quitting stops a read-only run; one that writes runs to its end, so
//! its scratch repository is cleaned up.

use std::any::Any;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use super::{DoctorMsg, DoctorRun};
use crate::doctor::DoctorOptions;
use crate::store::remote::{ConnectOptions, RemoteStore};
use crate::store::{ReferrersSupport, SharedStore, Store};
use crate::tui::message::{Effect, Msg};

/// The runner's handle on the doctor's run under way.
#[derive(Debug, Default)]
pub struct DoctorTask {
    /// The task, and whether it writes.
    running: Option<(AbortHandle, bool)>,
}

impl DoctorTask {
    /// Runs `Effect::Doctor` (stopping a read-only run before it) or
    /// `Effect::CancelDoctor`.
    pub fn steer(
        &mut self,
        effect: Effect,
        store: &SharedStore,
        connect: &ConnectOptions,
        sender: &UnboundedSender<Msg>,
    ) {
        match effect {
            Effect::Doctor(run) => {
                self.stop();
                let write = run.write;
                let task = tokio::spawn(perform(
                    std::sync::Arc::clone(store),
                    connect.clone(),
                    run,
                    sender.clone(),
                ));
                self.running = Some((task.abort_handle(), write));
            }
            Effect::CancelDoctor => self.stop(),
            _ => {}
        }
    }

    /// Stops a read-only run; one that writes goes on to clean up.
    pub fn stop(&mut self) {
        if let Some((task, write)) = self.running.take()
            && !write
        {
            task.abort();
        }
    }
}

async fn perform(
    store: SharedStore,
    connect: ConnectOptions,
    run: DoctorRun,
    sender: UnboundedSender<Msg>,
) {
    let options = DoctorOptions {
        repository: run.repository.clone(),
        reference: None,
        write: run.write,
        writes_not_asked: Some(run.writes_not_asked.clone()),
    };
    let (support, result) = match remote_of(&store) {
        Some(remote) => {
            let report = crate::doctor::run(remote, &options).await;
            (remote.referrers_support(), Ok(Box::new(report)))
        }
        // Not a registry the session holds a `RemoteStore` for: one of
        // its own, from the session's options (what registries showed
        // and the content cache are still shared through them).
        None => match RemoteStore::new(store.registry(), connect) {
            Ok(remote) => {
                let report = crate::doctor::run(&remote, &options).await;
                (remote.referrers_support(), Ok(Box::new(report)))
            }
            Err(error) => (ReferrersSupport::NotYetKnown, Err(error.to_string())),
        },
    };
    // The receiver is gone only when the UI is shutting down.
    let _ = sender.send(Msg::Doctor(DoctorMsg {
        id: run.id,
        run: run.run,
        support,
        result,
    }));
}

/// The registry's store behind the session's `SharedStore`, if it is one.
fn remote_of(store: &SharedStore) -> Option<&RemoteStore> {
    let any: &dyn Any = store.as_ref();
    any.downcast_ref::<RemoteStore>()
}
