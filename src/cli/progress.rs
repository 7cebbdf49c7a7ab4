//! Progress for the CLI: one line per step on stderr, never on stdout
//! (which carries results a script may parse).

use std::io::Write;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::task::JoinHandle;

use super::interrupt::cancel_on_interrupt;
use super::terminal::sanitize;
use crate::ops::{CancellationToken, Progress, ProgressSink};

/// A sink whose events are printed to stderr until it is dropped; await the
/// handle after the operation so every line is out before the result.
pub fn stderr_printer(quiet: bool) -> (ProgressSink, JoinHandle<()>) {
    let (sink, events) = unbounded_channel();
    let handle = tokio::spawn(print_events(events, quiet));
    (sink, handle)
}

/// Runs `operation` with a progress sink printed to stderr, and with Ctrl-C
/// cancelling `cancel`; returns once every progress line is out, so the
/// result prints after them.
pub async fn with_progress<T, F, Fut>(cancel: &CancellationToken, operation: F) -> T
where
    F: FnOnce(ProgressSink) -> Fut,
    Fut: Future<Output = T>,
{
    let _interrupt = cancel_on_interrupt(cancel.clone());
    let (sink, printer) = stderr_printer(false);
    // The future owns the sink: when it ends the printer sees the end.
    let result = operation(sink).await;
    let _ = printer.await;
    result
}

async fn print_events(mut events: UnboundedReceiver<Progress>, quiet: bool) {
    while let Some(event) = events.recv().await {
        let line = match event {
            Progress::Started {
                digest,
                what,
                total,
            } => {
                format!(
                    "Transferring {} {} ({})",
                    digest.short(),
                    sanitize(&what),
                    size(total)
                )
            }
            Progress::Bytes { .. } => continue,
            Progress::Finished { digest, what } => {
                format!("Done         {} {}", digest.short(), sanitize(&what))
            }
            Progress::Skipped {
                digest,
                what,
                reason,
            } => format!(
                "Skipped      {} {} ({})",
                digest.short(),
                sanitize(&what),
                sanitize(&reason)
            ),
            Progress::Note(note) => sanitize(&note),
            Progress::Warning(warning) => format!("warning: {}", sanitize(&warning)),
        };
        if quiet && !line.starts_with("warning:") {
            continue;
        }
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}

/// Bytes as a person reads them.
pub fn size(bytes: u64) -> String {
    crate::text::human_size(bytes)
}
