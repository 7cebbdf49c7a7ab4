//! What the runner runs for the doctor's screen: the engine's checks on
//! a store of the browsed registry, opened from the session's connection
//! options so that what the checks learn (the referrers mode) is the
//! session's one answer, and the report back as one `Msg::Doctor`. A new
//! run, closing the screen or quitting stops a read-only run; one that
//! writes runs to its end, so its scratch repository is cleaned up.

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
                    store.registry().to_owned(),
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
    registry: String,
    connect: ConnectOptions,
    run: DoctorRun,
    sender: UnboundedSender<Msg>,
) {
    // A store of its own: the prober needs a `RemoteStore`, and the
    // session's is an `Arc<dyn Store>` with no way back to one. The
    // connect options carry the session (what the registry showed, the
    // content cache), so those are shared; tokens and the adaptive limit
    // are not.
    let (support, result) = match RemoteStore::new(&registry, connect) {
        Ok(store) => {
            let options = DoctorOptions {
                repository: run.repository.clone(),
                reference: None,
                write: run.write,
                writes_not_asked: Some(run.writes_not_asked.clone()),
            };
            let report = crate::doctor::run(&store, &options).await;
            (store.referrers_support(), Ok(Box::new(report)))
        }
        Err(error) => (ReferrersSupport::NotYetKnown, Err(error.to_string())),
    };
    // The receiver is gone only when the UI is shutting down.
    let _ = sender.send(Msg::Doctor(DoctorMsg {
        id: run.id,
        run: run.run,
        support,
        result,
    }));
}
