//! Turns an operation's `ops::Progress` events into status messages: steps
//! as short sentences, and byte counts summed over the operation's
//! transfers, throttled so a fast download does not flood the queue.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::oci::Digest;
use crate::ops::Progress;
use crate::tui::message::Msg;

/// At most this often per operation a byte count goes to the UI (10 a
/// second): enough for a moving number, little enough to never matter.
pub const BYTES_INTERVAL: Duration = Duration::from_millis(100);

/// Bytes moved and announced over all of an operation's transfers.
#[derive(Debug, Default)]
struct Transfers {
    /// Per digest: (done, total).
    each: HashMap<Digest, (u64, u64)>,
    last_sent: Option<Instant>,
    /// A count not yet sent because it came too soon after the last one.
    pending: bool,
}

impl Transfers {
    fn totals(&self) -> (u64, u64) {
        self.each
            .values()
            .fold((0, 0), |(done, total), (d, t)| (done + d, total + t))
    }

    /// Whether a count may go now; otherwise it waits for the next event.
    fn due(&mut self, now: Instant, force: bool) -> bool {
        let due = force
            || self
                .last_sent
                .is_none_or(|last| now.duration_since(last) >= BYTES_INTERVAL);
        if due {
            self.last_sent = Some(now);
            self.pending = false;
        } else {
            self.pending = true;
        }
        due
    }
}

/// Forwards `events` of operation `id` to `sender` until the operation
/// drops its sink.
pub async fn forward(
    id: u64,
    mut events: UnboundedReceiver<Progress>,
    sender: UnboundedSender<Msg>,
) {
    let mut transfers = Transfers::default();
    loop {
        // While a count waits, wake up at the end of the interval to send it.
        let event = if transfers.pending {
            match tokio::time::timeout(BYTES_INTERVAL, events.recv()).await {
                Ok(event) => event,
                Err(_) => {
                    send_bytes(id, &mut transfers, &sender, true);
                    continue;
                }
            }
        } else {
            events.recv().await
        };
        let Some(event) = event else { break };
        let text = match event {
            Progress::Bytes { digest, done } => {
                // A transfer that never announced a total counts what moved.
                let entry = transfers.each.entry(digest).or_insert((0, 0));
                *entry = (done, entry.1.max(done));
                send_bytes(id, &mut transfers, &sender, false);
                continue;
            }
            Progress::Started {
                digest,
                what,
                total,
            } => {
                transfers.each.insert(digest, (0, total));
                send_bytes(id, &mut transfers, &sender, true);
                format!("fetching {what}")
            }
            Progress::Finished { digest, what } => {
                if let Some(entry) = transfers.each.get_mut(&digest) {
                    entry.0 = entry.1;
                }
                send_bytes(id, &mut transfers, &sender, true);
                format!("done {what}")
            }
            Progress::Skipped { what, reason, .. } => format!("skipped {what}: {reason}"),
            Progress::Note(text) | Progress::Warning(text) => text,
        };
        let _ = sender.send(Msg::OperationProgress { id, text });
    }
    if transfers.pending {
        send_bytes(id, &mut transfers, &sender, true);
    }
}

fn send_bytes(id: u64, transfers: &mut Transfers, sender: &UnboundedSender<Msg>, force: bool) {
    if transfers.each.is_empty() || !transfers.due(Instant::now(), force) {
        return;
    }
    let (done, total) = transfers.totals();
    let _ = sender.send(Msg::OperationBytes { id, done, total });
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::mpsc::unbounded_channel;

    #[tokio::test]
    async fn byte_counts_are_summed_and_throttled() {
        let (progress, events) = unbounded_channel();
        let (sender, mut messages) = unbounded_channel();
        let forwarding = tokio::spawn(forward(7, events, sender));
        let (a, b) = (Digest::sha256_of(b"a"), Digest::sha256_of(b"b"));
        for (d, total) in [(&a, 1000), (&b, 3000)] {
            progress
                .send(Progress::Started {
                    digest: d.clone(),
                    what: "x".into(),
                    total,
                })
                .expect("send");
        }
        // A burst of a thousand counts arrives within one interval.
        for done in 1..=1000 {
            progress
                .send(Progress::Bytes {
                    digest: a.clone(),
                    done,
                })
                .expect("send");
        }
        drop(progress);
        forwarding.await.expect("forwarding ends");
        let mut counts = Vec::new();
        while let Ok(msg) = messages.try_recv() {
            if let Msg::OperationBytes { id, done, total } = msg {
                assert_eq!(id, 7);
                counts.push((done, total));
            }
        }
        assert!(counts.len() <= 5, "throttled: {counts:?}");
        assert_eq!(counts.last(), Some(&(1000, 4000)), "the last count is sent");
    }
}
